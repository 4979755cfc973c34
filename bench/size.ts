/**
 * `npm run bench:size`: what the SDK costs a browser. Builds each entry on its own with vite's
 * library mode (ESM, es2022, every dependency bundled) into a temporary directory, and prints
 * its raw, minified, gzip and brotli sizes and which packages ended up inside. zod must not be
 * among them: the SDK imports only types from protocol/, and a value import would drag the
 * schemas in; the script then shows the import chain that did it. Sizes never fail the run.
 *
 * More entries (the widget's loader and panel, say) are one line each in `entries`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { build, version as viteVersion, type Plugin, type Rollup } from "vite";
import { buildWidget, LOADER_BUDGET_GZIP, PANEL_BUDGET_GZIP, PANEL_FILE, widgetDist } from "../widget/build.js";
import { formatTable } from "./support.js";

interface SizeEntry {
  /** How the entry is imported, e.g. `@parley/sdk/realtime`. */
  name: string;
  /** Source file, relative to the repository root. */
  entry: string;
}

const entries: SizeEntry[] = [
  { name: "@parley/sdk", entry: "sdk/index.ts" },
  { name: "@parley/sdk/realtime", entry: "sdk/realtime.ts" },
];

/** Packages that must never reach a browser bundle of the SDK. */
const FORBIDDEN = ["zod"];

const root = join(import.meta.dirname, "..");

/** `partysocket` for a file in node_modules/partysocket/…, `@scope/name` for scoped ones; null for our own code. */
function packageOf(id: string): string | null {
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(id.replaceAll("\\", "/"));
  return match ? match[1]! : null;
}

/** Remembers who imported whom, so that a forbidden module can be traced back to the entry. */
function importGraph() {
  const importers = new Map<string, readonly string[]>();
  const plugin: Plugin = {
    name: "parley-size-import-graph",
    buildEnd() {
      for (const id of this.getModuleIds()) importers.set(id, this.getModuleInfo(id)?.importers ?? []);
    },
  };
  /** The shortest import chain from an entry to `target`, entry first. */
  function chainTo(target: string): string[] {
    const from = new Map<string, string | null>([[target, null]]);
    const queue = [target];
    while (queue.length) {
      const id = queue.shift()!;
      const parents = importers.get(id) ?? [];
      if (parents.length === 0) {
        const chain: string[] = [];
        for (let at: string | null = id; at; at = from.get(at) ?? null) chain.push(at);
        return chain;
      }
      for (const parent of parents) if (!from.has(parent)) (from.set(parent, id), queue.push(parent));
    }
    return [target];
  }
  return { plugin, chainTo };
}

interface Built {
  code: string;
  /** Module id → bytes it contributed to the unminified bundle. */
  modules: Map<string, number>;
  chainTo(id: string): string[];
}

