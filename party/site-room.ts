import type * as Party from "partykit/server";
import { SiteFrameSchema, type SiteFrame } from "../protocol/realtime.js";
import { POLICY_VIOLATION } from "./frame-guard.js";
import { RoomMembers, type Member } from "./members.js";
import { receiveNotify, revokeMember, type NotifiedRoom, type NotifyRules } from "./notify.js";
import { admitConnection, seatMember, SpentTickets } from "./room-gate.js";
import { Revocations } from "./revocations.js";
import { SeenNonces } from "./signature.js";

/** What the site room relays from the API: its frames, to agents (the only members anyway). */
export const siteNotifyRules: NotifyRules<SiteFrame> = { frameSchema: SiteFrameSchema };

/**
 * `site:<siteId>`: the inbox's queue feed, agents only. It relays what the API posts
 * (ticket.created/updated, agent status, unread counts) and shows which agents are online.
 * Clients send nothing here.
 */
export default class SiteRoom implements Party.Server, NotifiedRoom {
  static onBeforeConnect(req: Party.Request, lobby: Party.Lobby) {
    return admitConnection(req, lobby, { party: "site", kinds: ["agent"] });
  }

  readonly members = new RoomMembers();
  readonly notifyNonces = new SeenNonces();
  readonly spentTickets: SpentTickets;
  readonly revocations: Revocations;

  constructor(readonly room: Party.Room) {
    this.spentTickets = new SpentTickets(room.storage);
    this.revocations = new Revocations(room.storage);
  }

  async onConnect(connection: Party.Connection, ctx: Party.ConnectionContext) {
    await seatMember(connection, ctx, this.spentTickets, this.members, this.revocations);
  }

  onMessage(raw: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection) {
    const member = this.members.get(sender.id);
    if (!member) return; // being closed: not admitted or already ejected
    const admitted = member.guard.admit(raw);
    if (!admitted.ok) {
      this.members.send(member, admitted.error);
      if (admitted.close) this.#eject(member, admitted.error.message);
      return;
    }
    this.members.send(member, { type: "error", code: "bad_frame", message: "the site room accepts no client frames" });
  }

  onClose(connection: Party.Connection) {
    const member = this.members.remove(connection.id);
    if (!member) return; // the room closed it (ejected or not admitted): nothing left to do
    // workerd (at this compatibility date) does not answer a client's close frame by itself;
    // without this the client's close() hangs until its own timeout.
    connection.close(1000, "closed by client");
    this.members.announcePresence();
  }

  onError(connection: Party.Connection) {
    if (this.members.remove(connection.id)) this.members.announcePresence();
  }

  onRequest(req: Party.Request) {
    return receiveNotify(req, this.room, this, siteNotifyRules);
  }

  revoke(userId: string): Promise<number> {
    return revokeMember(this.members, this.revocations, userId);
  }

  #eject(member: Member, reason: string) {
    this.members.remove(member.connection.id);
    member.connection.close(POLICY_VIOLATION, reason);
    this.members.announcePresence();
  }
}

SiteRoom satisfies Party.Worker;
