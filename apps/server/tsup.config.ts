import { cpSync } from "node:fs";
import { defineConfig } from "tsup";

// The production server: plain JavaScript that `node dist/main.js` runs, no tsx. The workspace packages are bundled
// in; every npm dependency stays external and is one of this package's own dependencies. The SQLite writer thread is
// its own entry (the thread loads it by file), and the SQL migrations are copied beside the bundle.
export default defineConfig({
  entry: { main: "src/main.ts", "sqlite-writer-worker": "../../packages/db/src/sqlite-writer-worker.ts" },
  format: ["esm"],
  target: "node20",
  platform: "node",
  noExternal: [/^@rollcall\//],
  sourcemap: true,
  clean: true,
  onSuccess: async () => {
    for (const dir of ["migrations", "postgres/migrations"]) cpSync(`../../packages/db/prisma/${dir}`, `dist/prisma/${dir}`, { recursive: true });
  },
});
