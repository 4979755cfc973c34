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

/** protocol/ holds schemas only: zod is its one dependency. */
const allowedPackages: Partial<Record<Module, RegExp>> = { protocol: /^zod(\/|$)/ };

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
          const target = moduleOf(join(file, "..", specifier));
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
