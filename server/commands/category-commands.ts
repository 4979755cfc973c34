import { eq } from "drizzle-orm";
import { categories, tickets } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { recordEvent } from "../tickets/store.js";
import { runCommand, type Actor, type CommandContext } from "./command.js";
import { snapshotOf } from "./snapshot.js";

/**
 * deleteCategory: its tickets lose the category, each with a history row (the foreign key
 * would clear them silently), and the change is announced for every one of them.
 */
export function deleteCategory(context: CommandContext, input: { categoryId: string; actor: Actor }): Promise<void> {
  return runCommand(context, async ({ tx, at, announce }) => {
    const category = await tx.query.categories.findFirst({ where: eq(categories.id, input.categoryId) });
    if (!category) throw notFound(`category ${input.categoryId}`);
    const affected = await tx.update(tickets).set({ categoryId: null, updatedAt: at }).where(eq(tickets.categoryId, category.id)).returning();
    for (const ticket of affected) {
      await recordEvent(tx, ticket.id, "category_changed", input.actor, { from: category.slug, to: null }, at);
    }
    await tx.delete(categories).where(eq(categories.id, category.id));
    await announce({ type: "category.deleted", categoryId: category.id, affectedTickets: affected.map(snapshotOf) });
  });
}
