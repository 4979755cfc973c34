import { defineConfig } from "vite";

// Builds the browser bundles (widget, inbox) as they arrive; the API needs no build step.
export default defineConfig({
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
});
