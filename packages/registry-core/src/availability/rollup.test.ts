import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { statusChangeEvent, workspaceCreatedEvent } from "../events/constructors.ts";
import type { StatusReason, WorkspaceStatus } from "../status/statuses.ts";
import { availableFraction, DAY_MS, HOUR_MS, hourlyTallies, outagesOf, rollHour, sumTallies, worstOf, type PresenceFact } from "./rollup.ts";

const DAY = 20_000;
const T0 = DAY * DAY_MS;
const at = (hours: number, minutes = 0) => T0 + hours * HOUR_MS + minutes * 60_000;
const status = (time: number, from: string | null, to: string): PresenceFact => ({ at: time, status: { from: from as never, to: to as never } });
const maintenance = (time: number, to: boolean): PresenceFact => ({ at: time, maintenance: { from: !to, to } });

describe("rollHour", () => {
  it("a workspace created mid-hour counts only from its creation; the hours before are empty", () => {
    const row = rollHour({
      workspaceId: "w",
      hour: at(2),
      facts: [status(at(2, 10), null, "provisioning"), status(at(2, 11), "provisioning", "online")],
      previous: null,
    });
    assert.deepEqual(row.start, null);
    assert.deepEqual(row.hours[0], {});
    assert.deepEqual(row.hours[2], { provisioning: 60, online: 49 * 60 });
    assert.deepEqual(row.end, { status: "online", maintenance: false });
    assert.equal(row.through, at(3));
  });

  it("a later hour of the same day fills the hours between with where it stood, then folds the new facts", () => {
    const first = rollHour({ workspaceId: "w", hour: at(2), facts: [status(at(2), null, "online")], previous: null });
    const later = rollHour({ workspaceId: "w", hour: at(5), facts: [status(at(5, 30), "online", "offline")], previous: first });
    assert.deepEqual(later.hours[3], { online: 3600 });
    assert.deepEqual(later.hours[4], { online: 3600 });
    assert.deepEqual(later.hours[5], { online: 1800, offline: 1800 });
    assert.deepEqual(later.end, { status: "offline", maintenance: false });
  });

  it("a new day starts where the last row ended, and time in maintenance is counted as maintenance", () => {
    const yesterday = rollHour({ workspaceId: "w", hour: at(23), facts: [status(at(23), null, "online")], previous: null });
    const today = rollHour({ workspaceId: "w", hour: at(25), facts: [maintenance(at(25, 15), true)], previous: yesterday });
    assert.equal(today.day, DAY + 1);
    assert.deepEqual(today.start, { status: "online", maintenance: false });
    assert.deepEqual(today.hours[0], { online: 3600 });
    assert.deepEqual(today.hours[1], { online: 900, maintenance: 2700 });
    assert.deepEqual(today.end, { status: "online", maintenance: true });
  });
});

describe("hourlyTallies", () => {
  const created = rollHour({ workspaceId: "w", hour: at(1), facts: [status(at(1), null, "online")], previous: null });
  const outage = rollHour({
    workspaceId: "w",
    hour: at(30),
    facts: [status(at(30), "online", "offline"), status(at(30, 30), "offline", "online")],
    previous: created,
  });

  it("days without a row are spent where the rows around them say; hours after the watermark come from the facts", () => {
    const tallies = hourlyTallies({
      rows: [created, outage],
      rolledTo: at(31),
      factsSince: [status(at(40), "online", "degraded")],
      current: { status: "degraded", maintenance: false },
      from: at(0),
      to: at(41),
    });
    assert.deepEqual(tallies.get(at(0)), {});
    assert.deepEqual(tallies.get(at(10)), { online: 3600 });
    assert.deepEqual(tallies.get(at(30)), { online: 1800, offline: 1800 });
    assert.deepEqual(tallies.get(at(35)), { online: 3600 });
    assert.deepEqual(tallies.get(at(40)), { degraded: 3600 });
    const total = sumTallies(tallies.values());
    assert.equal(total.offline, 1800);
    assert.equal(total.online, (40 - 1) * 3600 - 1800);
  });

  it("rolled up or computed from the facts, the same history gives the same figures", () => {
    const facts = [status(at(1), null, "online"), status(at(30), "online", "offline"), status(at(30, 30), "offline", "online")];
    const rolled = hourlyTallies({
      rows: [created, outage],
      rolledTo: at(31),
      factsSince: [],
      current: { status: "online", maintenance: false },
      from: at(0),
      to: at(33),
    });
    const unrolled = hourlyTallies({
      rows: [],
      rolledTo: at(0),
      factsSince: facts,
      current: { status: "online", maintenance: false },
      from: at(0),
      to: at(33),
    });
    assert.deepEqual([...rolled], [...unrolled]);
  });

  it("a window that starts after the rows still knows where the workspace stood", () => {
    const tallies = hourlyTallies({
      rows: [],
      rolledTo: at(100),
      factsSince: [],
      current: { status: "offline", maintenance: false },
      from: at(90),
      to: at(100, 30),
    });
    assert.deepEqual(sumTallies(tallies.values()), { offline: 10.5 * 3600 });
  });
});

describe("availability figures", () => {
  it("up time over the time that counts: maintenance, unknown and removed count neither way", () => {
    assert.equal(availableFraction({ online: 3000, degraded: 600, offline: 400, maintenance: 5000, unknown: 100 }), 0.9);
    assert.equal(availableFraction({ maintenance: 3600 }), null);
    assert.equal(availableFraction({}), null);
  });

  it("a day takes the colour of its worst status", () => {
    assert.equal(worstOf({ online: 80_000, offline: 60, degraded: 6000 }), "offline");
    assert.equal(worstOf({ online: 86_400 }), "online");
    assert.equal(worstOf({}), null);
  });
});

describe("outagesOf", () => {
  const event = (time: number, from: WorkspaceStatus | null, to: WorkspaceStatus, reasons: StatusReason[] = []) =>
    from === null
      ? workspaceCreatedEvent({ id: "w", name: "w" }, "test", time)
      : statusChangeEvent({ workspaceId: "w", from, to, reasons, previousReasons: [], actor: "test", at: time });

  it("runs from the change out of online/degraded to the change back, collecting the reasons on the way", () => {
    const outages = outagesOf([
      event(at(0), null, "provisioning"),
      event(at(1), "provisioning", "online"),
      event(at(2), "online", "degraded", ["error_rate"]),
      event(at(3), "degraded", "offline", ["heartbeat_timeout"]),
      event(at(3, 10), "offline", "provisioning", ["operator_restart"]),
      event(at(3, 20), "provisioning", "online"),
      event(at(5), "online", "unknown", ["registry_suspect"]),
    ]);
    assert.deepEqual(outages, [
      { start: at(3), end: at(3, 20), reasons: ["heartbeat_timeout", "operator_restart"] },
      { start: at(5), end: null, reasons: ["registry_suspect"] },
    ]);
  });
});
