// Plain constants, kept apart from the schemas so that clients can import them without zod.

/** How long a connect ticket from POST /v1/realtime/token stays valid. */
export const REALTIME_TICKET_TTL_S = 60;
/** A client may send at most one typing frame per this many ms; the room drops the rest. */
export const TYPING_THROTTLE_MS = 3_000;
/** A typing indicator the room has not heard about again for this long is cleared. */
export const TYPING_EXPIRY_MS = 6_000;
/** Largest frame a client may send. */
export const MAX_CLIENT_FRAME_BYTES = 2_048;
/** Frames a connection may send per window before it is closed with 1008. */
export const CLIENT_FRAME_LIMIT = { frames: 30, windowMs: 10_000 } as const;
/**
 * Simultaneous connections one person (one token subject) may hold in one room: enough for
 * several tabs, too few to exhaust a room. One more is closed with 1008 as it arrives.
 */
export const MAX_CONNECTIONS_PER_USER = 5;
