/**
 * The production server as it is deployed: `pnpm build` output, installed with production dependencies only
 * (`pnpm deploy --prod`, so no tsx exists beside it), started with plain `node dist/main.js`, on both databases. A
 * register and heartbeats go through it, SQLite's writer thread included.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { testDatabases, type TestDatabase } from "@rollcall/db/testing";
import { runPnpm, stopChild } from "./processes.ts";

const REPO = fileURLToPath(new URL("../../..", import.meta.url));
const ADMIN = "compiled-admin-token-0123456789";

async function startDeployed(dir: string, databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["dist/main.js"], {
    cwd: dir,
    env: { PATH: process.env.PATH, DATABASE_URL: databaseUrl, PORT: "0", ROLLCALL_ADMIN_TOKEN: ADMIN, ROLLCALL_LOG_LEVEL: "info" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      const entry = JSON.parse(line) as { msg: string; url?: string };
      if (entry.msg === "listening" && entry.url) resolve(entry.url);
    });
    child.once("exit", (code) => reject(new Error(`the compiled server exited with ${code}`)));
  });
  return { child, url };
}

describe("the compiled production server", () => {
  let deployed: string;
  before(async () => {
    await runPnpm(["--filter", "@rollcall/server", "run", "build"], REPO);
    deployed = join(mkdtempSync(join(tmpdir(), "rollcall-deploy-")), "server");
    await runPnpm(["--filter", "@rollcall/server", "deploy", "--prod", deployed], REPO);
  });
  after(() => rmSync(join(deployed, ".."), { recursive: true, force: true }));

  it("is deployed with production dependencies only: JavaScript, the migrations, no tsx", () => {
    assert.ok(existsSync(join(deployed, "dist/main.js")) && existsSync(join(deployed, "dist/sqlite-writer-worker.js")));
    assert.ok(readdirSync(join(deployed, "dist/prisma/migrations")).length > 0);
    assert.ok(!readdirSync(join(deployed, "node_modules/.pnpm")).some((name) => name.startsWith("tsx@")), "tsx is not installed");
    assert.ok(!existsSync(join(deployed, "src")), "no sources");
  });

  for (const factory of testDatabases()) {
    describe(`on ${factory.provider}`, () => {
      let db: TestDatabase;
      let server: { child: ChildProcess; url: string };
      before(async () => {
        db = await factory.create();
        server = await startDeployed(deployed, db.url);
      });
      after(async () => {
        if (server) await stopChild(server.child);
        await db?.drop();
      });

      it("migrates, provisions, registers and takes heartbeats with plain node", async () => {
        const call = async (path: string, body: unknown, token: string) => {
          const response = await fetch(`${server.url}${path}`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
          return { status: response.status, body: (await response.json()) as Record<string, unknown> };
        };
        const provisioned = await call("/api/workspaces", { name: "compiled" }, ADMIN);
        assert.equal(provisioned.status, 201);
        const { id, token } = provisioned.body as { id: string; token: string };
        const registered = await call("/registry/register", { id, url: "http://93.184.216.34:8000", agent_card: { name: "compiled" } }, token);
        assert.deepEqual(registered.body, { status: "registered", delivery_mode: "push", workspace_status: "online" });
        for (let beat = 0; beat < 3; beat++) {
          assert.deepEqual((await call("/registry/heartbeat", { workspace_id: id, active_tasks: beat }, token)).body, {
            status: "ok",
            workspace_status: "online",
          });
        }
        const detail = (await (await fetch(`${server.url}/api/workspaces/${id}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as Record<
          string,
          unknown
        >;
        assert.equal(detail.active_tasks, 2);
        assert.equal(detail.url, "http://93.184.216.34:8000/");
        assert.equal((await fetch(`${server.url}/readyz`)).status, 200);
      });
    });
  }
});
