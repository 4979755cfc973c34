/**
 * `npm start`. Plain JavaScript run by plain `node`: compiles scripts/stack.ts and the server
 * into dist/server/ when their sources changed (a short child process, so esbuild never stays in
 * memory), then runs that bundle in this very process. The long-lived server thus carries no
 * TypeScript loader, and no process in the tree only waits for another.
 */
import { spawn } from "node:child_process";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serverBundleIsFresh, stackBundle } from "./server-bundle.js";

if (!serverBundleIsFresh()) {
  const build = fileURLToPath(new URL("server-bundle.js", import.meta.url));
  // No NODE_OPTIONS for the compiler: an inspector or loader flag meant for the server has no
  // business there (the server closes any inspector it finds on start).
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const child = spawn(process.execPath, [build], { env, stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk.toString()));
  const code = await new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (exitCode, signal) => resolve(exitCode ?? signal));
  });
  if (code !== 0) {
    console.error(`stack  | could not compile the server (scripts/server-bundle.js exited ${code})`);
    process.exit(1);
  }
  console.log(`server | ${output.trim()}`);
}

// Stack traces name the TypeScript files and lines, through the bundle's source map.
process.setSourceMapsEnabled(true);
await import(pathToFileURL(stackBundle.outfile).href);
