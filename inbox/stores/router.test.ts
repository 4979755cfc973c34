import { describe, expect, it } from "vitest";
import { parseRoute, pathOf, type Route } from "./router.js";

describe("inbox paths", () => {
  it("reads every screen from its path and writes it back", () => {
    const routes: Array<[string, Route]> = [
      ["/inbox", { screen: "queue", number: null }],
      ["/inbox/tickets/TKT-2026-000123", { screen: "queue", number: "TKT-2026-000123" }],
      ["/inbox/dashboard", { screen: "dashboard" }],
      ["/inbox/admin/webhooks", { screen: "admin", section: "webhooks" }],
    ];
    for (const [path, route] of routes) {
      expect(parseRoute(path)).toEqual(route);
      expect(pathOf(route)).toBe(path);
    }
    expect(parseRoute("/inbox/admin")).toEqual({ screen: "admin", section: "agents" });
    expect(parseRoute("/inbox/whatever")).toEqual({ screen: "queue", number: null });
  });
});
