import type * as Party from "partykit/server";
import { REALTIME_TICKET_TTL_S } from "../protocol/realtime.js";

const PREFIX = "revoked:";

/**
 * The people a room was told to revoke, and until when: a connect ticket of theirs that
 * expires by then was minted before the revocation and is refused (the API mints no new one).
 * Kept in memory for a race-free check and in room storage, because a room that empties is
 * dropped and made anew on the next connection (by PartyKit, or the in-process host, which
 * keeps an emptied room's storage for a ticket lifetime): memory alone would forget, and an
 * old ticket still inside its minute would get back in. An entry is dropped once no ticket it
 * covers can still be valid.
 */
export class Revocations {
  readonly #until = new Map<string, number>();

  constructor(private readonly storage: Party.Storage) {}

  /**
   * Refuses `userId`'s tickets minted up to now: in memory at once (before any await, so a
   * connection being seated meanwhile is refused), then in storage.
   */
  async revoke(userId: string, nowS: number): Promise<void> {
    const until = nowS + REALTIME_TICKET_TTL_S;
    this.#until.set(userId, Math.max(until, this.#until.get(userId) ?? 0));
    await this.storage.put(`${PREFIX}${userId}`, this.#until.get(userId)!);
    await this.#forgetExpired(nowS);
  }

  /** Brings what storage remembers of `userId` into memory; await it before `refuses`. */
  async recall(userId: string): Promise<void> {
    const stored = await this.storage.get<number>(`${PREFIX}${userId}`);
    if (stored !== undefined) this.#until.set(userId, Math.max(stored, this.#until.get(userId) ?? 0));
  }

  /** True when this connect ticket predates a revocation of its holder (synchronous: check it right before seating). */
  refuses(userId: string, ticketExp: number): boolean {
    const until = this.#until.get(userId);
    return until !== undefined && ticketExp <= until;
  }

  async #forgetExpired(nowS: number): Promise<void> {
    for (const [user, until] of this.#until) if (until < nowS) this.#until.delete(user);
    const stored = await this.storage.list<number>({ prefix: PREFIX });
    const expired = [...stored].filter(([, until]) => until < nowS).map(([key]) => key);
    for (let i = 0; i < expired.length; i += 128) await this.storage.delete(expired.slice(i, i + 128));
  }
}
