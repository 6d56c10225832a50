/**
 * What an operator's tooling reads from a running server: /metrics in the Prometheus text format (Rollcall's own
 * metrics, one registry per server, and the process's), and the log, one JSON object per line with credentials
 * redacted. The metrics do not depend on the database, so these run on SQLite only.
 */
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { createLogger } from "../src/logger.ts";
import { seriesValue } from "./api-helpers.ts";
import { startTestServer, testDatabases, type TestServer } from "./harness.ts";

const sqlite = testDatabases().find((factory) => factory.provider === "sqlite")!;

async function scrape(server: TestServer): Promise<{ contentType: string | null; text: string }> {
  const response = await fetch(`${server.url}/metrics`);
  assert.equal(response.status, 200);
  return { contentType: response.headers.get("content-type"), text: await response.text() };
}

describe("/metrics", () => {
  let first: TestServer;
  let second: TestServer;
  before(async () => {
    first = await startTestServer(sqlite);
    second = await startTestServer(sqlite);
  });
  after(async () => {
    await first?.stop();
    await second?.stop();
  });

  it("shows Rollcall's metrics with their types and the process's metrics, in Prometheus text format", async () => {
    await first.runtime("/registry/heartbeat", { workspace_id: "nobody" });
    const { contentType, text } = await scrape(first);
    assert.match(contentType ?? "", /^text\/plain; version=0\.0\.4/);
    for (const [name, type] of [
      ["rollcall_runtime_calls_total", "counter"],
      ["rollcall_transitions_total", "counter"],
      ["rollcall_request_duration_seconds", "histogram"],
      ["rollcall_sweep_duration_seconds", "gauge"],
      ["rollcall_sweep_lag_seconds", "gauge"],
      ["rollcall_sweep_changed_total", "counter"],
      ["process_cpu_seconds_total", "counter"],
      ["nodejs_eventloop_lag_seconds", "gauge"],
      ["nodejs_gc_duration_seconds", "histogram"],
    ]) {
      assert.ok(text.includes(`\n# TYPE ${name} ${type}\n`), `${name} is a ${type}`);
    }
    const bounds = [...text.matchAll(/^rollcall_request_duration_seconds_bucket\{le="([^"]+)",route="heartbeat"\}/gm)].map((match) => match[1]);
    assert.deepEqual(bounds, ["0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"]);
  });

  it("counts each server's calls in its own registry when several run in one process", async () => {
    const series = 'rollcall_runtime_calls_total{call="heartbeat",outcome="invalid_body"}';
    const [firstBefore, secondBefore] = [seriesValue((await scrape(first)).text, series), seriesValue((await scrape(second)).text, series)];
    await first.runtime("/registry/heartbeat", { workspace_id: "nobody" });
    const [firstAfter, secondAfter] = [(await scrape(first)).text, (await scrape(second)).text];
    assert.equal(seriesValue(firstAfter, series), firstBefore + 1);
    assert.equal(seriesValue(secondAfter, series), secondBefore);
    assert.ok(secondAfter.includes("\nprocess_cpu_seconds_total "), "the second server shows the process's metrics too");
  });
});

describe("the log", () => {
  it("writes one JSON line with time, level and msg, the fields at top level and credentials redacted", () => {
    const lines: string[] = [];
    const logger = createLogger("info", (line) => lines.push(line));
    logger.warn("register_rejected", {
      workspace: "ws-1",
      token: "rc_secret_token",
      admin_token: "admin-secret-0123456789",
      secret: "whsec_secret",
      headers: { authorization: "Bearer rc_secret_header" },
    });
    logger.debug("below_the_level");

    assert.equal(lines.length, 1, "debug is below the level");
    const [line] = lines as [string];
    assert.ok(line.endsWith("}\n") && !line.slice(0, -1).includes("\n"), "one line");
    for (const secret of ["rc_secret_token", "admin-secret-0123456789", "whsec_secret", "rc_secret_header"])
      assert.ok(!line.includes(secret), `${secret} is not logged`);
    const entry = JSON.parse(line) as Record<string, unknown>;
    assert.equal(new Date(entry.time as string).toISOString(), entry.time, "time is an ISO 8601 string");
    assert.deepEqual(
      { ...entry, time: undefined },
      {
        time: undefined,
        level: "warn",
        msg: "register_rejected",
        workspace: "ws-1",
        token: "[redacted]",
        admin_token: "[redacted]",
        secret: "[redacted]",
        headers: { authorization: "[redacted]" },
      },
    );
  });

  it("writes to stdout synchronously: a line logged just before process.exit is not lost", async () => {
    const script = 'import { createLogger } from "./src/logger.ts"; createLogger("info").info("shutting_down", { signal: "SIGTERM" }); process.exit(0);';
    const { stdout } = await promisify(execFile)(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: new URL("..", import.meta.url),
    });
    const entry = JSON.parse(stdout) as Record<string, unknown>;
    assert.equal(entry.msg, "shutting_down");
    assert.equal(entry.signal, "SIGTERM");
  });
});
