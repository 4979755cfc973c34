import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { acceptedCodings, EncodedAsset, matchesIfNoneMatch } from "./encoded-asset.js";

describe("acceptedCodings (Accept-Encoding)", () => {
  it("offers only identity to a client that names nothing", () => {
    expect(acceptedCodings(undefined)).toEqual(["identity"]);
    expect(acceptedCodings("")).toEqual(["identity"]);
    expect(acceptedCodings("deflate, zstd")).toEqual(["identity"]);
  });

  it("prefers brotli over gzip at equal weight, and identity last", () => {
    expect(acceptedCodings("gzip, deflate, br, zstd")).toEqual(["br", "gzip", "identity"]);
    expect(acceptedCodings("gzip")).toEqual(["gzip", "identity"]);
    expect(acceptedCodings("x-gzip")).toEqual(["gzip", "identity"]);
  });

  it("follows q-values, case-insensitively, and drops what is refused", () => {
    expect(acceptedCodings("br;q=0.5, GZIP;q=0.9")).toEqual(["gzip", "br", "identity"]);
    expect(acceptedCodings("gzip;q=0.5, identity")).toEqual(["identity", "gzip"]);
    expect(acceptedCodings("br;q=0, gzip")).toEqual(["gzip", "identity"]);
    expect(acceptedCodings("br ; q=0.2 , identity;q=0.1")).toEqual(["br", "identity"]);
    expect(acceptedCodings("gzip;q=nonsense")).toEqual(["identity"]);
  });

  it("reads * as every coding not named, and identity as refusable only explicitly", () => {
    expect(acceptedCodings("*")).toEqual(["br", "gzip", "identity"]);
    expect(acceptedCodings("*;q=0.5, gzip")).toEqual(["gzip", "br", "identity"]);
    expect(acceptedCodings("gzip, *;q=0")).toEqual(["gzip"]);
    expect(acceptedCodings("br, identity;q=0")).toEqual(["br"]);
  });

  it("still answers identity when everything is refused", () => {
    expect(acceptedCodings("*;q=0")).toEqual(["identity"]);
  });
});

describe("matchesIfNoneMatch", () => {
  it("matches the tag, a list holding it, its weak form and *", () => {
    expect(matchesIfNoneMatch('"abc"', '"abc"')).toBe(true);
    expect(matchesIfNoneMatch('"x", "abc"', '"abc"')).toBe(true);
    expect(matchesIfNoneMatch('W/"abc"', '"abc"')).toBe(true);
    expect(matchesIfNoneMatch("*", '"abc"')).toBe(true);
  });

  it("matches nothing else", () => {
    expect(matchesIfNoneMatch(undefined, '"abc"')).toBe(false);
    expect(matchesIfNoneMatch('"abc-br"', '"abc"')).toBe(false);
    expect(matchesIfNoneMatch('"ab"', '"abc"')).toBe(false);
  });
});

describe("EncodedAsset", () => {
  const log = (message: string, error?: unknown) => {
    throw new Error(`unexpected log: ${message} ${String(error)}`);
  };
  const text = "parley ".repeat(500);

  it("compresses once per coding and tags each representation apart", async () => {
    const asset = await EncodedAsset.of(text, "text/plain", log);
    const [br, gzip] = [await asset.encoded("br"), await asset.encoded("gzip")];
    expect(brotliDecompressSync(br!.body).toString()).toBe(text);
    expect(gunzipSync(gzip!.body).toString()).toBe(text);
    expect(new Set([asset.etag, br!.etag, gzip!.etag]).size).toBe(3);
    expect(await asset.encoded("br")).toBe(br); // kept, not redone
    expect(await asset.negotiate("gzip, br")).toBe(br);
    expect((await asset.negotiate(undefined)).body).toEqual(new TextEncoder().encode(text));
  });

  it("tags equal bytes equally, and different bytes differently", async () => {
    const [a, b, c] = await Promise.all([EncodedAsset.of(text, "text/plain", log), EncodedAsset.of(new TextEncoder().encode(text), "text/plain", log), EncodedAsset.of(`${text}!`, "text/plain", log)]);
    expect(a.etag).toBe(b.etag);
    expect(a.etag).not.toBe(c.etag);
  });

  it("offers no encoding that would not make the body smaller", async () => {
    const asset = await EncodedAsset.of("{}", "application/json", log);
    expect(await asset.encoded("gzip")).toBeNull();
    expect((await asset.negotiate("gzip")).coding).toBe("identity");
  });
});
