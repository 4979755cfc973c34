import { computed, signal } from "@preact/signals";
import { ParleyError } from "../../sdk/errors.js";
import { createAgentClient } from "../../sdk/realtime.js";
import type { Agent, AgentStatus } from "../../protocol/index.js";

export type AgentClient = Awaited<ReturnType<typeof createAgentClient>>;

/** The token lives in this tab's sessionStorage only: never in a URL, gone when the tab closes. */
const TOKEN_KEY = "parley:inbox:token";

/** Seconds since the epoch at which a JWT stops being accepted (read from its payload; the server checks the signature). */
export function tokenExpiry(token: string): number | null {
  try {
    const payload = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))) as { exp?: unknown };
    return typeof payload.exp === "number" ? payload.exp : null;
  } catch {
    return null;
  }
}

/**
 * Who is signed in. Any 401 (or the token's expiry time passing) ends the session as
 * `expired`: the app goes back to sign-in, and what was typed stays in the draft store.
 */
export function createSessionStore(baseUrl: string, storage: Storage = sessionStorage) {
  const client = signal<AgentClient | null>(null);
  const agent = signal<Agent | null>(null);
  const expired = signal(false);
  const restoring = signal(true);
  const error = signal<string | null>(null);
  let expiryTimer: ReturnType<typeof setTimeout> | undefined;

  const end = (reason: "expired" | "signed-out") => {
    clearTimeout(expiryTimer);
    storage.removeItem(TOKEN_KEY);
    client.value = null;
    agent.value = null;
    expired.value = reason === "expired";
  };

  // Every call goes through here, so one 401 anywhere ends the session the same way.
  const watchedFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = String(input instanceof Request ? input.url : input);
    if (response.status === 401 && client.value && !url.endsWith("/v1/auth/login")) end("expired");
    return response;
  };

  const start = (next: AgentClient) => {
    storage.setItem(TOKEN_KEY, next.token);
    client.value = next;
    agent.value = next.agent;
    expired.value = false;
    error.value = null;
    const exp = tokenExpiry(next.token);
    clearTimeout(expiryTimer);
    if (exp) expiryTimer = setTimeout(() => end("expired"), Math.max(0, exp * 1000 - Date.now()));
  };

  return {
    client,
    agent,
    expired,
    restoring,
    error,
    isAdmin: computed(() => agent.value?.role === "admin"),

    /** Picks up this tab's sign-in after a reload; an expired token lands on sign-in as `expired`. */
    async restore() {
      const token = storage.getItem(TOKEN_KEY);
      try {
        if (!token) return;
        start(await createAgentClient({ baseUrl, token, fetch: watchedFetch }));
      } catch (failure) {
        storage.removeItem(TOKEN_KEY);
        if (failure instanceof ParleyError && failure.status === 401) expired.value = true;
        else error.value = failure instanceof Error ? failure.message : String(failure);
      } finally {
        restoring.value = false;
      }
    },

    async signIn(email: string, password: string) {
      error.value = null;
      try {
        start(await createAgentClient({ baseUrl, credentials: { email, password }, fetch: watchedFetch }));
      } catch (failure) {
        error.value = failure instanceof Error ? failure.message : String(failure);
      }
    },

    signOut() {
      end("signed-out");
    },

    async setStatus(status: AgentStatus) {
      const current = client.value;
      if (current) agent.value = await current.setStatus(status);
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
