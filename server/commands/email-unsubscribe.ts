import type { Database } from "../db/client.js";
import { emailUnsubscribes } from "../db/schema.js";

/** Stops all email to `address` from this site; asking twice changes nothing. */
export async function unsubscribeCustomer(db: Database, siteId: string, address: string, at: number): Promise<void> {
  await db.write((tx) =>
    tx.insert(emailUnsubscribes).values({ siteId, email: address.toLowerCase(), createdAt: at }).onConflictDoNothing(),
  );
}
