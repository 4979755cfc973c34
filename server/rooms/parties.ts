import type * as Party from "partykit/server";
import NoRoom from "../../party/main.js";
import SiteRoom from "../../party/site-room.js";
import TicketRoom from "../../party/ticket-room.js";

/** A party module's default export: a room class with optional static edge hooks. */
export type PartyClass = Party.Worker;

/**
 * The parties of partykit.json, hosted in the API process. `main` answers 404 for everything,
 * as it does on PartyKit; keep this list and partykit.json's `parties` in step.
 */
export const parties: Readonly<Record<string, PartyClass>> = {
  main: NoRoom,
  ticket: TicketRoom,
  site: SiteRoom,
};

export type RoomAddress = { party: string; room: string };

/** `/parties/<party>/<room>` → its parts (room decoded), or null for any other path. */
export function roomAddress(pathname: string): RoomAddress | null {
  const match = /^\/parties\/([^/]+)\/([^/]+)\/?$/.exec(pathname);
  if (!match) return null;
  try {
    return { party: decodeURIComponent(match[1]!), room: decodeURIComponent(match[2]!) };
  } catch {
    return null; // malformed percent-encoding: not a room path
  }
}
