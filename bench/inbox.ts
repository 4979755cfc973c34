/**
 * `npm run bench:inbox`: the agent inbox in Chromium against the real API on a database of
 * 100,000 tickets (bench/scale-data.ts) plus one ticket with 10,000 messages. Prints:
 *
 *   - navigation → first queue rows drawn (signed in, cold context), median of a few runs
 *   - each filter or sort change → the new first page drawn
 *   - opening the 10,000-message ticket → its newest messages drawn
 *   - JavaScript transferred for the first screen (resource timing, compressed bytes)
 *   - JS heap and DOM rows after scrolling 5,000 queue rows (virtualised: few rows in the DOM)
 *
 * Figures only; nothing here fails on time.
 *
 *   npm run bench:inbox
 *   npm run bench:inbox -- --tickets 20000 --runs 3
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { chromium, type Page } from "playwright-core";
import { buildInboxIfStale, builtAssets } from "../inbox/build.js";
import { hashPassword } from "../server/auth/password.js";
import { openDatabase } from "../server/db/client.js";
import { agents } from "../server/db/schema.js";
import { CHROMIUM_ARGS, findChromium } from "../test/support/chromium.js";
import { startApi } from "../test/support/server.js";
import { generate } from "./scale-data.js";
import { formatTable } from "./support.js";

const { values: args } = parseArgs({
  options: {
    tickets: { type: "string", default: "100000" },
    messages: { type: "string", default: "300000" },
    long: { type: "string", default: "10000" },
    runs: { type: "string", default: "5" },
    scroll: { type: "string", default: "5000" },
  },
});
const size = { tickets: Number(args.tickets), messages: Number(args.messages), articles: 0 };
const LONG = Number(args.long);
const RUNS = Number(args.runs);
const SCROLL = Number(args.scroll);
const ADMIN = { email: "bench-admin@parley.test", password: "bench-admin-password" };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(0)} ms`;

console.log(`${cpus()[0]?.model ?? "cpu"} × ${availableParallelism()}, Node ${process.version}`);
await buildInboxIfStale();
const dir = mkdtempSync(join(tmpdir(), "parley-bench-inbox-"));
const dbFile = join(dir, "parley.db");

// 1. The data: the scale fixture, an admin who can sign in, and one very long conversation.
const db = await openDatabase(`file:${dbFile}`);
let longNumber: string;
try {
  const fill = await generate(db, size, (line) => console.error(line));
  console.log(`seeded ${size.tickets} tickets / ${size.messages} messages in ${fill.seconds.toFixed(0)} s`);
  await db.orm.insert(agents).values({ id: "bench-admin", email: ADMIN.email, name: "Bench Admin", role: "admin", status: "available", passwordHash: await hashPassword(ADMIN.password, 1000) });
  const newest = await db.client.execute("SELECT id, number, last_seq, message_count FROM tickets ORDER BY created_at DESC LIMIT 1");
  const ticket = newest.rows[0]!;
  longNumber = String(ticket.number);
  const from = Number(ticket.last_seq);
  const visibleFrom = Number((await db.client.execute({ sql: "SELECT coalesce(max(visible_seq), 0) AS v FROM messages WHERE ticket_id = ?", args: [String(ticket.id)] })).rows[0]!.v);
  const start = Date.now() - LONG * 60_000;
  await db.client.execute({
    sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
          INSERT INTO messages (id, ticket_id, seq, visible_seq, sender_type, sender_name, body, internal, attachments, created_at)
          SELECT 'bench-long-' || i, ?, ? + i, ? + i, CASE i % 2 WHEN 0 THEN 'agent' ELSE 'customer' END, CASE i % 2 WHEN 0 THEN 'Agent' ELSE 'Customer' END,
                 'Message ' || i || ': the sync is still **stuck** on the same folder, see the log excerpt and the steps I tried.', 0, '[]', ? + i * 60000 FROM n`,
    args: [LONG, String(ticket.id), from, visibleFrom, start],
  });
  await db.client.execute({ sql: "UPDATE tickets SET last_seq = last_seq + ?, message_count = message_count + ?, last_message_at = ? WHERE id = ?", args: [LONG, LONG, Date.now(), String(ticket.id)] });
  console.log(`ticket ${longNumber} holds ${from + LONG} messages`);
} finally {
  db.close();
}

// 2. The API on that file, and Chromium.
const api = await startApi({ dbFile, env: { PARLEY_SEED: "0", PARLEY_RATE_LIMITS: "off", PARLEY_ROOM_SECRET: "room-secret-for-the-inbox-bench-0123456789" } });
const browser = await chromium.launch({ executablePath: findChromium(), args: [...CHROMIUM_ARGS, "--enable-precise-memory-info"] });
const login = await fetch(`${api.url}/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(ADMIN) });
if (!login.ok) throw new Error(`login: ${login.status} ${await login.text()}`);
const { token } = (await login.json()) as { token: string };

/** A fresh context already signed in (the token in sessionStorage, as the app keeps it). */
async function signedInPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript((value) => sessionStorage.setItem("parley:inbox:token", value), token);
  return context.newPage();
}

const frame = (page: Page) => page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));

