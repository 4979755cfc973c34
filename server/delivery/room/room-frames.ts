import { eq } from "drizzle-orm";
import type { RoomNotify } from "../../../protocol/index.js";
import type { Orm } from "../../db/client.js";
import type { CategoryTable } from "../../db/reference-cache.js";
import { tickets } from "../../db/schema.js";
import { DomainError } from "../../domain/errors.js";
import { unreadCounts } from "../../tickets/access.js";
import { presentAgentTicket } from "../../tickets/present.js";
import type { RoomBuild } from "./room-payload.js";

/** Completes a site room frame from the ticket as it is now (the room channel's `complete`). */
export function roomFrameBuilder(orm: Orm, categories: () => Promise<CategoryTable>, now: () => number) {
  return async function complete({ audience, build }: RoomBuild): Promise<RoomNotify> {
    const ticket = await orm.query.tickets.findFirst({ where: eq(tickets.id, build.ticketId) });
    if (!ticket) throw new DomainError("not_found", `ticket ${build.ticketId} not found`);
    if (build.kind === "agent-ticket") {
      return { audience, frame: { type: build.frameType, ticket: await presentAgentTicket(orm, ticket, now(), await categories()) } };
    }
    const unread = await unreadCounts(orm, [ticket], "agent");
    return { audience, frame: { type: "unread.changed", number: ticket.number, unreadCount: unread.get(ticket.id) ?? 0 } };
  };
}
