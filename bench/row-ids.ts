/**
 * What a row id's order costs the write path: messages inserted into the project's own
 * `messages` table (its keys, its indexes, its search trigger) on a libSQL file already
 * holding `--rows` messages, in commits of 11 as group commit makes them under load. Two
 * files alike but for the ids: random UUIDs (v4) and time-ordered UUIDs (v7, what `newId`
 * makes). Rounds alternate between the files so the machine's load falls on both. Prints µs
 * per insert, the automatic checkpoints included; never judges them.
 *
 *   npx tsx bench/row-ids.ts [--rows 300000] [--rounds 20]
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import Database from "libsql";
import { v7 as uuidv7 } from "uuid";
import { openDatabase } from "../server/db/client.js";
import { formatTable, machineLine, percentile } from "./support.js";

const { values } = parseArgs({ options: { rows: { type: "string", default: "300000" }, rounds: { type: "string", default: "20" } } });
const rows = Number(values.rows);
const rounds = Number(values.rounds);
const WRITES_PER_COMMIT = 11;
const COMMITS_PER_ROUND = 200;
const TICKETS = 5_000;

const dir = mkdtempSync(join(tmpdir(), "parley-bench-row-ids-"));

interface Variant {
  label: string;
  insertBatch(count: number): number;
  close(): void;
}

async function variant(label: string, newId: () => string): Promise<Variant> {
  const file = join(dir, `${label.split(" ")[0]}.db`);
  // The schema as the server migrates it; then the driver itself, so only SQLite's work is timed.
  (await openDatabase(`file:${file}`, { walCheckpoints: "in-commit" })).close();
  const db = new Database(file);
  db.exec("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = OFF;");
  const ticketIds = Array.from({ length: TICKETS }, () => newId());
  const insertTicket = db.prepare("INSERT INTO tickets (id, number, site_id, subject, description, source) VALUES (?, ?, 'bench', 'Bench', 'Bench', 'api')");
  db.exec("BEGIN");
  ticketIds.forEach((id, i) => insertTicket.run(id, `T-${i}`));
  db.exec("COMMIT");
  const insert = db.prepare(
    "INSERT INTO messages (id, ticket_id, seq, visible_seq, client_id, sender_type, sender_name, body, internal, attachments, created_at) VALUES (?, ?, ?, ?, ?, 'customer', 'Bench', ?, 0, '[]', ?)",
  );
  const seqs = new Map<string, number>();
  const one = (ticketId: string) => {
    const seq = (seqs.get(ticketId) ?? 0) + 1;
    seqs.set(ticketId, seq);
    insert.run(newId(), ticketId, seq, seq, `bench-${seq}`, "Hello, my sync stopped again since this morning.", Date.now());
  };
  db.exec("BEGIN");
  for (let i = 0; i < rows; i++) one(ticketIds[i % TICKETS]!);
  db.exec("COMMIT");
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  return {
    label,
    insertBatch(count) {
      const start = process.hrtime.bigint();
      db.exec("BEGIN IMMEDIATE");
      // Live conversations: a few dozen tickets take the new messages.
      for (let i = 0; i < count; i++) one(ticketIds[Math.floor(Math.random() * 50)]!);
      db.exec("COMMIT");
      return Number(process.hrtime.bigint() - start) / 1000 / count;
    },
    close: () => db.close(),
  };
}

console.log(machineLine("node"));
console.log(`${rows.toLocaleString("en")} messages on ${TICKETS.toLocaleString("en")} tickets; ${rounds} rounds × ${COMMITS_PER_ROUND} commits of ${WRITES_PER_COMMIT} inserts per variant\n`);
const variants = [await variant("random (v4)", randomUUID), await variant("time-ordered (v7)", uuidv7)];
const samples = new Map<string, number[]>(variants.map((v) => [v.label, []]));
for (let round = 0; round < rounds; round++) {
  for (const v of round % 2 === 0 ? variants : [...variants].reverse()) {
    for (let i = 0; i < COMMITS_PER_ROUND; i++) samples.get(v.label)!.push(v.insertBatch(WRITES_PER_COMMIT));
  }
}
const stats = variants.map((v) => {
  const sorted = samples.get(v.label)!.sort((a, b) => a - b);
  return { label: v.label, p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length };
});
const us = (x: number) => `${x.toFixed(1)} µs`;
console.log(formatTable(["ids", "p50", "p99", "mean"], stats.map((s) => [s.label, us(s.p50), us(s.p99), us(s.mean)])));
const [random, ordered] = stats as [(typeof stats)[0], (typeof stats)[0]];
console.log(`time-ordered ÷ random: p50 ${(ordered.p50 / random.p50).toFixed(2)}, mean ${(ordered.mean / random.mean).toFixed(2)}`);
for (const v of variants) v.close();
rmSync(dir, { recursive: true, force: true });
