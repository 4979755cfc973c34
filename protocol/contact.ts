import { z } from "zod";
import { SiteKeySchema } from "./session.js";
import { TicketNumberSchema } from "./common.js";

export const ContactBodySchema = z.object({
  siteKey: SiteKeySchema.optional(),
  name: z.string().trim().min(1).max(120),
  email: z.email().max(254),
  subject: z.string().trim().min(3).max(200),
  message: z.string().trim().min(1).max(10_000),
  /** Left empty by people; bots that fill every field are refused. */
  website: z.string().max(0, "leave this field empty").optional(),
});
export type ContactBody = z.infer<typeof ContactBodySchema>;

export const ContactReceiptSchema = z.object({ number: TicketNumberSchema, receivedAt: z.string() });
export type ContactReceipt = z.infer<typeof ContactReceiptSchema>;
