import { describe, expect, it } from "vitest";
import { inlineImage } from "./settings.js";

describe("inlineImage", () => {
  const origin = "https://files.example.com";
  it("shows raster images of the allowed origin", () => {
    expect(inlineImage({ url: "https://files.example.com/a/b.png", contentType: "image/png" }, origin)).toBe(true);
    expect(inlineImage({ url: "https://files.example.com/a.JPG", contentType: "image/JPEG" }, origin)).toBe(true);
  });
  it("keeps everything else a link", () => {
    expect(inlineImage({ url: "https://files.example.com/a.png", contentType: "image/png" }, null)).toBe(false);
    expect(inlineImage({ url: "https://files.example.com.evil.test/a.png", contentType: "image/png" }, origin)).toBe(false);
    expect(inlineImage({ url: "http://files.example.com/a.png", contentType: "image/png" }, origin)).toBe(false);
    expect(inlineImage({ url: "https://files.example.com:8443/a.png", contentType: "image/png" }, origin)).toBe(false);
    expect(inlineImage({ url: "https://files.example.com/a.svg", contentType: "image/svg+xml" }, origin)).toBe(false);
    expect(inlineImage({ url: "https://files.example.com/a.pdf", contentType: "application/pdf" }, origin)).toBe(false);
    expect(inlineImage({ url: "javascript:alert(1)", contentType: "image/png" }, origin)).toBe(false);
    expect(inlineImage({ url: "not a url", contentType: "image/png" }, origin)).toBe(false);
  });
});
