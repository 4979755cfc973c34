import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The import rules of DESIGN.md, checked on every source file: each top-level module may
 * import only the modules listed for it (and npm packages where noted).
 */
const root = new URL("..", import.meta.url).pathname;
const modules = ["protocol", "server", "party", "sdk", "widget", "inbox", "examples", "test", "bench"] as const;
type Module = (typeof modules)[number];

const allowedModules: Record<Module, Module[]> = {
  protocol: [],
  server: ["protocol"],
  party: ["protocol"],
  sdk: ["protocol"],
  widget: ["sdk", "protocol"],
  inbox: ["sdk", "protocol"],
  examples: ["sdk", "protocol"],
  test: ["protocol", "server", "party", "sdk", "widget", "inbox"],
  bench: ["protocol", "server", "party", "sdk", "widget", "inbox", "test"],
};
/**
 * Folders allowed more than their module: the in-process room host (and the runtime entries
 * that start it) host the party/ classes. Nothing else in server/ may reach into party/.
 */
const folderAllowances: { folder: string; modules: Module[] }[] = [
  { folder: "server/rooms/", modules: ["party"] },
  { folder: "server/runtime/", modules: ["party"] },
];
/** protocol/ holds the shared schemas (and the markdown parser every side renders with): zod is its one dependency. */
const allowedPackages: Partial<Record<Module, RegExp>> = { protocol: /^zod(\/|$)/ };

/**
 * Inside server/, only the HTTP layer (routes/, middleware/, the app and its route-group
 * context, the runtime entries) may know about Hono or reach into routes/ and middleware/:
 * everything below answers refusals with a DomainError that the one onError maps.
 */
// admin/ holds the admin routes' request helpers, assets/ answers static files over HTTP.
const httpFolders = ["server/routes/", "server/middleware/", "server/runtime/", "server/admin/", "server/assets/"];
const httpFiles = ["server/app.ts", "server/context.ts", "server/boot.ts", "server/cli.ts"];
const isHttpLayer = (file: string) => httpFolders.some((folder) => file.startsWith(folder)) || httpFiles.includes(file);
const rootServer = new URL("../server/", import.meta.url).pathname;

export function httpLayerViolations(): string[] {
  const violations: string[] = [];
  for (const file of sourceFiles(rootServer)) {
    const path = relative(root, file);
    if (isHttpLayer(path) || path.endsWith(".test.ts")) continue;
    for (const { specifier } of importsOf(readFileSync(file, "utf8"))) {
      const resolved = specifier.startsWith(".") ? relative(root, join(file, "..", specifier)) : specifier;
      const http = /^(hono|@hono\/)/.test(specifier) || resolved.startsWith("server/routes/") || resolved.startsWith("server/middleware/");
      if (http) violations.push(`${path} imports ${specifier}`);
    }
  }
  return violations;
}

/** Every cycle of relative imports among server/ files (type-only imports count too: they couple the files as much). */
export function importCycles(): string[][] {
  const files = sourceFiles(rootServer).filter((file) => !file.endsWith(".test.ts"));
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const targets = importsOf(readFileSync(file, "utf8"))
      .filter(({ specifier }) => specifier.startsWith("."))
      .map(({ specifier }) => join(file, "..", specifier).replace(/\.js$/, ".ts"))
      .filter((target) => target.startsWith(rootServer));
    edges.set(file, targets);
  }
  const cycles: string[][] = [];
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, "open");
    stack.push(file);
    for (const next of edges.get(file) ?? []) {
      if (state.get(next) === "open") cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(root, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of files) if (!state.has(file)) visit(file);
  return cycles;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

function importsOf(source: string): { specifier: string; typeOnly: boolean }[] {
  const found: { specifier: string; typeOnly: boolean }[] = [];
  const pattern = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm;
  for (const match of source.matchAll(pattern)) {
    found.push({ specifier: match[3] ?? match[4]!, typeOnly: Boolean(match[2]) });
  }
  return found;
}

const moduleOf = (file: string): Module | undefined => modules.find((m) => relative(root, file).startsWith(`${m}/`));

/** May `file` (relative to the root) of module `mod` import module `target`? */
export function mayImport(file: string, mod: Module, target: Module): boolean {
  if (allowedModules[mod].includes(target)) return true;
  return folderAllowances.some(({ folder, modules: extra }) => file.startsWith(folder) && extra.includes(target));
}

export function boundaryViolations(): string[] {
  const violations: string[] = [];
  for (const mod of modules) {
    let files: string[] = [];
    try {
      files = sourceFiles(join(root, mod));
    } catch {
      continue; // a module that does not exist yet has nothing to check
    }
    for (const file of files) {
      for (const { specifier, typeOnly } of importsOf(readFileSync(file, "utf8"))) {
        const where = `${relative(root, file)} imports ${specifier}`;
        if (specifier.startsWith(".")) {
          const targetFile = join(file, "..", specifier);
          const target = moduleOf(targetFile);
          if (!target || target === mod) continue;
          // The SDK may borrow the server's route types for `hc`, never its code.
          const typeFromApp = mod === "sdk" && target === "server" && typeOnly && specifier.endsWith("server/app.js");
          if (!mayImport(relative(root, file), mod, target) && !typeFromApp) violations.push(where);
        } else if (allowedPackages[mod] && !allowedPackages[mod]!.test(specifier)) {
          violations.push(where);
        }
      }
    }
  }
  return violations;
}

describe("module boundaries (DESIGN.md)", () => {
  it("no module imports what it may not", () => {
    expect(boundaryViolations()).toEqual([]);
  });

  it("keeps Hono, routes/ and middleware/ out of everything below the HTTP layer", () => {
    expect(httpLayerViolations()).toEqual([]);
  });

  it("server/ has no import cycle", () => {
    expect(importCycles()).toEqual([]);
  });

  it("lets only the room host reach into party/", () => {
    expect(mayImport("server/rooms/parties.ts", "server", "party")).toBe(true);
    expect(mayImport("server/runtime/node.ts", "server", "party")).toBe(true);
    expect(mayImport("server/routes/realtime.ts", "server", "party")).toBe(false);
    expect(mayImport("server/roomsy.ts", "server", "party")).toBe(false);
    expect(mayImport("party/ticket-room.ts", "party", "server")).toBe(false);
  });

  it("spots a forbidden import", () => {
    expect(importsOf('import { db } from "../server/db/client.js";')).toEqual([{ specifier: "../server/db/client.js", typeOnly: false }]);
    expect(importsOf('import type { AppType } from "../server/app.js";')).toEqual([{ specifier: "../server/app.js", typeOnly: true }]);
  });
});
