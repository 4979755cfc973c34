/**
 * @parley/sdk — the REST client for visitors and agents. Realtime lives in
 * `@parley/sdk/realtime`, so apps that only call the API never load a WebSocket client.
 */
export { createClient, type ClientOptions, type ParleyClient } from "./visitor-client.js";
export { createAgentClient, type AgentClientOptions, type ParleyAgentClient } from "./agent-client.js";
export { ParleyError, ParleyNetworkError, isParleyError } from "./errors.js";
export { memoryStore, defaultStore, type KeyValueStore } from "./storage.js";
export type { SendOptions } from "./sender.js";
export type { OutboxEntry } from "./outbox.js";
export type * from "../protocol/index.js";
