import type { TestProject } from "vitest/node";
import { ChromiumMissing, ensureChromium } from "./chromium.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Chromium executable the browser tests launch (see ./chromium.ts). */
    chromiumPath: string;
  }
}

/**
 * globalSetup of the browser projects: finds Chromium (or installs Debian's where allowed)
 * before any browser test runs, and hands its path to them (`inject("chromiumPath")`).
 * Without one the run stops with the one line that says how to get it: thrown from here,
 * vitest would bury it under "No test files found" and the projects' include lists.
 */
export function setup(project: TestProject) {
  try {
    project.provide("chromiumPath", ensureChromium());
  } catch (error) {
    if (!(error instanceof ChromiumMissing)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
