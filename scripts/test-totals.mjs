// The closing line of the test command, from the runners' own reports rather than their console output: node:test's
// JUnit reporter (`.test-results/node.xml` in each package) and Playwright's JSON reporter
// (`.test-results/playwright-<database>.json` in the console). A package whose tests never reported counts as a
// failure, so a runner that crashed before writing cannot pass silently.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = process.argv[2] ?? ".";
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
      const { stats } = JSON.parse(text);
      passed += stats.expected + stats.flaky;
      failed += stats.unexpected;
    }
  }
}
if (silent.length > 0) console.log(`no test report from: ${silent.join(", ")}`);
console.log(`all packages: ${passed} passed, ${failed + silent.length} failed`);
