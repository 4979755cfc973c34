/** Types of scripts/server-bundle.js (plain JavaScript, since it runs before anything compiles TypeScript). */
export interface ServerBundle {
  /** The TypeScript module to compile, with everything it imports from the project. */
  entry: string;
  /** The bundle to write; its source map and the manifest of its inputs go beside it. */
  outfile: string;
}

/** What `npm start` runs: scripts/stack.ts compiled into dist/server/stack.js. */
export declare const stackBundle: ServerBundle;

/** True when the bundle at `outfile` was built from the files as they are now. */
export declare function serverBundleIsFresh(bundle?: Pick<ServerBundle, "outfile">): boolean;

/** Compiles `entry` and everything it imports from the project (packages stay external) into `outfile`. */
export declare function buildServerBundle(bundle?: ServerBundle): Promise<void>;
