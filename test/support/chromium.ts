import { spawnSync } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * Which Chromium the browser tests drive: `CHROMIUM_PATH`, else Debian's `/usr/bin/chromium`.
 * Playwright never downloads its own here. On a machine without one, the widget project's
 * globalSetup (./chromium-setup.ts) installs Debian's where it may (root, apt, and `CI` or
 * `PARLEY_INSTALL_CHROMIUM=1`), or stops the run with one line saying how to get it.
 */
export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** Launch flags for a headless Chromium that reaches nothing but the servers under test. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** What the decision depends on, gathered by `machineFacts()` (and made up in the unit tests). */
export interface MachineFacts {
  env: { CHROMIUM_PATH?: string; CI?: string; PARLEY_INSTALL_CHROMIUM?: string };
  isExecutable(path: string): boolean;
  isRoot: boolean;
  hasApt: boolean;
}

export type ChromiumPlan =
  | { action: "use"; path: string }
  | { action: "install"; path: string }
  | { action: "stop"; message: string };

const truthy = (value: string | undefined) => value !== undefined && value !== "" && value !== "0" && value.toLowerCase() !== "false";

/** Decides, without side effects, whether to use a Chromium, install Debian's, or stop. */
export function planChromium(facts: MachineFacts): ChromiumPlan {
  const given = facts.env.CHROMIUM_PATH;
  if (given) {
    return facts.isExecutable(given) ? { action: "use", path: given } : { action: "stop", message: `CHROMIUM_PATH=${given} is not an executable file: point it at a Chromium or unset it.` };
  }
  if (facts.isExecutable(DEBIAN_CHROMIUM)) return { action: "use", path: DEBIAN_CHROMIUM };
  const allowed = truthy(facts.env.CI) || truthy(facts.env.PARLEY_INSTALL_CHROMIUM);
  if (facts.hasApt && facts.isRoot && allowed) return { action: "install", path: DEBIAN_CHROMIUM };
  const how = !facts.hasApt
    ? "install Chromium and set CHROMIUM_PATH to its executable"
    : facts.isRoot
      ? "run `apt-get install -y chromium`, or run the tests with PARLEY_INSTALL_CHROMIUM=1 to let them install it"
      : "run `sudo apt-get install -y chromium`, or set CHROMIUM_PATH to a Chromium executable";
  return { action: "stop", message: `The browser tests need Chromium, which is not at ${DEBIAN_CHROMIUM}: ${how}.` };
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false; // missing or not executable: both mean "not this one"
  }
}

const onPath = (name: string) => (process.env.PATH ?? "").split(delimiter).some((dir) => dir && isExecutable(join(dir, name)));

/** The facts of this machine and process. */
export function machineFacts(): MachineFacts {
  return {
    env: { CHROMIUM_PATH: process.env.CHROMIUM_PATH, CI: process.env.CI, PARLEY_INSTALL_CHROMIUM: process.env.PARLEY_INSTALL_CHROMIUM },
    isExecutable,
    isRoot: process.getuid?.() === 0,
    hasApt: onPath("apt-get"),
  };
}

/** Thrown with the one line to show; its stack is that line too, so runners print nothing else. */
export class ChromiumMissing extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ChromiumMissing";
    this.stack = message;
  }
}

/** A Chromium to launch, never installing one (benchmarks and scripts). */
export function findChromium(facts = machineFacts()): string {
  const plan = planChromium(facts);
  if (plan.action === "use") return plan.path;
  throw new ChromiumMissing(plan.action === "stop" ? plan.message : `The browser needs Chromium, which is not at ${DEBIAN_CHROMIUM}: run \`apt-get install -y chromium\`.`);
}

/** A Chromium to launch, installing Debian's first when the plan says so (about 40 s). */
export function ensureChromium(facts = machineFacts(), log: (line: string) => void = console.log): string {
  const plan = planChromium(facts);
  if (plan.action === "use") return plan.path;
  if (plan.action === "stop") throw new ChromiumMissing(plan.message);
  log(`Chromium is missing: installing Debian's (apt-get install chromium) for the browser tests…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update", "-qq"], ["install", "-y", "-qq", "chromium"]]) {
    const result = spawnSync("apt-get", args, { env, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    if (result.status !== 0) {
      const reason = result.error?.message ?? result.stderr.trim().split("\n").pop() ?? `exit ${result.status}`;
      throw new ChromiumMissing(`apt-get ${args.join(" ")} failed (${reason}): install Chromium yourself or set CHROMIUM_PATH.`);
    }
  }
  if (!facts.isExecutable(plan.path)) throw new ChromiumMissing(`apt-get installed chromium, but ${plan.path} is still missing: set CHROMIUM_PATH to its executable.`);
  return plan.path;
}
