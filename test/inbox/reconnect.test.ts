import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort, startApi, type RunningApi } from "../support/server.js";
import { launchBrowser, openInbox, row, signIn, visitor } from "./support/stack.js";

/**
 * A dropped connection: the server the inbox talks to goes away, a ticket is opened meanwhile
 * through another server on the same database, and once the first one is back the inbox has
 * said "reconnecting", reconnected by itself and caught up — the missed ticket is in the queue
 * without a reload.
 */
const secret = "room-secret-for-inbox-reconnect-0123456789";
let dir: string;
let browser: Browser;
const servers: RunningApi[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "parley-inbox-reconnect-"));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  for (const server of servers) await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function serve(port: number) {
  const api = await startApi({ dbFile: join(dir, "parley.db"), port, env: { PARLEY_ROOM_SECRET: secret } });
  servers.push(api);
  return api;
}

it("shows reconnecting while the server is away and catches up on what it missed once back", async () => {
  const port = await freePort();
  const first = await serve(port);
  const { page, violations } = await openInbox(browser, first.url);
  await signIn(page, "ada@parley.test");
  const jane = await visitor(first.url);
  const before = await jane.open("Before the outage", "Seen live.");
  await row(page, before.ticket.number).waitFor();
  before.live.close();

  await first.stop();
  await page.locator("[data-connection=reconnecting]").waitFor();
  await page.getByText("Reconnecting…", { exact: false }).waitFor();

  // Meanwhile another server on the same database takes a new ticket.
  const other = await serve(await freePort());
  const missed = await (await visitor(other.url)).open("Opened during the outage", "Nobody was connected.");
  missed.live.close();
  await other.stop();

  // The first server is back on its port: the inbox reconnects and catches up by itself.
  await serve(port);
  await page.locator("[data-connection=live]").waitFor({ timeout: 60_000 });
  await row(page, missed.ticket.number).waitFor();
  expect(await row(page, before.ticket.number).count()).toBe(1);
  expect(violations).toEqual([]);
});
