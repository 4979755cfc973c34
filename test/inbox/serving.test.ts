import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtAssets, FIRST_SCREEN_BUDGET_GZIP } from "../../inbox/build.js";
import { startApi, type RunningApi } from "../support/server.js";

/** How the API serves the built inbox: one page under a strict policy, hashed assets kept for good, compressed. */
let api: RunningApi;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api?.stop());

describe("/inbox", () => {
  it("answers its page at /inbox and every path under it, with nothing inline and a strict policy", async () => {
    for (const path of ["/inbox", "/inbox/tickets/TKT-2026-000001", "/inbox/admin/webhooks"]) {
      const res = await fetch(`${api.url}${path}`, { headers: { "accept-encoding": "br, gzip" } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("content-encoding")).toBe("br");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      const policy = res.headers.get("content-security-policy")!;
      for (const directive of ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'"]) expect(policy).toContain(directive);
      expect(policy).not.toContain("unsafe");
      const html = await res.text();
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=|\son\w+=/);
    }
  });

  it("serves the hashed assets immutable and compressed, answers unknown ones with the error shape, and lists the inbox on /", async () => {
    const assets = builtAssets();
    expect(assets.filter((asset) => asset.initial && asset.file.endsWith(".js")).reduce((sum, asset) => sum + asset.gzip, 0)).toBeLessThanOrEqual(FIRST_SCREEN_BUDGET_GZIP);
    for (const asset of assets) {
      const res = await fetch(`${api.url}/inbox/${asset.file}`, { headers: { "accept-encoding": "gzip" } });
      expect(res.status, asset.file).toBe(200);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(res.headers.get("content-encoding")).toBe("gzip");
      expect(res.headers.get("content-type")).toMatch(asset.file.endsWith(".js") ? /^text\/javascript/ : /^text\/css/);
      await res.arrayBuffer();
    }
    const missing = await fetch(`${api.url}/inbox/assets/inbox-0123456789abcdef.js`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("not_found");
    const traversal = await fetch(`${api.url}/inbox/assets/..%2F..%2Fpackage.json`);
    expect(traversal.status).toBe(404);
    const home = await (await fetch(`${api.url}/`)).text();
    expect(home).toContain('<a href="/inbox">');
  });
});