try {
  const rows: string[][] = [];

  // Navigation → first rows.
  const firstRows: number[] = [];
  let jsBytes = { transferred: 0, decoded: 0, files: 0 };
  for (let run = 0; run < RUNS; run++) {
    const page = await signedInPage();
    const began = performance.now();
    await page.goto(`${api.url}/inbox`);
    await page.locator(".ticket-row").first().waitFor();
    firstRows.push(performance.now() - began);
    if (run === 0) {
      jsBytes = await page.evaluate(() => {
        const scripts = (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter((entry) => entry.name.endsWith(".js"));
        return { transferred: scripts.reduce((sum, entry) => sum + entry.encodedBodySize, 0), decoded: scripts.reduce((sum, entry) => sum + entry.decodedBodySize, 0), files: scripts.length };
      });
    }
    await page.context().close();
  }
  rows.push(["navigation → first queue rows", `${ms(median(firstRows))} (median of ${RUNS}; min ${ms(Math.min(...firstRows))}, max ${ms(Math.max(...firstRows))})`]);

  // Filter and sort changes.
  const page = await signedInPage();
  await page.goto(`${api.url}/inbox`);
  await page.locator(".ticket-row").first().waitFor();
  const changes: Array<[string, string, string]> = [
    ["Status", "open", "status=open"],
    ["Priority", "urgent", "priority=urgent"],
    ["Assignee", "none", "assignee=none"],
    ["SLA", "breached", "sla=breached"],
    ["Sort", "priority", "sort=priority"],
    ["Sort", "due", "sort=due"],
  ];
  for (const [label, value, query] of changes) {
    const times: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      // Back to the default, then time the change itself.
      await page.getByRole("combobox", { name: label, exact: true }).selectOption(label === "Sort" ? "-created" : "");
      await page.waitForLoadState("networkidle");
      const began = performance.now();
      const answered = page.waitForResponse((response) => response.url().includes("/v1/agent/tickets?") && response.url().includes(query));
      await page.getByRole("combobox", { name: label, exact: true }).selectOption(value);
      await answered;
      await frame(page);
      times.push(performance.now() - began);
    }
    rows.push([`filter change ${query} → rows drawn`, `${ms(median(times))} (median of ${RUNS})`]);
    await page.getByRole("combobox", { name: label, exact: true }).selectOption(label === "Sort" ? "-created" : "");
  }

  // Opening the long conversation.
  const opens: number[] = [];
  let messageBytes = 0;
  for (let run = 0; run < RUNS; run++) {
    const ticketPage = await signedInPage();
    await ticketPage.goto(`${api.url}/inbox`);
    await ticketPage.locator(".ticket-row").first().waitFor();
    const began = performance.now();
    await ticketPage.evaluate((number) => {
      history.pushState(null, "", `/inbox/tickets/${number}`);
      dispatchEvent(new PopStateEvent("popstate"));
    }, longNumber);
    await ticketPage.locator(".message", { hasText: `Message ${LONG}:` }).waitFor().catch(async (error: unknown) => {
      await ticketPage.screenshot({ path: join(tmpdir(), "bench-inbox-failure.png") });
      throw error;
    });
    opens.push(performance.now() - began);
    if (run === 0) {
      messageBytes = await ticketPage.evaluate(() =>
        (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).filter((entry) => entry.name.includes("/messages?")).reduce((sum, entry) => sum + entry.encodedBodySize, 0),
      );
    }
    await ticketPage.context().close();
  }
  rows.push([`open a ticket with ${LONG.toLocaleString("en")} messages → newest drawn`, `${ms(median(opens))} (median of ${RUNS}); messages fetched: ${(messageBytes / 1024).toFixed(1)} KB`]);

  rows.push(["JS transferred, first screen", `${(jsBytes.transferred / 1024).toFixed(1)} KB compressed (${(jsBytes.decoded / 1024).toFixed(1)} KB decoded) in ${jsBytes.files} file(s)`]);
  const built = builtAssets().filter((asset) => asset.initial && asset.file.endsWith(".js"));
  rows.push(["first screen JS as built (gzip)", `${(built.reduce((sum, asset) => sum + asset.gzip, 0) / 1024).toFixed(1)} KB (budget 60 KB)`]);

  // Scrolling the queue 5,000 rows deep.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.collectGarbage");
  const before = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  const scrollBegan = performance.now();
  const rowsLoaded = () => page.evaluate(() => Math.round(Number(document.querySelector(".queue-list .virtual-inner")?.getBoundingClientRect().height ?? 0) / 72));
  for (let loaded = await rowsLoaded(); loaded < SCROLL; loaded = await rowsLoaded()) {
    // To the bottom, as a reader dragging the scrollbar would; the list asks for the next page itself.
    await page.evaluate(() => {
      const scroller = document.querySelector(".queue-list") as HTMLElement;
      scroller.scrollTop = scroller.scrollHeight;
    });
    await page.waitForFunction((before) => Math.round(Number(document.querySelector(".queue-list .virtual-inner")?.getBoundingClientRect().height ?? 0) / 72) > before, loaded, { timeout: 30_000 });
  }
  const scrollSeconds = (performance.now() - scrollBegan) / 1000;
  await cdp.send("HeapProfiler.collectGarbage");
  const after = (await cdp.send("Runtime.getHeapUsage")) as { usedSize: number };
  const domRows = await page.locator(".ticket-row").count();
  const nodes = await page.evaluate(() => document.getElementsByTagName("*").length);
  rows.push([`JS heap after scrolling ${SCROLL.toLocaleString("en")} rows`, `${(after.usedSize / 1e6).toFixed(1)} MB (was ${(before.usedSize / 1e6).toFixed(1)} MB at the first page); ${domRows} rows / ${nodes} elements in the DOM; scrolled in ${scrollSeconds.toFixed(1)} s`]);

  console.log(`\ninbox on ${size.tickets.toLocaleString("en")} tickets (Chromium ${browser.version()}, desktop 1280×800)`);
  console.log(formatTable(["measure", "figure"], rows));
} finally {
  await browser.close();
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
}
