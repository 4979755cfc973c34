import { eq, sql } from "drizzle-orm";
import { agents, categories, tickets } from "../db/schema.js";
import { notFound } from "../domain/errors.js";
import { recordEvent } from "../tickets/store.js";
import { runCommand, type Actor, type CommandContext } from "./command.js";
import { snapshotOf } from "./snapshot.js";

/**
 * deleteCategory: its tickets lose the category, each with a history row (the foreign key
 * would clear them silently), and the change is announced for every one of them; agents'
 * skills forget it.
 */
export function deleteCategory(context: CommandContext, input: { categoryId: string; actor: Actor }): Promise<void> {
  return runCommand(context, async ({ tx, at, announce }) => {
    const category = await tx.query.categories.findFirst({ where: eq(categories.id, input.categoryId) });
    if (!category) throw notFound(`category ${input.categoryId}`);
    const affected = await tx.update(tickets).set({ categoryId: null, updatedAt: at }).where(eq(tickets.categoryId, category.id)).returning();
    for (const ticket of affected) {
      await recordEvent(tx, ticket.id, "category_changed", input.actor, { from: category.slug, to: null }, at);
    }
    // Agents skilled in it lose the skill: an agent whose only skill it was handles any category again.
    await tx
      .update(agents)
      .set({ skills: sql`(select json_group_array(value) from json_each(${agents.skills}) where value <> ${category.id})` })
      .where(sql`exists (select 1 from json_each(${agents.skills}) where value = ${category.id})`);
    await tx.delete(categories).where(eq(categories.id, category.id));
    await announce({ type: "category.deleted", categoryId: category.id, affectedTickets: affected.map(snapshotOf) });
  });
}
