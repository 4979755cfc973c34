import { z } from "zod";

export const IdSchema = z.string().min(1).max(64);
export const IsoDateSchema = z.string().describe("ISO 8601 timestamp");

/** Public ticket identifier, e.g. `TKT-2026-000123`. */
export const TicketNumberSchema = z
  .string()
  .regex(/^TKT-\d{4}-\d{6,}$/, "a ticket number looks like TKT-2026-000123");

export const TicketNumberParamsSchema = z.object({ number: TicketNumberSchema });
export const IdParamsSchema = z.object({ id: IdSchema });
export const SlugSchema = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase letters, digits and single dashes");
export const SlugParamsSchema = z.object({ slug: SlugSchema });

export const LimitSchema = z.coerce.number().int().min(1).max(100).default(25);
export const CursorQuerySchema = z.object({
  cursor: z.string().max(512).optional(),
  limit: LimitSchema,
});

/** Every list answers `{ items, nextCursor }`; `nextCursor` is null on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
export type Page<T> = { items: T[]; nextCursor: string | null };

export const TagSchema = z.string().trim().min(1).max(40).regex(/^[^,\s][^,]*$/, "tags may not contain commas");
export const TagsSchema = z.array(TagSchema).max(20);

export const OkSchema = z.object({ ok: z.literal(true) });
