import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomHex } from "./db/seed/seed.js";

/**
 * The embedded setup's files (`./data/`: the database with its WAL and SHM, the secrets) hold
 * password hashes, identity secrets and signing keys: only the user running Parley may read
 * them. The directory is created 700 and every file 600, and files left readable by an older
 * version are tightened on start.
 */

const PRIVATE_FILE = 0o600;
const PRIVATE_DIR = 0o700;

/** Path of an embedded database file (`file:./data/parley.db` → `./data/parley.db`), or null for remote ones. */
export function databaseFile(url: string): string | null {
  if (!url.startsWith("file:")) return null;
  const path = url.slice("file:".length);
  return path === ":memory:" ? null : path;
}

/**
 * Creates the database file 600 before libSQL opens it: SQLite gives the WAL and SHM files it
 * creates the database file's mode, so they are private too.
 */
export function preparePrivateDatabase(file: string): void {
  const dir = dirname(file);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  closeSync(openSync(file, "a", PRIVATE_FILE));
  for (const path of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(path)) chmodSync(path, PRIVATE_FILE);
}

/** A secret kept beside the database in `name` (mode 600), generated on first use. */
export function privateSecret(file: string, name: string): string {
  const path = join(dirname(file), name);
  if (existsSync(path)) {
    chmodSync(path, PRIVATE_FILE);
    return readFileSync(path, "utf8").trim();
  }
  const secret = randomHex(32);
  try {
    // `wx`: never overwrite a secret another process wrote meanwhile; use theirs instead.
    writeFileSync(path, `${secret}\n`, { mode: PRIVATE_FILE, flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return readFileSync(path, "utf8").trim();
  }
  return secret;
}
