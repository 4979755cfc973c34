import type { TestProject } from "vitest/node";
import { ensureChromium } from "./chromium.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Chromium executable the browser tests launch (see ./chromium.ts). */
    chromiumPath: string;
  }
}

/**
 * globalSetup of the browser projects: finds Chromium (or installs Debian's where allowed)
 * before any browser test runs, and hands its path to them (`inject("chromiumPath")`).
 */
export function setup(project: TestProject) {
  project.provide("chromiumPath", ensureChromium());
}
