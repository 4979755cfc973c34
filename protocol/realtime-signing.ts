// The text the API signs for a room notification, shared by the signer and the rooms.

/** Nonces the rooms accept: 16 to 64 URL-safe characters. */
export const NOTIFY_NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;

/**
 * What a notify signature covers: timestamp, nonce, party, room and raw body, one per line.
 * None of the first four can hold a line break, so no two targets share a signing input.
 */
export function notifySigningInput(fields: { t: number | string; nonce: string; party: string; room: string; body: string }): string {
  return `${fields.t}\n${fields.nonce}\n${fields.party}\n${fields.room}\n${fields.body}`;
}
