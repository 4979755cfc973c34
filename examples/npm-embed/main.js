// A bundled app that mounts the widget itself. The launcher is drawn at once; the panel
// (lit, the SDK) is a separate chunk the bundler splits off, loaded on hover, focus, click or idle.
import { createWidget } from "@parley/widget";

const parley = createWidget({
  site: import.meta.env.VITE_PARLEY_SITE ?? "pk_demo",
  apiUrl: import.meta.env.VITE_PARLEY_API ?? "http://localhost:8787",
  launcherText: "Help",
});

// The same commands and events as the queue API of parley.js, without the global.
parley.run("on", "unread", ({ count }) => {
  document.title = count ? `(${count}) Acme Shop` : "Acme Shop";
});
parley.run("on", "error", ({ message }) => {
  document.querySelector("#status").textContent = `Parley: ${message}`;
});
document.querySelector("#help").addEventListener("click", () => parley.run("open"));

// The host element dispatches typed DOM events too (see widget/contract.ts).
parley.host.addEventListener("parley-ticket-created", (event) => {
  document.querySelector("#status").textContent = `Ticket ${event.detail.ticket.number} created`;
});
