/**
 * Reads a room frame. The rooms validate what they relay and the API built it from the same
 * protocol, so the client checks only that it is JSON with a known `type` — keeping a schema
 * library out of the browser bundle.
 */
export function parseFrame<F extends { type: string }>(data: unknown, known: readonly F["type"][]): F | Error {
  let frame: unknown;
  try {
    frame = JSON.parse(String(data));
  } catch {
    return new Error("the room sent a frame that is not JSON");
  }
  const type = (frame as { type?: unknown } | null)?.type;
  if (typeof type !== "string" || !known.includes(type)) return new Error(`the room sent an unknown frame type: ${String(type)}`);
  return frame as F;
}
