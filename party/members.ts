import type * as Party from "partykit/server";
import { type Participant, type ParticipantKind, type ServerFrame, type SiteFrame } from "../protocol/realtime.js";
import { FrameGuard, POLICY_VIOLATION } from "./frame-guard.js";

/** What a room keeps per admitted connection (also mirrored in `connection.state`). */
export interface Member {
  connection: Party.Connection;
  participant: Participant;
  guard: FrameGuard;
}

type RoomFrame = ServerFrame | SiteFrame;

const kindOrder: Record<ParticipantKind, number> = { agent: 0, visitor: 1 };

function byKindThenName(a: Participant, b: Participant): number {
  if (a.kind !== b.kind) return kindOrder[a.kind] - kindOrder[b.kind];
  if (a.name !== b.name) {
    if (a.name === null) return 1;
    if (b.name === null) return -1;
    return a.name < b.name ? -1 : 1;
  }
  return a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0;
}

/**
 * The admitted connections of one room. A connection is removed before the room closes it,
 * so nothing is ever sent to a socket on its way out.
 */
export class RoomMembers {
  readonly #members = new Map<string, Member>();
  #announced = "";

  add(connection: Party.Connection, participant: Participant): Member {
    connection.setState(participant);
    const member: Member = { connection, participant, guard: new FrameGuard() };
    this.#members.set(connection.id, member);
    return member;
  }

  get(connectionId: string): Member | undefined {
    return this.#members.get(connectionId);
  }

  /** How many connections this person holds here (tabs, devices). */
  connectionsOf(userId: string): number {
    let count = 0;
    for (const { participant } of this.#members.values()) if (participant.userId === userId) count += 1;
    return count;
  }

  /**
   * Closes every connection of `userId` (1008). Answers the members removed, so the room can
   * clear what they left behind (typing) and announce presence; refusing their older connect
   * tickets from now on is the room's `Revocations`.
   */
  revoke(userId: string): Member[] {
    const removed = [...this.#members.values()].filter((member) => member.participant.userId === userId);
    for (const member of removed) {
      this.#members.delete(member.connection.id);
      member.connection.close(POLICY_VIOLATION, "access revoked");
    }
    return removed;
  }

  remove(connectionId: string): Member | undefined {
    const member = this.#members.get(connectionId);
    this.#members.delete(connectionId);
    return member;
  }

  /** Everyone here, once per person however many tabs they have open. */
  participants(): Participant[] {
    const people = new Map<string, Participant>();
    for (const { participant } of this.#members.values()) people.set(participant.userId, participant);
    return [...people.values()].sort(byKindThenName);
  }

  send(member: Member, frame: RoomFrame): void {
    member.connection.send(JSON.stringify(frame));
  }

  /** Sends to every member `to` accepts (all by default); answers how many got it. */
  broadcast(frame: RoomFrame, to: (participant: Participant) => boolean = () => true): number {
    const text = JSON.stringify(frame);
    let delivered = 0;
    for (const { connection, participant } of this.#members.values()) {
      if (!to(participant)) continue;
      connection.send(text);
      delivered += 1;
    }
    return delivered;
  }

  /**
   * Tells everyone when the set of people changed; a newcomer whose arrival changed nothing
   * (a second tab) still gets the current list.
   */
  announcePresence(newcomer?: Member): void {
    const participants = this.participants();
    const announced = JSON.stringify(participants);
    const frame = { type: "presence.changed", participants } as const;
    if (announced !== this.#announced) {
      this.#announced = announced;
      this.broadcast(frame);
    } else if (newcomer) {
      this.send(newcomer, frame);
    }
  }
}
