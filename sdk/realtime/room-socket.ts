import PartySocket from "partysocket";
import type { RealtimeToken } from "../../protocol/index.js";

/**
 * A reconnecting socket to one room. Each connection attempt needs a fresh single-use
 * connect ticket; the first ticket also tells where the room is, so it is fetched up front
 * and then spent on the first attempt rather than thrown away.
 */
export function openRoomSocket(connectTicket: () => Promise<RealtimeToken>, WebSocket: unknown, onError: (error: Error) => void): PartySocket {
  let unspent: RealtimeToken | null = null;
  const socket = new PartySocket({
    host: "placeholder.invalid",
    startClosed: true,
    WebSocket,
    minReconnectionDelay: 200,
    maxReconnectionDelay: 5_000,
    // partysocket asks for the query before every connection attempt.
    query: async () => {
      const ticket = unspent ?? (await connectTicket());
      unspent = null;
      return { ticket: ticket.token };
    },
  });
  connectTicket()
    .then((first) => {
      unspent = first;
      const url = new URL(first.host);
      socket.updateProperties({ host: url.host, protocol: url.protocol === "wss:" ? "wss" : "ws", party: first.party, room: first.room });
      socket.reconnect();
    })
    .catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
  return socket;
}
