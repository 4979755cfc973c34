import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { bodySize } from "./body-size.js";
import { onApiError } from "./errors.js";

function app() {
  const app = new Hono();
  app.onError(onApiError(() => undefined));
  app.use("*", bodySize(1024));
  app.post("/echo", async (c) => c.json({ length: (await c.req.text()).length }));
  app.get("/echo", (c) => c.json({ ok: true }));
  return app;
}

/** A body without Content-Length, as a chunked upload arrives. */
const chunked = (size: number) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      for (let sent = 0; sent < size; sent += 256) controller.enqueue(new Uint8Array(Math.min(256, size - sent)).fill(97));
      controller.close();
    },
  });

describe("bodySize", () => {
  it("passes bodies up to the limit and refuses larger ones with 413, declared or chunked", async () => {
    expect((await app().request("/echo", { method: "POST", body: "a".repeat(1024) })).status).toBe(200);
    const declared = await app().request("/echo", { method: "POST", body: "a".repeat(1025) });
    expect(declared.status).toBe(413);
    expect(await declared.json()).toMatchObject({ error: { code: "payload_too_large" } });
    const small = await app().request("/echo", { method: "POST", body: chunked(1000), duplex: "half" } as RequestInit);
    expect(await small.json()).toEqual({ length: 1000 });
    expect((await app().request("/echo", { method: "POST", body: chunked(5000), duplex: "half" } as RequestInit)).status).toBe(413);
  });

  it("lets a GET through without reading anything, and refuses a declared oversize one", async () => {
    expect((await app().request("/echo")).status).toBe(200);
    expect((await app().request("/echo", { headers: { "content-length": "4096" } })).status).toBe(413);
    expect((await app().request("/echo", { method: "POST", body: "x", headers: { "content-length": "1e3" } })).status).toBe(413);
  });
});