async function bundle(entry: SizeEntry, minify: boolean, outDir: string): Promise<Built> {
  const graph = importGraph();
  const result = await build({
    configFile: false,
    root,
    logLevel: "silent",
    publicDir: false,
    plugins: [graph.plugin],
    // Library builds keep process.env references for the consumer; a browser has none.
    define: { "process.env.NODE_ENV": JSON.stringify("production") },
    build: {
      outDir,
      emptyOutDir: true,
      target: "es2022",
      minify,
      sourcemap: false,
      lib: { entry: join(root, entry.entry), formats: ["es"], fileName: () => "bundle.js" },
      // Library mode keeps whitespace in ES output so consumers can tree-shake it again; the
      // figure that matters is what a browser downloads after that, so minify it all.
      rolldownOptions: { output: { minify } },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[];
  const chunks = outputs.flatMap((output) => output.output).filter((file): file is Rollup.OutputChunk => file.type === "chunk");
  if (chunks.length !== 1) throw new Error(`${entry.name}: expected one chunk, got ${chunks.map((chunk) => chunk.fileName).join(", ")}`);
  const chunk = chunks[0]!;
  return {
    code: chunk.code,
    modules: new Map(Object.entries(chunk.modules).map(([id, module]) => [id, module.renderedLength])),
    chainTo: graph.chainTo,
  };
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const bytesAndKb = (bytes: number) => `${bytes.toLocaleString("en")} (${kb(bytes)})`;
const shortId = (id: string) => (packageOf(id) ? id.slice(id.lastIndexOf("node_modules/")) : relative(root, id));

async function main() {
  const outDir = mkdtempSync(join(tmpdir(), "parley-size-"));
  const rows: string[][] = [];
  const contents: string[] = [];
  const problems: string[] = [];
  try {
    for (const entry of entries) {
      const raw = await bundle(entry, false, outDir);
      const minified = await bundle(entry, true, outDir);
      const bytes = Buffer.from(minified.code);
      const gzip = gzipSync(bytes, { level: 9 }).length;
      const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
      rows.push([entry.name, bytesAndKb(Buffer.byteLength(raw.code)), bytesAndKb(bytes.length), bytesAndKb(gzip), bytesAndKb(brotli)]);

      // Who contributed what, measured in the unminified bundle.
      const byOwner = new Map<string, { modules: number; bytes: number }>();
      for (const [id, rendered] of raw.modules) {
        const owner = packageOf(id) ?? `${relative(root, id).split("/")[0]}/ (ours)`;
        const total = byOwner.get(owner) ?? { modules: 0, bytes: 0 };
        byOwner.set(owner, { modules: total.modules + 1, bytes: total.bytes + rendered });
      }
      const owners = [...byOwner].sort(([, a], [, b]) => b.bytes - a.bytes);
      contents.push(`${entry.name} (${entry.entry}):`);
      for (const [owner, { modules, bytes: ownerBytes }] of owners) {
        contents.push(`  ${owner.padEnd(18)} ${String(modules).padStart(3)} module${modules === 1 ? " " : "s"}  ${kb(ownerBytes).padStart(8)} unminified`);
      }
      const ownFiles = [...raw.modules.keys()].filter((id) => !packageOf(id) && !relative(root, id).startsWith("sdk/"));
      if (ownFiles.length) contents.push(`  from outside sdk/: ${ownFiles.map(shortId).join(", ")}`);

      for (const name of FORBIDDEN) {
        const found = [...raw.modules.keys()].filter((id) => packageOf(id) === name);
        if (found.length === 0) continue;
        // Entry first, cut at the first module of the package: its insides are not the news.
        const path = raw.chainTo(found[0]!);
        const chain = path.slice(0, path.findIndex((id) => packageOf(id) === name) + 1).map(shortId).join(" → ");
        problems.push(`${entry.name} bundles ${name} (${found.length} modules), pulled in by: ${chain}`);
      }
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }

  console.log(`SDK bundle sizes: vite ${viteVersion} library mode, ESM, target es2022, all dependencies bundled; bytes`);
  console.log("raw = unminified bundle; min = minified; gzip level 9 and brotli quality 11 of the minified file\n");
  console.log(formatTable(["entry", "raw", "min", "gzip", "brotli"], rows));
  console.log(`\nWhat is inside\n${contents.join("\n")}\n`);
  if (problems.length) {
    console.log(`FORBIDDEN DEPENDENCIES:\n${problems.map((problem) => `  ${problem}`).join("\n")}`);
    process.exitCode = 1;
  } else {
    console.log(`${FORBIDDEN.join(", ")}: in no bundle (the SDK imports only types from protocol/)`);
  }
  await reportWidget();
}

/** The widget as it ships: the same build `npm start` serves, measured file by file. */
async function reportWidget() {
  await buildWidget();
  // The panel's name carries its content hash (parley-panel-<hash>.js).
  const budgetOf = (file: string) => (file === "parley.js" ? LOADER_BUDGET_GZIP : PANEL_FILE.test(file) ? PANEL_BUDGET_GZIP : undefined);
  const rows = readdirSync(widgetDist)
    .filter((file) => file.endsWith(".js"))
    .map((file) => {
      const bytes = readFileSync(join(widgetDist, file));
      const gzip = gzipSync(bytes).length;
      const brotli = brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
      const budget = budgetOf(file);
      return [file, bytesAndKb(bytes.length), bytesAndKb(gzip), bytesAndKb(brotli), budget ? `${((gzip / budget) * 100).toFixed(0)}% of ${kb(budget)}` : ""];
    });
  console.log("\nWidget (npm run build:widget, minified; the loader is what every page pays, the panel loads on demand)\n");
  console.log(formatTable(["file", "min", "gzip", "brotli", "gzip budget"], rows));
}

await main();
