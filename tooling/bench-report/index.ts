// What every benchmark in the repository prints and records the same way: the machine, and its section of
// BENCHMARKS.md (replaced in place, so a rerun updates its own numbers and leaves the others alone).
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { fileURLToPath } from "node:url";

const BENCHMARKS = fileURLToPath(new URL("../../BENCHMARKS.md", import.meta.url));

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Replaces (or appends) the section that starts with `heading` in BENCHMARKS.md. */
export function recordSection(heading: string, body: string): void {
  let existing: string;
  try {
    existing = readFileSync(BENCHMARKS, "utf8");
  } catch {
    existing = "# Benchmarks\n\nNumbers drift between runs on these shared 2-core machines: compare rows from one run only.\n\n";
  }
  const section = `${heading}\n\n${body.trim()}\n`;
  const start = existing.indexOf(heading);
  const end = start < 0 ? -1 : existing.indexOf("\n## ", start + heading.length);
  const updated = start < 0 ? `${existing.trimEnd()}\n\n${section}` : `${existing.slice(0, start)}${section}${end < 0 ? "" : existing.slice(end)}`;
  writeFileSync(BENCHMARKS, updated);
  console.log(`recorded in ${BENCHMARKS}`);
}
