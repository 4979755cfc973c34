import { TYPING_EXPIRY_MS, TYPING_THROTTLE_MS, type Participant } from "../protocol/realtime.js";
import type { Member, RoomMembers } from "./members.js";

interface Typist {
  participant: Participant;
  /** The connection whose `typing: true` set this; its closing clears the indicator. */
  connectionId: string;
  expiry: ReturnType<typeof setTimeout>;
}

/**
 * Who is typing in a ticket room. Never stored: indicators expire on their own, and the
 * person's own connections never hear about their own typing.
 */
export class TypingIndicators {
  /** When each connection last had a `typing: true` accepted (ms). */
  readonly #acceptedAt = new Map<string, number>();
  readonly #typists = new Map<string, Typist>();

  constructor(
    private readonly members: RoomMembers,
    private readonly now: () => number = Date.now,
  ) {}

  set(member: Member, typing: boolean): void {
    const { connection, participant } = member;
    if (!typing) return this.#clear(participant.userId);
    const now = this.now();
    const last = this.#acceptedAt.get(connection.id);
    if (last !== undefined && now - last < TYPING_THROTTLE_MS) return; // dropped: throttled
    this.#acceptedAt.set(connection.id, now);
    const previous = this.#typists.get(participant.userId);
    if (previous) clearTimeout(previous.expiry);
    const expiry = setTimeout(() => this.#clear(participant.userId), TYPING_EXPIRY_MS);
    this.#typists.set(participant.userId, { participant, connectionId: connection.id, expiry });
    this.#announce(participant, true);
  }

  /** Tells a newcomer who is typing right now. */
  greet(newcomer: Member): void {
    for (const { participant } of this.#typists.values()) {
      if (participant.userId === newcomer.participant.userId) continue;
      this.members.send(newcomer, { type: "typing.changed", participant, typing: true });
    }
  }

  left(member: Member): void {
    this.#acceptedAt.delete(member.connection.id);
    if (this.#typists.get(member.participant.userId)?.connectionId === member.connection.id) {
      this.#clear(member.participant.userId);
    }
  }

  #clear(userId: string): void {
    const typist = this.#typists.get(userId);
    if (!typist) return;
    clearTimeout(typist.expiry);
    this.#typists.delete(userId);
    this.#announce(typist.participant, false);
  }

  #announce(participant: Participant, typing: boolean): void {
    this.members.broadcast({ type: "typing.changed", participant, typing }, (p) => p.userId !== participant.userId);
  }
}
