import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ChromiumMissing, DEBIAN_CHROMIUM, ensureChromium, findChromium, machineFacts, planChromium, type MachineFacts } from "./chromium.js";

/** A machine where exactly `executables` exist. */
const machine = (overrides: Partial<Omit<MachineFacts, "isExecutable">> & { executables?: string[] } = {}): MachineFacts => {
  const { executables = [], ...rest } = overrides;
  return { env: {}, isRoot: false, hasApt: true, ...rest, isExecutable: (path) => executables.includes(path) };
};

describe("planChromium", () => {
  it("uses CHROMIUM_PATH when it names an executable, even with Debian's installed", () => {
    expect(planChromium(machine({ env: { CHROMIUM_PATH: "/opt/chrome/chrome" }, executables: ["/opt/chrome/chrome", DEBIAN_CHROMIUM] }))).toEqual({ action: "use", path: "/opt/chrome/chrome" });
  });

  it("stops on a CHROMIUM_PATH that names nothing runnable instead of quietly using another", () => {
    const plan = planChromium(machine({ env: { CHROMIUM_PATH: "/nope/chromium", CI: "true" }, isRoot: true, executables: [DEBIAN_CHROMIUM] }));
    expect(plan).toEqual({ action: "stop", message: expect.stringContaining("CHROMIUM_PATH=/nope/chromium is not an executable file") });
  });

  it("uses Debian's Chromium when it is there", () => {
    expect(planChromium(machine({ executables: [DEBIAN_CHROMIUM] }))).toEqual({ action: "use", path: DEBIAN_CHROMIUM });
  });

  it("installs Debian's only as root with apt, and only in CI or when opted in", () => {
    expect(planChromium(machine({ isRoot: true, env: { CI: "true" } }))).toEqual({ action: "install", path: DEBIAN_CHROMIUM });
    expect(planChromium(machine({ isRoot: true, env: { CI: "1" } })).action).toBe("install");
    expect(planChromium(machine({ isRoot: true, env: { PARLEY_INSTALL_CHROMIUM: "1" } })).action).toBe("install");
    expect(planChromium(machine({ isRoot: true, env: {} })).action).toBe("stop");
    expect(planChromium(machine({ isRoot: true, env: { CI: "false", PARLEY_INSTALL_CHROMIUM: "0" } })).action).toBe("stop");
    expect(planChromium(machine({ isRoot: false, env: { CI: "true" } })).action).toBe("stop");
    expect(planChromium(machine({ isRoot: true, hasApt: false, env: { CI: "true" } })).action).toBe("stop");
  });

  it("says in one line how to get Chromium on this kind of machine", () => {
    const message = (facts: MachineFacts) => {
      const plan = planChromium(facts);
      if (plan.action !== "stop") throw new Error(`expected a stop, got ${plan.action}`);
      expect(plan.message).not.toContain("\n");
      return plan.message;
    };
    expect(message(machine({ isRoot: false }))).toMatch(/sudo apt-get install -y chromium.*CHROMIUM_PATH/);
    expect(message(machine({ isRoot: true }))).toMatch(/apt-get install -y chromium.*PARLEY_INSTALL_CHROMIUM=1/);
    expect(message(machine({ hasApt: false }))).toMatch(/set CHROMIUM_PATH/);
  });
});

describe("findChromium and ensureChromium on a real file system", () => {
  const dir = mkdtempSync(join(tmpdir(), "parley-chromium-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const executable = join(dir, "chromium");
  writeFileSync(executable, "#!/bin/sh\n");
  chmodSync(executable, 0o755);
  const plain = join(dir, "not-executable");
  writeFileSync(plain, "");
  const real = machineFacts();

  it("accepts an executable file and refuses a plain file or a directory", () => {
    expect(findChromium({ ...real, env: { CHROMIUM_PATH: executable } })).toBe(executable);
    for (const path of [plain, dir, join(dir, "missing")]) {
      expect(() => findChromium({ ...real, env: { CHROMIUM_PATH: path } }), path).toThrow(ChromiumMissing);
    }
  });

  it("stops with the message as the whole error, no stack to scroll past", () => {
    const lines: string[] = [];
    const error = (() => {
      try {
        ensureChromium({ ...real, env: { CHROMIUM_PATH: plain } }, (line) => lines.push(line));
      } catch (caught) {
        return caught as Error;
      }
      throw new Error("ensureChromium did not stop");
    })();
    expect(error.stack).toBe(error.message);
    expect(error.message).toMatch(/^CHROMIUM_PATH=.* is not an executable file/);
    expect(lines).toEqual([]); // nothing was installed
  });
});
