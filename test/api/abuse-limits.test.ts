import { createClient } from "@libsql/client";
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiClient, type ApiClient } from "../support/client.js";
import { ADMIN, AGENT_PASSWORD, freePort, startApi, type RunningApi } from "../support/server.js";

/**
 * Limits that hold against one client posing as many: connect tickets per caller, FAQ votes
 * across new anonymous sessions, and the per-account login lockout. Addresses come from
 * X-Forwarded-For (PARLEY_TRUST_PROXY=1), so one test process can speak from several.
 */

let api: RunningApi;
let client: ApiClient;

beforeAll(async () => {
  // Connect tickets are only signed when realtime is configured; nothing needs to listen there,
  // since no socket is opened (notifications to it fail and are logged, as the server does).
  const rooms = `http://127.0.0.1:${await freePort()}`;
  api = await startApi({ env: { PARLEY_TRUST_PROXY: "1", PARLEY_REALTIME_URL: rooms, PARLEY_ROOM_SECRET: "room-secret-for-limit-tests-0123456789" } });
  client = apiClient(api.url);
});
afterAll(() => api?.stop());

const from = (address: string) => ({ "x-forwarded-for": address });

async function sessionFrom(address: string, visitor?: unknown): Promise<string> {
  const res = await client.call("POST", "/v1/sessions", { body: { siteKey: "pk_demo", ...(visitor ? { visitor } : {}) }, headers: from(address) });
  if (res.status !== 201) throw new Error(`session failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

describe("POST /v1/realtime/token", () => {
  it("answers 429 with Retry-After past 60 connect tickets a minute for one caller, and not for another", async () => {
    const { token } = await client.visitor();
    const { number } = await client.ticket(token);
    const issue = (bearer: string) => client.call("POST", "/v1/realtime/token", { token: bearer, body: { ticket: number } });
    for (let i = 0; i < 60; i++) {
      const res = await issue(token);
      expect([i, res.status]).toEqual([i, 200]);
    }
    const refused = await issue(token);
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // An agent is a caller of their own.
    const agent = await client.login("ada@parley.test", AGENT_PASSWORD);
    expect((await issue(agent.token)).status).toBe(200);
  });
});

describe("FAQ votes against session churn", () => {
  const vote = (token: string, helpful: boolean, address: string) =>
    client.call("POST", "/v1/faqs/reset-your-password/vote", { token, body: { helpful }, headers: from(address) });
  const counts = async () => {
    const res = await client.call("GET", "/v1/faqs/reset-your-password", { site: "pk_demo" });
    return { helpfulCount: res.body.helpfulCount, notHelpfulCount: res.body.notHelpfulCount };
  };

  it("takes one anonymous vote per article per address and day, however many sessions ask", async () => {
    const start = await counts();
    const first = await sessionFrom("198.51.100.7");
    expect((await vote(first, true, "198.51.100.7")).body).toEqual({ ...start, helpfulCount: start.helpfulCount + 1 });

    // A new anonymous session from the same address (cleared storage, another tab profile).
    for (const helpful of [true, false]) {
      const churned = await vote(await sessionFrom("198.51.100.7"), helpful, "198.51.100.7");
      expect([churned.status, churned.body.error.code]).toEqual([409, "conflict"]);
    }
    expect(await counts()).toEqual({ ...start, helpfulCount: start.helpfulCount + 1 });

    // The first voter may still change their mind, even from elsewhere.
    expect((await vote(first, false, "198.51.100.99")).body).toEqual({ ...start, notHelpfulCount: start.notHelpfulCount + 1 });
    // Another address is another voter.
    expect((await vote(await sessionFrom("198.51.100.8"), true, "198.51.100.8")).status).toBe(200);
    expect(await counts()).toEqual({ helpfulCount: start.helpfulCount + 1, notHelpfulCount: start.notHelpfulCount + 1 });
  });

  it("counts each verified visitor once, whatever address they share", async () => {
    const db = createClient({ url: `file:${api.dbFile}` });
    const { rows } = await db.execute("select identity_secret from sites where public_key = 'pk_demo'");
    db.close();
    const secret = String(rows[0]!.identity_secret);
    const verified = (id: string) => sessionFrom("198.51.100.50", { id, hash: createHmac("sha256", secret).update(id).digest("hex") });

    const start = await counts();
    expect((await vote(await sessionFrom("198.51.100.50"), false, "198.51.100.50")).status).toBe(200);
    const kim = await verified("kim");
    expect((await vote(kim, false, "198.51.100.50")).status).toBe(200);
    expect((await vote(await verified("lee"), false, "198.51.100.50")).status).toBe(200);
    // Kim's next session is still Kim: the vote stays one.
    expect((await vote(await verified("kim"), false, "198.51.100.50")).status).toBe(200);
    expect(await counts()).toEqual({ ...start, notHelpfulCount: start.notHelpfulCount + 3 });
  });
});

describe("login lockout", () => {
  it("answers a known and an unknown email alike, and locks both after 5 failures", async () => {
    // A new address per attempt keeps the per-address limiter out of it: the lockout is per account.
    let address = 0;
    const attempt = (email: string, password: string) =>
      client.call("POST", "/v1/auth/login", { body: { email, password }, headers: from(`192.0.2.${++address}`) });
    const known = ADMIN.email;
    const unknown = "nobody-here@parley.test";

    for (let i = 0; i < 5; i++) {
      const [a, b] = [await attempt(known, "wrong-password-x"), await attempt(unknown, "wrong-password-x")];
      expect([i, a.status, a.body]).toEqual([i, 401, { error: { code: "unauthorized", message: "email or password is wrong" } }]);
      expect([i, b.status, b.body]).toEqual([i, a.status, a.body]);
    }
    const [lockedKnown, lockedUnknown] = [await attempt(known, "wrong-password-x"), await attempt(unknown, "wrong-password-x")];
    expect(lockedKnown.status).toBe(429);
    expect(lockedKnown.body.error.code).toBe("rate_limited");
    expect([lockedUnknown.status, lockedUnknown.body]).toEqual([lockedKnown.status, lockedKnown.body]);
    for (const res of [lockedKnown, lockedUnknown]) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(60);

    // While locked even the right password is refused, the same way.
    const right = await attempt(known, ADMIN.password);
    expect([right.status, right.body]).toEqual([lockedKnown.status, lockedKnown.body]);
    // Other accounts are untouched, and the email's case does not make it another account.
    expect((await attempt("ada@parley.test", AGENT_PASSWORD)).status).toBe(200);
    expect((await attempt(known.toUpperCase(), ADMIN.password)).status).toBe(429);
  });
});
