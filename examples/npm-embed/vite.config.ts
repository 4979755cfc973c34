import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// In an app of your own, `npm install @parley/widget` and drop the alias: it stands in for
// the package inside this repository.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  resolve: { alias: { "@parley/widget": fileURLToPath(new URL("../../widget/loader/embed.ts", import.meta.url)) } },
  build: { target: "es2022" },
});
