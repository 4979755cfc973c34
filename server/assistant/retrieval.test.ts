import { describe, expect, it } from "vitest";
import { articleLinks } from "./retrieval.js";

describe("articleLinks", () => {
  it("links a site's articles to their help-centre pages under the public URL", () => {
    const link = articleLinks("https://support.example.com/", "pk_demo");
    expect(link("reset-your-password")).toBe("https://support.example.com/help/pk_demo/reset-your-password");
    expect(articleLinks("http://localhost:8787", "pk_other")("a-b")).toBe("http://localhost:8787/help/pk_other/a-b");
  });
});
