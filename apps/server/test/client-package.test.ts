/**
 * @rollcall/client as a runtime author gets it: packed into a tarball, installed with npm into a project outside the
 * workspace, and run by plain `node` (no tsx, no workspace packages) against the real server: a register, then a
 * heartbeat loop until three beats were answered.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { detail } from "./api-helpers.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";
import { runPnpm } from "./processes.ts";

const run = promisify(execFile);
const CLIENT_DIR = fileURLToPath(new URL("../../../packages/client", import.meta.url));

const RUNTIME = `
import { createRegistryClient } from "@rollcall/client";

const client = createRegistryClient({ url: process.env.REGISTRY_URL, workspaceId: process.env.WORKSPACE_ID, token: process.env.WORKSPACE_TOKEN });
const registered = await client.registerWithRetry({ url: "http://agent.example.com:8000/", agentCard: { name: "packaged", url: "http://agent.example.com:8000/" } });
console.log(JSON.stringify({ registered: registered.workspace_status }));
const beats = [];
const loop = client.startHeartbeats({
  intervalMs: 200,
  report: () => ({ active_tasks: 1, current_task: "from the tarball" }),
  onHeartbeat: (result) => {
    beats.push(result.workspace_status);
    if (beats.length === 3) void loop.stop();
  },
});
await loop.done;
console.log(JSON.stringify({ beats }));
`;

const [sqlite] = testDatabases();

describe("the packed @rollcall/client, installed outside the workspace", () => {
  let server: TestServer;
  let work: string;
  before(async () => {
    server = await startTestServer(sqlite!);
    work = mkdtempSync(join(tmpdir(), "rollcall-client-package-"));
  });
  after(async () => {
    await server?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it("packs with no workspace: or catalog: specifier, installs with npm, and registers and heartbeats from plain node", async () => {
    await runPnpm(["pack", "--pack-destination", work], CLIENT_DIR);
    const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
    assert.ok(tarball, "pnpm pack wrote a tarball");
    const { stdout: manifest } = await run("tar", ["-xOzf", join(work, tarball), "package/package.json"]);
    assert.doesNotMatch(manifest, /workspace:|catalog:/);
    const { stdout: listing } = await run("tar", ["-tzf", join(work, tarball)]);
    assert.ok(listing.includes("package/dist/index.js") && listing.includes("package/dist/index.d.ts") && listing.includes("package/README.md"), listing);
    assert.ok(!listing.includes("package/src/"), "no sources in the tarball");

    const project = join(work, "runtime");
    await run("mkdir", ["-p", project]);
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "a-runtime", private: true, type: "module" }));
    await run("npm", ["install", "--no-audit", "--no-fund", join(work, tarball)], { cwd: project });
    writeFileSync(join(project, "runtime.mjs"), RUNTIME);

    const { id, token } = await server.provision("packaged");
    const { stdout } = await run(process.execPath, ["runtime.mjs"], {
      cwd: project,
      env: { PATH: process.env.PATH, REGISTRY_URL: server.url, WORKSPACE_ID: id, WORKSPACE_TOKEN: token },
      timeout: 30_000,
    });
    console.log(stdout.trim());
    const [registered, beats] = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(registered, { registered: "online" });
    assert.deepEqual(beats, { beats: ["online", "online", "online"] });
    const workspace = await detail(server, id);
    assert.equal(workspace.status, "online");
    assert.equal(workspace.current_task, "from the tarball");
    assert.equal(workspace.agent_card.name, "packaged");
  });
});
