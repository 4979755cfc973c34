import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { buildServerBundle, serverBundleIsFresh } from "../scripts/server-bundle.js";

/**
 * The compiled server that `npm start` runs (scripts/server-bundle.js), on a small project of
 * its own: TypeScript in, one JavaScript file out that plain `node` runs, modules that still find
 * the files beside their sources, and a freshness answer that follows every input.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A project whose entry imports a module that locates a folder beside itself, as server/db/client.ts does. */
function project(): { dir: string; entry: string; outfile: string } {
  const dir = mkdtempSync(join(tmpdir(), "parley-bundle-"));
  dirs.push(dir);
  mkdirSync(join(dir, "db"));
  writeFileSync(join(dir, "db", "where.ts"), 'import { fileURLToPath } from "node:url";\nexport const migrations: string = fileURLToPath(new URL("./migrations", import.meta.url));\n');
  writeFileSync(join(dir, "limits.json"), '{ "sessions": 1000 }\n');
  writeFileSync(join(dir, "entry.ts"), 'import { migrations } from "./db/where.js";\nimport limits from "./limits.json";\nconst entry: string = import.meta.url;\nconsole.log(JSON.stringify({ migrations, entry, sessions: limits.sessions }));\n');
  return { dir, entry: join(dir, "entry.ts"), outfile: join(dir, "dist", "server", "stack.js") };
}

const run = (outfile: string) => JSON.parse(execFileSync(process.execPath, [outfile], { encoding: "utf8", env: { PATH: process.env.PATH } })) as { migrations: string; entry: string; sessions: number };

describe("server bundle", () => {
  it("runs with plain node, each module answering its own source's location, wherever the checkout is", async () => {
    const { dir, entry, outfile } = project();
    await buildServerBundle({ entry, outfile });
    expect(run(outfile)).toEqual({ migrations: join(dir, "db", "migrations"), entry: pathToFileURL(entry).href, sessions: 1000 });

    const moved = mkdtempSync(join(tmpdir(), "parley-bundle-moved-"));
    dirs.push(moved);
    cpSync(dir, moved, { recursive: true });
    expect(run(join(moved, "dist", "server", "stack.js"))).toEqual({ migrations: join(moved, "db", "migrations"), entry: pathToFileURL(join(moved, "entry.ts")).href, sessions: 1000 });
  });

  it("is fresh until one of its sources changes or goes, and again once rebuilt", async () => {
    const { dir, entry, outfile } = project();
    expect(serverBundleIsFresh({ outfile })).toBe(false);
    await buildServerBundle({ entry, outfile });
    expect(serverBundleIsFresh({ outfile })).toBe(true);

    const imported = join(dir, "db", "where.ts");
    writeFileSync(imported, 'export const migrations = "elsewhere";\n');
    // A time of its own, so the change shows even on a file system with coarse timestamps.
    utimesSync(imported, new Date(2030, 0, 1), new Date(2030, 0, 1));
    expect(serverBundleIsFresh({ outfile })).toBe(false);
    await buildServerBundle({ entry, outfile });
    expect(serverBundleIsFresh({ outfile })).toBe(true);
    expect(run(outfile).migrations).toBe("elsewhere");

    // Data files count as much as code.
    const limits = join(dir, "limits.json");
    writeFileSync(limits, '{ "sessions": 10 }\n');
    utimesSync(limits, new Date(2031, 0, 1), new Date(2031, 0, 1));
    expect(serverBundleIsFresh({ outfile })).toBe(false);
    await buildServerBundle({ entry, outfile });
    expect(run(outfile).sessions).toBe(10);

    rmSync(imported);
    expect(serverBundleIsFresh({ outfile })).toBe(false);
  });

  it("refuses import.meta.dirname, which would name the bundle's folder instead of the source's", async () => {
    const { dir, entry, outfile } = project();
    writeFileSync(join(dir, "db", "where.ts"), "export const migrations: string = import.meta.dirname;\n");
    await expect(buildServerBundle({ entry, outfile })).rejects.toThrow(/use import\.meta\.url/);
    expect(serverBundleIsFresh({ outfile })).toBe(false);
  });
});
