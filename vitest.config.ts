import { defineConfig } from "vitest/config";

// The API suite runs once per runtime (Node, Bun, Deno), each against real servers on real
// libSQL files; unit tests beside the source run once.
const apiProject = (runtime: "node" | "bun" | "deno") => ({
  test: {
    name: `api-${runtime}`,
    include: ["test/api/**/*.test.ts"],
    env: { PARLEY_TEST_RUNTIME: runtime },
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

const realtimeProject = (rooms: "inprocess" | "partykit") => ({
  test: {
    name: `realtime-${rooms}`,
    include: ["test/realtime/**/*.test.ts"],
    // `npm start` always hosts the rooms in-process: its test belongs to that project alone.
    exclude: rooms === "partykit" ? ["test/realtime/stack.test.ts"] : [],
    env: { PARLEY_TEST_ROOMS: rooms },
    testTimeout: 60_000,
    hookTimeout: 90_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["protocol/**/*.test.ts", "server/**/*.test.ts", "widget/**/*.test.ts", "inbox/**/*.test.ts", "sdk/**/*.test.ts", "test/*.test.ts", "test/support/*.test.ts"] } },
      apiProject("node"),
      apiProject("bun"),
      apiProject("deno"),
      // The realtime suite once per room runtime: the default in-process host and a real
      // `partykit dev` (the scale-out path). test/support/rooms.ts reads PARLEY_TEST_ROOMS.
      realtimeProject("inprocess"),
      realtimeProject("partykit"),
      {
        // The SDK against the real stack, the examples under Node, Bun and Deno, and type tests
        // (types.test.ts runs as a no-op and is type-checked; so is everything by `npm run typecheck`).
        test: {
          name: "sdk",
          include: ["test/sdk/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 90_000,
          // Type errors in the type tests fail this project; errors elsewhere are `npm run typecheck`'s to report.
          typecheck: { enabled: true, include: ["test/sdk/types.test.ts"], tsconfig: "tsconfig.json", ignoreSourceErrors: true },
        },
      },
      {
        // Browser tests in Chromium (playwright-core). First Chromium is found (or Debian's
        // installed, or the run stops saying how to get it: test/support/chromium.ts), then
        // widget/build.ts builds dist/widget once, so test files never build concurrently into it.
        test: {
          name: "widget",
          include: ["test/widget/**/*.test.ts"],
          globalSetup: ["test/support/chromium-setup.ts", "widget/build.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The agent inbox in Chromium against the real stack: dist/widget and dist/inbox are built once first.
        test: {
          name: "inbox",
          include: ["test/inbox/**/*.test.ts"],
          // The widget too: the sites admin previews the built widget panel.
          globalSetup: ["test/support/chromium-setup.ts", "widget/build.ts", "inbox/build.ts"],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          // One browser-heavy file at a time: the machine has two shared cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
