/**
 * Which ticket rooms each person was let into, so that a revocation (a deactivated agent, or
 * one removed from a site)
 * reaches every room where they may still hold a socket. Connections outlive their
 * one-minute connect ticket, so the rooms a person was let into since this process started
 * are where they may still be; a room forgotten here (oldest first, past the cap) can only
 * hold a connection older than that. Site rooms need no memory: a revocation goes to all.
 */
export interface TicketRoomMemory {
  /** A connect ticket for this ticket room was issued to this person. */
  joined(userId: string, ticketId: string): void;
  /** The ticket rooms to revoke this person in, most recently joined last. */
  roomsOf(userId: string): string[];
  /** After a revocation is committed: its rooms are told, nothing more to remember. */
  forget(userId: string): void;
  /** After a partial revocation (a site taken away) is committed: only these rooms are forgotten. */
  forgetRooms(userId: string, ticketIds: readonly string[]): void;
}

const TICKET_ROOMS_PER_USER = 1_000;

export function createTicketRoomMemory(capPerUser = TICKET_ROOMS_PER_USER): TicketRoomMemory {
  const rooms = new Map<string, Set<string>>();
  return {
    joined(userId, ticketId) {
      let joined = rooms.get(userId);
      if (!joined) rooms.set(userId, (joined = new Set()));
      joined.delete(ticketId); // re-added below as the newest
      joined.add(ticketId);
      if (joined.size > capPerUser) joined.delete(joined.values().next().value!);
    },
    roomsOf: (userId) => [...(rooms.get(userId) ?? [])],
    forget(userId) {
      rooms.delete(userId);
    },
    forgetRooms(userId, ticketIds) {
      const joined = rooms.get(userId);
      if (!joined) return;
      for (const id of ticketIds) joined.delete(id);
      if (joined.size === 0) rooms.delete(userId);
    },
  };
}
