import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../db/client.js";
import { searchStatements } from "./search.js";

/**
 * A search ranks over the whole index, then asks which of the few ranked rowids this visitor
 * may see. That second read must look those rowids up, never walk every article of the site:
 * the (site, slug) index tempted the planner into the walk, which cost a large help centre
 * milliseconds per search.
 */

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-faq-plan-"));
  db = await openDatabase(`file:${join(dir, "plan.db")}`);
});

afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the visible-articles read of a search", () => {
  for (const name of ["visible", "visibleInCategory"] as const) {
    it(`${name} looks the ranked rowids up by primary key`, async () => {
      const { sql, params } = searchStatements(db.orm)[name].getQuery();
      const args = params.map(() => null);
      const plan = (await db.client.execute({ sql: `EXPLAIN QUERY PLAN ${sql}`, args })).rows.map((row) => String(row.detail));
      expect(plan.some((step) => /SEARCH faqs USING INTEGER PRIMARY KEY \(rowid=\?\)/.test(step)), plan.join("\n")).toBe(true);
      expect(plan.some((step) => /faqs_site_slug_idx/.test(step)), plan.join("\n")).toBe(false);
    });
  }
});
