// The closing line of the test command, from the runners' own reports rather than their console output: node:test's
// JUnit reporter (`.test-results/node.xml` in each package) and Playwright's JSON reporter
// (`.test-results/playwright-<database>.json` in the console). What a report cannot show still fails the line: a
// package whose tests never reported, a Playwright run that failed before any test (its report's `errors`), and a
// runner that exited non-zero with every counted test passing (node:test's JUnit omits a failed describe-level hook).
//
// Usage: node scripts/test-totals.mjs <repository root> <the test step's exit status>
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = process.argv[2] ?? ".";
const testStatus = Number(process.argv[3] ?? 0);
// Every workspace package with a test script (pnpm-workspace.yaml's `dir/*` globs) must have reported.
const workspaceDirs = [...readFileSync(join(root, "pnpm-workspace.yaml"), "utf8").matchAll(/^\s*-\s*["']?([\w-]+)\/\*["']?\s*$/gm)].map((m) => m[1]);
const packagesExpected = workspaceDirs
  .flatMap((dir) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)).map((name) => join(dir, name)) : []))
  .filter((pkg) => existsSync(join(root, pkg, "package.json")) && JSON.parse(readFileSync(join(root, pkg, "package.json"), "utf8")).scripts?.test);
let passed = 0;
let failed = 0;
const silent = [];

for (const pkg of packagesExpected) {
  const dir = join(root, pkg, ".test-results");
  const reports = existsSync(dir) ? readdirSync(dir) : [];
  if (reports.length === 0) silent.push(pkg);
  for (const report of reports) {
    const text = readFileSync(join(dir, report), "utf8");
    if (report.endsWith(".xml")) {
      // JUnit: one <testcase> per test (a test with subtests is a <testsuite>), holding one <failure> if it failed or
      // was cancelled (a failed hook cancels its suite's tests), or one <skipped>. Text escapes "<", so each is a tag.
      const count = (tag) => text.match(new RegExp(`<${tag}\\b`, "g"))?.length ?? 0;
      const failures = count("failure");
      failed += failures;
      passed += count("testcase") - failures - count("skipped");
    } else if (report.endsWith(".json")) {
      const { stats, errors } = JSON.parse(text);
      passed += stats.expected + stats.flaky;
      failed += stats.unexpected + errors.length;
    }
  }
}
if (silent.length > 0) console.log(`no test report from: ${silent.join(", ")}`);
failed += silent.length;
if (testStatus !== 0 && failed === 0) {
  console.log("a test runner failed outside any test it reported (a hook, a crash): see its output above");
  failed = 1;
}
console.log(`all packages: ${passed} passed, ${failed} failed`);
