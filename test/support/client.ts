import { ADMIN, AGENT_PASSWORD } from "./server.js";

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  site?: string;
  body?: unknown;
  /** Sent as is, instead of JSON-encoding `body`. */
  raw?: string;
  headers?: Record<string, string>;
}

let counter = 0;
/** A fresh clientId for idempotent writes. */
export const clientId = (prefix = "c") => `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** A thin fetch wrapper for the tests: no retries, no magic, just status and parsed body. */
export function apiClient(baseUrl: string) {
  async function call<T = any>(method: string, path: string, options: CallOptions = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.site) headers["x-parley-site"] = options.site;
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON (docs pages); the raw text stays in body
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** The id of the site with this key (the demo site unless told otherwise), read with an admin token. */
  async function siteId(adminToken: string, key = "pk_demo"): Promise<string> {
    const res = await call("GET", "/v1/admin/sites?limit=100", { token: adminToken });
    const site = (res.body?.items as { id: string; key: string }[] | undefined)?.find((item) => item.key === key);
    if (!site) throw new Error(`no site ${key}: ${res.status} ${JSON.stringify(res.body)}`);
    return site.id;
  }

  return {
    call,
    /** The four verbs as one caller: `as(token).get(path)`, `.post(path, body)`, `.patch(path, body)`, `.delete(path)`. */
    as: (token: string) => ({
      get: (path: string) => call("GET", path, { token }),
      post: (path: string, body: unknown = {}) => call("POST", path, { token, body }),
      patch: (path: string, body: unknown) => call("PATCH", path, { token, body }),
      delete: (path: string) => call("DELETE", path, { token }),
    }),
    async visitor(siteKey = "pk_demo"): Promise<{ token: string; visitorId: string }> {
      const res = await call("POST", "/v1/sessions", { body: { siteKey } });
      if (res.status !== 201) throw new Error(`session failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.token, visitorId: res.body.visitor.id };
    },
    async login(email: string, password = email === ADMIN.email ? ADMIN.password : AGENT_PASSWORD): Promise<{ token: string; agentId: string }> {
      const res = await call("POST", "/v1/auth/login", { body: { email, password } });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
      return { token: res.body.token, agentId: res.body.agent.id };
    },
    siteId,
    /**
     * Creates an agent through the admin route. It works on the demo site, as the seeded agents
     * do, unless `siteIds` says otherwise: an agent without a site sees no ticket at all.
     */
    async createAgent(adminToken: string, fields: { email: string; name?: string; password: string; siteIds?: string[]; [key: string]: unknown }): Promise<{ id: string; email: string; [key: string]: any }> {
      const body = { name: fields.email.split("@")[0], ...fields, siteIds: fields.siteIds ?? [await siteId(adminToken)] };
      const res = await call("POST", "/v1/admin/agents", { token: adminToken, body });
      if (res.status !== 201) throw new Error(`agent failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async ticket(token: string, fields: Record<string, unknown> = {}): Promise<{ number: string; [key: string]: any }> {
      const res = await call("POST", "/v1/tickets", {
        token,
        body: { subject: "Sync stopped working", description: "My desktop app stopped syncing yesterday.", ...fields },
      });
      if (res.status !== 201) throw new Error(`ticket failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
  };
}

export type ApiClient = ReturnType<typeof apiClient>;
