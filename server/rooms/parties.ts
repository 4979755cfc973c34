import type * as Party from "partykit/server";
import type { RoomNotify, ServerFrame, SiteFrame } from "../../protocol/index.js";
import NoRoom from "../../party/main.js";
import { RoomMembers } from "../../party/members.js";
import { relayFrame, type NotifiedRoom, type NotifyRules } from "../../party/notify.js";
import SiteRoom, { siteNotifyRules } from "../../party/site-room.js";
import TicketRoom, { ticketNotifyRules } from "../../party/ticket-room.js";

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

/**
 * Applies a trusted notification to a room by that party's own rules: a frame is relayed to
 * its audience (synchronously), a revocation closes the person's sockets at once and is then
 * kept in the room's storage. Answers how many sockets it reached.
 */
export type Relay = (server: Party.Server, notify: RoomNotify) => number | Promise<number>;

function relayWith<F extends ServerFrame | SiteFrame>(party: string, rules: NotifyRules<F>): Relay {
  return (server, notify) => {
    const room = server as Partial<NotifiedRoom>;
    if (!(room.members instanceof RoomMembers) || typeof room.revoke !== "function") {
      throw new Error(`the ${party} room keeps no RoomMembers to relay to`);
    }
    if ("type" in notify) return room.revoke(notify.userId);
    const { members } = room;
    const { frame: raw, audience } = notify;
    // The same parse the room's onRequest makes, so clients get identical frames on PartyKit.
    const frame = rules.frameSchema.safeParse(raw);
    if (!frame.success) throw new Error(`not a ${party} room frame: ${frame.error.issues[0]?.message ?? "invalid"}`);
    return relayFrame(members, frame.data, audience, rules);
  };
}

/**
 * In-process notifications skip the room's HTTP side: no Request, no signature to verify (the
 * frame never left the process that would sign it), and no thread-pool hop for WebCrypto.
 */
export const relays: Readonly<Record<string, Relay>> = {
  ticket: relayWith("ticket", ticketNotifyRules),
  site: relayWith("site", siteNotifyRules),
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
