import { defineConfig } from "tsup";

// What runtimes install: ESM JavaScript and bundled declarations for plain Node 20, nothing of the workspace.
export default defineConfig({
  entry: { index: "src/index.ts", testing: "src/testing/fake-registry.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: true,
  sourcemap: true,
  clean: true,
});
