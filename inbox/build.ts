/**
 * `npm run build:inbox`: builds the agent inbox into dist/inbox/.
 *
 *   index.html                 the app's one page (served at /inbox and every /inbox/… path)
 *   assets/inbox-<hash>.js     the first screen: Preact, signals, the SDK, sign-in, queue, ticket
 *   assets/<name>-<hash>.js    what loads on demand: dashboard (with uPlot), admin screens
 *   assets/inbox-<hash>.css    the styles
 *
 * Every asset name carries its content hash, so the server lets browsers keep them for good and
 * only index.html is revalidated.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { isFresh } from "../scripts/build-freshness.js";

const root = join(import.meta.dirname, "..");
export const inboxDist = join(root, "dist", "inbox");
/** The product promise (issue: weight): the first screen's JavaScript, gzip. */
export const FIRST_SCREEN_BUDGET_GZIP = 60 * 1024;

export interface BuiltAsset {
  file: string;
  bytes: number;
  gzip: number;
  /** Loaded by index.html itself (the first screen), not on demand. */
  initial: boolean;
}

/** Builds the inbox; answers every asset with its size and whether the first screen loads it. */
export async function buildInbox(options: { log?: boolean } = {}): Promise<BuiltAsset[]> {
  // Loaded here, not at the top: `npm start`'s up-to-date check must not pay for vite.
  const { build } = await import("vite");
  await build({
    configFile: false,
    mode: "production",
    root: join(root, "inbox"),
    base: "/inbox/",
    publicDir: false,
    logLevel: options.log ? "info" : "warn",
    resolve: { conditions: ["module", "browser", "production"] },
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
    build: {
      outDir: inboxDist,
      emptyOutDir: true,
      target: "es2022",
      minify: true,
      sourcemap: true,
      // No inline modulepreload polyfill: the page runs under script-src 'self'.
      modulePreload: { polyfill: false },
      rolldownOptions: {
        output: { entryFileNames: "assets/inbox-[hash].js", chunkFileNames: "assets/[name]-[hash].js", assetFileNames: "assets/[name]-[hash][extname]", hashCharacters: "hex" },
      },
    },
  });
  return builtAssets();
}

/** What dist/inbox holds, with sizes; `initial` marks the scripts index.html loads (entry and preloads). */
export function builtAssets(dir = inboxDist): BuiltAsset[] {
  const page = readFileSync(join(dir, "index.html"), "utf8");
  const initial = new Set([...page.matchAll(/(?:src|href)="\/inbox\/(assets\/[^"]+\.js)"/g)].map((match) => match[1]!));
  return readdirSync(join(dir, "assets"))
    .filter((file) => file.endsWith(".js") || file.endsWith(".css"))
    .map((name) => {
      const file = `assets/${name}`;
      const body = readFileSync(join(dir, file));
      return { file, bytes: body.length, gzip: gzipSync(body).length, initial: initial.has(file) };
    });
}

/** Builds only when dist/inbox is older than its sources (or missing); null when nothing was built. */
export async function buildInboxIfStale(options: { log?: boolean } = {}): Promise<BuiltAsset[] | null> {
  const built = join(inboxDist, "index.html");
  if (isFresh(root, built, ["inbox", "sdk", "protocol"])) return null;
  return buildInbox(options);
}

/** Vitest's globalSetup for the inbox project: one build before every browser test. */
export async function setup() {
  await buildInbox();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ifStale = process.argv.includes("--if-stale");
  const files = ifStale ? await buildInboxIfStale() : await buildInbox({ log: true });
  if (!files) console.log("dist/inbox is up to date");
  else {
    for (const { file, bytes, gzip, initial } of files) console.log(`${file.padEnd(40)} ${(bytes / 1024).toFixed(2).padStart(7)} KB  ${(gzip / 1024).toFixed(2).padStart(6)} KB gzip${initial ? "  (first screen)" : ""}`);
    const first = files.filter((file) => file.initial && file.file.endsWith(".js")).reduce((sum, file) => sum + file.gzip, 0);
    console.log(`first screen JS ${(first / 1024).toFixed(2)} KB gzip (budget ${FIRST_SCREEN_BUDGET_GZIP / 1024} KB)`);
  }
}
