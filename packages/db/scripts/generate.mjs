// Generates the Prisma clients for both databases from the one schema (prisma/schema.prisma).
// The PostgreSQL schema is derived here, never edited by hand.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "prisma/schema.prisma");
const derived = join(root, "prisma/postgres/schema.prisma");

const schema = readFileSync(source, "utf8");
const postgres = schema
  .replace(/provider = "sqlite"/, 'provider = "postgresql"')
  .replace('output   = "../src/generated/sqlite"', 'output   = "../../src/generated/postgres"')
  .replace(/^\/\/ The single source.*\n(\/\/.*\n)*/m, "// GENERATED from ../schema.prisma by scripts/generate.mjs. Do not edit.\n");
if (postgres === schema) throw new Error("could not derive the PostgreSQL schema");
writeFileSync(derived, postgres);

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1" };
// `prisma generate` runs on WebAssembly but insists that a schema engine binary exists. The engine download
// is disabled (allowBuilds in pnpm-workspace.yaml) and impossible offline; any existing file satisfies the check.
env.PRISMA_SCHEMA_ENGINE_BINARY ??= source;

const prismaCli = createRequire(import.meta.url).resolve("prisma/build/index.js");
for (const file of [source, derived]) {
  execFileSync(process.execPath, [prismaCli, "generate", "--schema", file], { cwd: root, env, stdio: "inherit" });
}
