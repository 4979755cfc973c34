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

export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["protocol/**/*.test.ts", "server/**/*.test.ts", "test/*.test.ts"] } },
      apiProject("node"),
      apiProject("bun"),
      apiProject("deno"),
      {
        test: {
          name: "realtime",
          include: ["test/realtime/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
