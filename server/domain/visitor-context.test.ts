import { describe, expect, it } from "vitest";
import { pageWithoutQuery } from "./visitor-context.js";

describe("the page a ticket keeps", () => {
  it("keeps origin and path, and drops the query, the fragment and any credentials", () => {
    expect(pageWithoutQuery("https://shop.example/orders/42?token=secret#reset=abc")).toBe("https://shop.example/orders/42");
    expect(pageWithoutQuery("https://user:pass@shop.example:8443/a%20b/")).toBe("https://shop.example:8443/a%20b/");
    expect(pageWithoutQuery("http://localhost:3000")).toBe("http://localhost:3000/");
  });

  it("keeps nothing of a URL that is not http(s) or not a URL", () => {
    expect(pageWithoutQuery("javascript:alert(1)")).toBeNull();
    expect(pageWithoutQuery("data:text/html,<script>alert(1)</script>")).toBeNull();
    expect(pageWithoutQuery("not a url")).toBeNull();
    expect(pageWithoutQuery(undefined)).toBeNull();
  });
});
