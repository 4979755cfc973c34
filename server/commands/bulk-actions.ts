import type { BulkActionBody, ErrorCode } from "../../protocol/index.js";
import { DomainError } from "../domain/errors.js";
import { editTags } from "../domain/ticket-tags.js";
import type { TicketRow } from "../tickets/views.js";
import type { Actor, CommandContext } from "./command.js";
import { assign, changeTicket, close, escalate, resolve } from "./ticket-actions.js";
import { routeTicket } from "./route-ticket.js";
import type { TicketRef } from "./ticket-ref.js";

/** What one ticket of a bulk action came to. */
export type BulkOutcome = { number: string; ok: true; ticket: TicketRow } | { number: string; ok: false; error: { code: ErrorCode; message: string } };

/**
 * How many of a batch's tickets are in the write queue at once. Enough for group commit to
 * write them a few dozen per transaction, few enough that a reply or a ticket written by
 * someone else meanwhile waits behind a handful of these, not behind all 500.
 */
export const BULK_WRITES_IN_FLIGHT = 16;

type TicketChange = (ticket: TicketRef) => Promise<TicketRow>;

/** The single-ticket command an action runs, with its arguments bound. */
function commandFor(context: CommandContext, body: BulkActionBody, actor: Actor): TicketChange {
  switch (body.action) {
    case "assign":
      return (ticket) => assign(context, { ticket, agentId: body.agentId, actor });
    case "status":
      return (ticket) => changeTicket(context, { ticket, change: { status: body.status }, actor });
    case "priority":
      return (ticket) => changeTicket(context, { ticket, change: { priority: body.priority }, actor });
    case "tags":
      return (ticket) =>
        changeTicket(context, {
          ticket,
          actor,
          change: (current) => {
            const edited = editTags(current.tags, body.op, body.tags);
            if (!edited.ok) throw new DomainError("validation_failed", edited.message, [{ path: "tags", message: edited.message }]);
            return { tags: edited.tags };
          },
        });
    case "escalate":
      return (ticket) => escalate(context, { ticket, reason: body.reason, departmentId: body.departmentId, tier: body.tier, agentId: body.agentId, actor });
    case "resolve":
      return (ticket) => resolve(context, { ticket, resolution: body.note, actor });
    case "close":
      return (ticket) => close(context, { ticket, message: body.note, actor });
    case "route":
      return async (ticket) => (await routeTicket(context, { ticket })).ticket;
  }
}

/**
 * Runs one action over many tickets, each through the command its single-ticket route uses,
 * each in its own transaction: a ticket that is refused (unknown, not the caller's to see,
 * an illegal move) is answered with its error and changes nothing, while every other ticket
 * is changed, audited and announced exactly as if it had been changed alone. One transaction
 * for the whole batch would hold the write lock for all 500 and turn one refusal into either
 * all-or-nothing or a half-applied transaction; per ticket, what the answer says happened is
 * what is stored.
 *
 * A number named twice is changed once (its first place in the list); results follow the
 * order of the distinct numbers. A failure that is not a refusal is logged and answered as
 * `internal` for that ticket; the tickets already changed stay changed, and the answer says so.
 */
export async function runBulkAction(
  context: CommandContext & { log: (message: string, error?: unknown) => void },
  input: {
    body: BulkActionBody;
    actor: Actor;
    ticketRef: (number: string) => TicketRef;
    /** Tickets in the write queue at once; bench/bulk.ts compares a few. */
    inFlight?: number;
  },
): Promise<BulkOutcome[]> {
  const numbers = [...new Set(input.body.numbers)];
  const run = commandFor(context, input.body, input.actor);
  const outcomes = new Array<BulkOutcome>(numbers.length);
  let next = 0;

  async function worker() {
    while (next < numbers.length) {
      const index = next++;
      const number = numbers[index]!;
      try {
        outcomes[index] = { number, ok: true, ticket: await run(input.ticketRef(number)) };
      } catch (error) {
        if (error instanceof DomainError) {
          outcomes[index] = { number, ok: false, error: { code: error.code, message: error.message } };
        } else {
          context.log(`bulk ${input.body.action} failed on ${number}`, error);
          outcomes[index] = { number, ok: false, error: { code: "internal", message: "something went wrong on our side; this ticket was not changed" } };
        }
      }
    }
  }

  await Promise.all(Array.from({ length: Math.max(1, Math.min(input.inFlight ?? BULK_WRITES_IN_FLIGHT, numbers.length)) }, worker));
  return outcomes;
}
