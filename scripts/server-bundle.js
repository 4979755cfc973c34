/**
 * The server of `npm start` compiled once into dist/server/stack.js (build output, git-ignored),
 * so that the long-lived process runs plain JavaScript: no TypeScript loader, no esbuild service
 * and no transform caches stay in its memory. Plain JavaScript itself, since it runs before
 * anything can compile TypeScript.
 *
 *   node scripts/server-bundle.js    builds (scripts/start.js runs it as a short child process)
 *
 * The bundle keeps the project's packages external (node_modules loads them as usual), and
 * records the modification time of every file it was made from, so `serverBundleIsFresh`
 * answers exactly whether building again would read the same files.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, extname, join, relative } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
/** What `npm start` runs: scripts/stack.ts, compiled. */
export const stackBundle = { entry: join(root, "scripts", "stack.ts"), outfile: join(root, "dist", "server", "stack.js") };
/** Files that shape the output without being bundled: the compiler settings and this script. */
const settings = [join(root, "tsconfig.json"), fileURLToPath(import.meta.url)];

/** Modules whose `import.meta.url` is rewritten; anything else (JSON, text) esbuild loads as usual. */
const codeLoaders = { ".ts": "ts", ".tsx": "tsx", ".js": "js", ".mjs": "js" };

/** Where a bundle records the files it was made from: beside it, as JSON. */
const manifestOf = (outfile) => outfile.replace(/\.js$/, ".json");

/**
 * Modules find files beside their sources (migrations, dist/widget, the repository's root) with
 * `import.meta.url`. In the bundle each one answers its own source file's URL again, relative to
 * the bundle so the checkout may move. `import.meta.dirname`/`filename` are refused rather than
 * left to name the bundle's folder.
 */
function keepSourceLocation(path, source, outdir) {
  if (/import\.meta\.(dirname|filename)\b/.test(source)) {
    throw new Error(`${path}: use import.meta.url (the server bundle maps it to the source file), not import.meta.dirname or filename`);
  }
  const fromBundle = relative(outdir, path).split("\\").join("/");
  return source.replaceAll("import.meta.url", `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`);
}

/** True when the bundle at `outfile` was built from the files as they are now. */
export function serverBundleIsFresh({ outfile } = stackBundle) {
  let recorded;
  try {
    recorded = JSON.parse(readFileSync(manifestOf(outfile), "utf8"));
    statSync(outfile);
  } catch {
    return false; // never built, or half of a build: build again
  }
  return Object.entries(recorded.inputs).every(([file, mtimeMs]) => {
    try {
      return statSync(join(dirname(outfile), file)).mtimeMs === mtimeMs;
    } catch {
      return false; // a source was removed
    }
  });
}

/** Compiles `entry` and everything it imports from the project (packages stay external) into `outfile`. */
export async function buildServerBundle({ entry, outfile } = stackBundle) {
  const esbuild = await import("esbuild");
  const outdir = dirname(outfile);
  /** Path relative to the bundle → modification time, taken before the file is read. */
  const inputs = {};
  for (const file of settings) inputs[relative(outdir, file)] = statSync(file).mtimeMs;
  const sourceLocation = {
    name: "source-location",
    setup(build) {
      build.onLoad({ filter: /.*/, namespace: "file" }, (args) => {
        inputs[relative(outdir, args.path)] = statSync(args.path).mtimeMs;
        const loader = codeLoaders[extname(args.path)];
        if (!loader) return undefined;
        return { contents: keepSourceLocation(args.path, readFileSync(args.path, "utf8"), outdir), loader };
      });
    },
  };
  try {
    const result = await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      // Top-level names that collide across modules get renamed in one bundle; functions and
      // classes keep the `name` their source gives them, as when each file runs on its own.
      keepNames: true,
      tsconfig: settings[0],
      outfile,
      // Stack traces name the TypeScript sources (start.js enables source maps); the sources
      // themselves are in the checkout, so the map does not carry them again.
      sourcemap: "linked",
      sourcesContent: false,
      write: false,
      logLevel: "warning",
      plugins: [sourceLocation],
    });
    mkdirSync(outdir, { recursive: true });
    // Written beside and renamed into place: a second `npm start` building at the same moment
    // never reads half a file. The manifest goes last, so a bundle is only fresh once complete.
    const manifest = manifestOf(outfile);
    for (const { path, contents } of [...result.outputFiles, { path: manifest, contents: JSON.stringify({ inputs }, null, 1) }]) {
      writeFileSync(`${path}.${process.pid}`, contents);
      renameSync(`${path}.${process.pid}`, path);
    }
  } finally {
    await esbuild.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  await buildServerBundle();
  console.log(`built ${relative(root, stackBundle.outfile)} (${Math.round(performance.now() - started)} ms)`);
}
