import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawGet, varyOf, type RawReply } from "../support/raw-http.js";
import { runtime, startApi, type RunningApi } from "../support/server.js";

/**
 * Static bodies as served by the real API on each runtime (node:zlib's brotli and gzip on
 * Node, Bun and Deno): the home page, the demo page's script and styles, and Swagger UI.
 * The widget's own files are checked against a fresh build in test/widget/loader.test.ts.
 */
let api: RunningApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.stop());

const get = (path: string, headers: Record<string, string> = {}) => rawGet(`${api.url}${path}`, headers);

/** What must hold for any representation: its length is what was sent, and it varies by Accept-Encoding. */
function expectWellFormed(reply: RawReply, path: string) {
  expect(reply.status, path).toBe(200);
  expect(Number(reply.headers["content-length"]), `${path} Content-Length`).toBe(reply.body.length);
  expect(varyOf(reply), `${path} Vary`).toContain("accept-encoding");
  expect(reply.headers.etag, `${path} ETag`).toMatch(/^"[^"]+"$/); // strong
}

const ASSETS = ["/", "/home.css", "/demo.js", "/demo.css", "/docs", "/docs/assets/swagger-ui.css", "/docs/assets/swagger-ui-bundle.js"];

describe(`compressed assets (${runtime})`, () => {
  it.each(ASSETS)("%s: identity when not asked, gzip and brotli when asked, all the same bytes", async (path) => {
    const identity = await get(path);
    expectWellFormed(identity, path);
    expect(identity.headers["content-encoding"]).toBeUndefined();

    for (const coding of ["gzip", "br"] as const) {
      const encoded = await get(path, { "accept-encoding": coding });
      expectWellFormed(encoded, path);
      expect(encoded.headers["content-encoding"], `${path} ${coding}`).toBe(coding);
      expect(encoded.body.length).toBeLessThan(identity.body.length);
      expect(encoded.decoded().equals(identity.body), `${path} ${coding} decodes to the identity body`).toBe(true);
      expect(encoded.headers.etag, "each representation has its own strong tag").not.toBe(identity.headers.etag);
      expect(encoded.headers["content-type"]).toBe(identity.headers["content-type"]);
    }
  });

  it("sends a body that gzip would only grow as it is, still varying by Accept-Encoding", async () => {
    const identity = await get("/docs/assets/start.js"); // one line of script
    const asked = await get("/docs/assets/start.js", { "accept-encoding": "gzip" });
    expectWellFormed(asked, "/docs/assets/start.js");
    expect(asked.headers["content-encoding"]).toBeUndefined();
    expect(asked.body.equals(identity.body)).toBe(true);
    expect(asked.headers.etag).toBe(identity.headers.etag);
  });

  it("follows the browser's preferences and refusals", async () => {
    const codingFor = async (accept: string) => (await get("/docs/assets/swagger-ui.css", { "accept-encoding": accept })).headers["content-encoding"] ?? "identity";
    expect(await codingFor("gzip, deflate, br, zstd")).toBe("br"); // what Chromium sends
    expect(await codingFor("br;q=0.5, gzip")).toBe("gzip");
    expect(await codingFor("*")).toBe("br");
    expect(await codingFor("*, br;q=0")).toBe("gzip");
    expect(await codingFor("deflate")).toBe("identity");
    expect(await codingFor("gzip;q=0, br;q=0")).toBe("identity");
  });

  it("answers 304 for the representation the client holds, and the body again for another", async () => {
    const path = "/docs/assets/swagger-ui-bundle.js";
    const br = await get(path, { "accept-encoding": "br" });
    const gzip = await get(path, { "accept-encoding": "gzip" });
    const unchanged = await get(path, { "accept-encoding": "br", "if-none-match": br.headers.etag! });
    expect(unchanged.status).toBe(304);
    expect(unchanged.body.length).toBe(0);
    expect(unchanged.headers.etag).toBe(br.headers.etag);
    expect(varyOf(unchanged)).toContain("accept-encoding");
    expect(unchanged.headers["cache-control"]).toBe("public, max-age=86400");

    const other = await get(path, { "accept-encoding": "gzip", "if-none-match": br.headers.etag! });
    expect(other.status).toBe(200);
    expect(other.headers.etag).toBe(gzip.headers.etag);
    expect((await get(path, { "accept-encoding": "gzip", "if-none-match": `"nope", ${gzip.headers.etag}` })).status).toBe(304);
  });

  it("HEAD answers the headers of the GET without a body", async () => {
    const get = await rawGet(`${api.url}/docs/assets/swagger-ui.css`, { "accept-encoding": "br" });
    const head = await rawGet(`${api.url}/docs/assets/swagger-ui.css`, { "accept-encoding": "br" }, "HEAD");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.headers["content-encoding"]).toBe("br");
    expect(head.headers.etag).toBe(get.headers.etag);
  });
});

describe(`GET / (${runtime})`, () => {
  it("lists the demo, the docs, the OpenAPI document and health, and the inbox only when there is one", async () => {
    const home = await get("/");
    expect(home.status).toBe(200);
    expect(home.headers["content-type"]).toBe("text/html; charset=utf-8");
    const html = home.body.toString("utf8");
    const links = [...html.matchAll(/<a href="([^"]+)"/g)].map((match) => match[1]);
    expect(links).toEqual(expect.arrayContaining(["/demo", "/docs", "/openapi.json", "/health"]));
    const inbox = await get("/inbox");
    expect(links.includes("/inbox"), `GET /inbox answers ${inbox.status}`).toBe(inbox.status !== 404);

    // /demo needs the built widget, so test/widget/loader.test.ts follows that link.
    for (const path of ["/docs", "/openapi.json", "/health"]) expect((await get(path)).status, path).toBe(200);
  });

  it("runs no script, inline or otherwise, under a policy that allows only its own stylesheet", async () => {
    const home = await get("/");
    const policy = home.headers["content-security-policy"]!;
    expect(policy).toMatch(/default-src 'none'/);
    expect(policy).toMatch(/style-src 'self'/);
    expect(policy).not.toMatch(/script-src|unsafe-inline/);
    const html = home.body.toString("utf8");
    expect(html).not.toMatch(/<script|<style|\sstyle=|\son\w+=/i);
    const stylesheet = /<link rel="stylesheet" href="([^"]+)">/.exec(html)?.[1];
    expect(stylesheet).toBe("/home.css");
    const css = await get(stylesheet!);
    expect(css.status).toBe(200);
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
  });
});
