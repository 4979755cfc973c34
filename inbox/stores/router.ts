import { signal } from "@preact/signals";

export type Route =
  | { screen: "queue"; number: string | null }
  | { screen: "dashboard" }
  | { screen: "admin"; section: string };

const BASE = "/inbox";

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "tickets" && parts[1]) return { screen: "queue", number: parts[1] };
  if (parts[0] === "dashboard") return { screen: "dashboard" };
  if (parts[0] === "admin") return { screen: "admin", section: parts[1] ?? "agents" };
  return { screen: "queue", number: null };
}

export function pathOf(route: Route): string {
  switch (route.screen) {
    case "queue":
      return route.number ? `${BASE}/tickets/${encodeURIComponent(route.number)}` : BASE;
    case "dashboard":
      return `${BASE}/dashboard`;
    case "admin":
      return `${BASE}/admin/${encodeURIComponent(route.section)}`;
  }
}

/** The screen as a signal over the History API; links are plain hrefs under /inbox. */
export function createRouterStore() {
  const route = signal<Route>(parseRoute(location.pathname));
  addEventListener("popstate", () => (route.value = parseRoute(location.pathname)));
  return {
    route,
    go(next: Route, replace = false) {
      const path = pathOf(next);
      if (path !== location.pathname) history[replace ? "replaceState" : "pushState"](null, "", path);
      route.value = next;
    },
  };
}

export type RouterStore = ReturnType<typeof createRouterStore>;
