/**
 * `npm run build:widget`: builds the embeddable widget into dist/widget/.
 *
 *   parley.js               the loader: classic script (IIFE), plain DOM, budget 3 KB gzip
 *   parley-panel-<hash>.js  the panel: ES module defining <parley-panel>, with lit, the SDK and partysocket
 *   parley-chunk-<hash>.js  anything the panel splits off (loaded relative to the panel)
 *
 * The panel's name carries its content hash and is baked into the loader, so a loader always
 * loads the panel it was built with, and the server can let browsers keep the panel for good
 * while the loader itself stays short-lived.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { isFresh } from "../scripts/build-freshness.js";
import type { InlineConfig, Rollup } from "vite";

const root = join(import.meta.dirname, "..");
export const widgetDist = join(root, "dist", "widget");

/** Product promises, checked by test/widget/loader.test.ts and reported by bench/size.ts (gzip, default level). */
export const LOADER_BUDGET_GZIP = 3 * 1024;
export const PANEL_BUDGET_GZIP = 30 * 1024;
/** The panel's file name as built (`parley-panel-<hex content hash>.js`). */
export const PANEL_FILE = /^parley-panel-[\da-f]+\.js$/;
const panelEntry = join(root, "widget", "panel", "index.ts");
const loaderEntry = join(root, "widget", "loader", "index.ts");

/** The panel file in dist/widget (there is exactly one after a build). */
export function builtPanelFile(dir = widgetDist): string {
  const found = readdirSync(dir).filter((file) => PANEL_FILE.test(file));
  if (found.length !== 1) throw new Error(`expected one panel in ${dir}, found ${found.length}: run \`npm run build:widget\``);
  return found[0]!;
}

export interface BuiltFile {
  file: string;
  bytes: number;
  gzip: number;
}

const shared = (log: boolean): InlineConfig => ({
  configFile: false,
  mode: "production",
  // Explicit, because vite picks "development" over "production" exports from NODE_ENV, and
  // under vitest (NODE_ENV=test) that meant lit's dev build: dev-mode warnings, +4 KB gzip.
  resolve: { conditions: ["module", "browser", "production"] },
  root,
  base: "./",
  publicDir: false,
  logLevel: log ? "info" : "warn",
  // Library mode (the loader) leaves process.env references for a consumer; browsers have none.
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
});

/** Builds the panel, then the loader that points at it; answers the sizes of what it wrote. */
export async function buildWidget(options: { log?: boolean } = {}): Promise<BuiltFile[]> {
  // Loaded here, not at the top: `npm start`'s up-to-date check must not pay for vite (~230 MB).
  const { build } = await import("vite");
  const common = shared(options.log ?? false);
  if (!existsSync(panelEntry)) throw new Error("widget/panel/index.ts, the panel's entry, is missing");

  const panel = await build({
    ...common,
    build: {
      outDir: widgetDist,
      emptyOutDir: true,
      // es2022 keeps the panel's #private members native: downlevelled to WeakMaps they cost
      // 1.2 KB gzip, and every browser with constructable stylesheets (which lit needs under
      // a strict style-src) runs es2022. The loader stays es2020 so it runs nearly anywhere.
      target: "es2022",
      minify: true,
      sourcemap: true,
      // An app build, not library mode: library mode leaves ES output unminified.
      modulePreload: false,
      rolldownOptions: {
        input: panelEntry,
        preserveEntrySignatures: "strict",
        output: { format: "es", entryFileNames: "parley-panel-[hash].js", chunkFileNames: "parley-chunk-[hash].js", hashCharacters: "hex" },
      },
    },
  });

  const panelFile = entryFileOf(panel);
  if (!PANEL_FILE.test(panelFile)) throw new Error(`the panel was built as ${panelFile}, not as parley-panel-<hash>.js`);
  await build({
    ...common,
    define: { ...common.define, __PARLEY_PANEL_FILE__: JSON.stringify(panelFile) },
    build: {
      outDir: widgetDist,
      emptyOutDir: false,
      target: "es2020",
      minify: true,
      sourcemap: false,
      lib: { entry: loaderEntry, formats: ["iife"], name: "ParleyLoader", fileName: () => "parley.js" },
    },
  });

  return readdirSync(widgetDist)
    .filter((file) => file.endsWith(".js"))
    .map((file) => {
      const text = readFileSync(join(widgetDist, file));
      return { file, bytes: text.length, gzip: gzipSync(text).length };
    });
}

/** The entry chunk's file name in what vite's build() answered. */
function entryFileOf(result: Awaited<ReturnType<typeof import("vite").build>>): string {
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const entries = outputs.flatMap((output) => output.output).filter((file): file is Rollup.OutputChunk => file.type === "chunk" && file.isEntry);
  if (entries.length !== 1) throw new Error(`expected one entry chunk, got ${entries.map((chunk) => chunk.fileName).join(", ") || "none"}`);
  return entries[0]!.fileName;
}

/**
 * Builds only when dist/widget is older than its sources (or missing), so `npm start` is quick
 * and never rewrites dist/widget under a server that is using it. Answers what it built, or
 * null when it had nothing to do.
 */
export async function buildWidgetIfStale(options: { log?: boolean } = {}): Promise<BuiltFile[] | null> {
  const built = join(widgetDist, "parley.js");
  if (isFresh(root, built, ["widget", "sdk", "protocol"])) return null;
  return buildWidget(options);
}

/** Vitest's globalSetup for the widget project: one build before every browser test. */
export async function setup() {
  await buildWidget();
}

// `--if-stale` (npm start, as a short child process so vite never stays in a long-lived one):
// build only when the sources are newer than dist/widget.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ifStale = process.argv.includes("--if-stale");
  const files = ifStale ? await buildWidgetIfStale() : await buildWidget({ log: true });
  if (!files) console.log("dist/widget is up to date");
  for (const { file, bytes, gzip } of files ?? []) console.log(`${file.padEnd(28)} ${(bytes / 1024).toFixed(2).padStart(7)} KB  ${(gzip / 1024).toFixed(2).padStart(6)} KB gzip`);
}
