import type * as Party from "partykit/server";
import { ClientFrameSchema, ServerFrameSchema, type Audience, type ServerFrame } from "../protocol/realtime.js";
import { POLICY_VIOLATION, unreachable } from "./frame-guard.js";
import { RoomMembers, type Member } from "./members.js";
import { receiveNotify, revokeMember, type NotifiedRoom, type NotifyRules } from "./notify.js";
import { admitConnection, seatMember, SpentTickets } from "./room-gate.js";
import { Revocations } from "./revocations.js";
import { SeenNonces } from "./signature.js";
import { TypingIndicators } from "./typing.js";

/** An internal note reaches agents only, even if a notification asks for everyone (or for visitors). */
function ticketAudience(frame: ServerFrame, requested: Audience): Audience {
  return frame.type === "message.created" && frame.message.internal ? "agents" : requested;
}

/** What the ticket room relays from the API, and to whom. */
export const ticketNotifyRules: NotifyRules<ServerFrame> = { frameSchema: ServerFrameSchema, audienceOf: ticketAudience };

/**
 * `ticket:<ticketId>`: the visitor and the agents on one ticket. Fans out what the API
 * commits (signed POST), and carries presence and typing, which are never stored.
 */
export default class TicketRoom implements Party.Server, NotifiedRoom {
  static onBeforeConnect(req: Party.Request, lobby: Party.Lobby) {
    return admitConnection(req, lobby, { party: "ticket", kinds: ["visitor", "agent"] });
  }

  readonly members = new RoomMembers();
  readonly typing = new TypingIndicators(this.members);
  readonly notifyNonces = new SeenNonces();
  readonly spentTickets: SpentTickets;
  readonly revocations: Revocations;

  constructor(readonly room: Party.Room) {
    this.spentTickets = new SpentTickets(room.storage);
    this.revocations = new Revocations(room.storage);
  }

  async onConnect(connection: Party.Connection, ctx: Party.ConnectionContext) {
    const member = await seatMember(connection, ctx, this.spentTickets, this.members, this.revocations);
    if (member) this.typing.greet(member);
  }

  onMessage(raw: string | ArrayBuffer | ArrayBufferView, sender: Party.Connection) {
    const member = this.members.get(sender.id);
    if (!member) return; // being closed: not admitted or already ejected
    const read = member.guard.read(raw, ClientFrameSchema);
    if (!read.ok) {
      this.members.send(member, read.error);
      if (read.close) this.#eject(member, read.error.message);
      return;
    }
    const frame = read.frame;
    switch (frame.type) {
      case "typing.set":
        return this.typing.set(member, frame.typing);
      default:
        return unreachable(frame.type);
    }
  }

  onClose(connection: Party.Connection) {
    const member = this.members.remove(connection.id);
    if (!member) return; // the room closed it (ejected or not admitted): nothing left to do
    // workerd (at this compatibility date) does not answer a client's close frame by itself;
    // without this the client's close() hangs until its own timeout.
    connection.close(1000, "closed by client");
    this.#left(member);
  }

  onError(connection: Party.Connection) {
    const member = this.members.remove(connection.id);
    if (member) this.#left(member);
  }

  onRequest(req: Party.Request) {
    return receiveNotify(req, this.room, this, ticketNotifyRules);
  }

  revoke(userId: string): Promise<number> {
    return revokeMember(this.members, this.revocations, userId, (member) => this.typing.left(member));
  }

  #eject(member: Member, reason: string) {
    this.members.remove(member.connection.id);
    member.connection.close(POLICY_VIOLATION, reason);
    this.#left(member);
  }

  #left(member: Member) {
    this.typing.left(member);
    this.members.announcePresence();
  }
}

TicketRoom satisfies Party.Worker;
