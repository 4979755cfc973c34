/** Parley's wire contract: every REST body, response and enum, as zod schemas and inferred types. */
export * from "./enums.js";
export * from "./error.js";
export * from "./common.js";
export * from "./session.js";
export * from "./ticket.js";
export * from "./message.js";
export * from "./faq.js";
export * from "./contact.js";
export * from "./agent.js";
export * from "./department.js";
export * from "./event.js";
export * from "./site.js";
export * from "./realtime.js";
export * from "./webhook.js";
export * from "./email.js";
export * from "./job.js";
