import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** Newest modification time under a folder, skipping node_modules and dot-folders. */
function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) return newest;
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }, 0);
}

/**
 * True when `built` exists and is newer than every file of the source folders (relative to
 * `root`) and the lockfile: a build of it would produce the same output.
 */
export function isFresh(root: string, built: string, sourceDirs: readonly string[]): boolean {
  if (!existsSync(built)) return false;
  const sources = Math.max(...sourceDirs.map((dir) => newestSource(join(root, dir))), statSync(join(root, "package-lock.json")).mtimeMs);
  return statSync(built).mtimeMs > sources;
}
