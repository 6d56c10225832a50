import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_POLICY } from "./policy.ts";
import { INITIAL_SELF_PRESERVATION, judgeSelfPreservation, registryIsSuspect, silentCutoff } from "./self-preservation.ts";

const NOW = 1_800_000_000_000;

describe("self-preservation", () => {
  it("is suspect at 30 % of at least 20 live workspaces, not below either bound", () => {
    assert.equal(registryIsSuspect({ live: 20, silent: 6 }, DEFAULT_POLICY), true);
    assert.equal(registryIsSuspect({ live: 20, silent: 5 }, DEFAULT_POLICY), false);
    assert.equal(registryIsSuspect({ live: 19, silent: 19 }, DEFAULT_POLICY), false);
    assert.equal(registryIsSuspect({ live: 10_000, silent: 3_000 }, DEFAULT_POLICY), true);
  });

  it("counts as silent whoever missed one heartbeat interval less than the offline deadline: the whole partition at its first deadline", () => {
    assert.equal(NOW - silentCutoff(NOW, DEFAULT_POLICY), 60_000);
    // A registry configured with a short deadline keeps the same proportion: a third of it is one interval.
    assert.equal(NOW - silentCutoff(NOW, { ...DEFAULT_POLICY, offlineAfterMs: 9_000 }), 6_000);
  });

  it("enters on a suspect census and records the numbers", () => {
    const judged = judgeSelfPreservation(INITIAL_SELF_PRESERVATION, { live: 100, silent: 90 }, NOW, DEFAULT_POLICY);
    assert.equal(judged?.change, "entered");
    assert.deepEqual(judged?.next, { active: true, since: NOW, silent: 90, live: 100, dismissedBy: null });
  });

  it("stays while suspect, and exits by itself as soon as the census is not", () => {
    const active = { active: true, since: NOW - 60_000, silent: 90, live: 100, dismissedBy: null };
    assert.equal(judgeSelfPreservation(active, { live: 100, silent: 31 }, NOW, DEFAULT_POLICY), null);
    assert.equal(judgeSelfPreservation(active, { live: 100, silent: 29 }, NOW, DEFAULT_POLICY)?.change, "exited");
  });

  it("once an operator ends it, it does not begin again until the census clears, then it is armed again", () => {
    const dismissed = { ...INITIAL_SELF_PRESERVATION, dismissedBy: "ada" };
    assert.equal(judgeSelfPreservation(dismissed, { live: 100, silent: 90 }, NOW, DEFAULT_POLICY), null);
    const rearmed = judgeSelfPreservation(dismissed, { live: 100, silent: 0 }, NOW, DEFAULT_POLICY);
    assert.equal(rearmed?.change, "rearmed");
    assert.equal(rearmed?.next.dismissedBy, null);
  });

  it("a healthy fleet never enters", () => {
    assert.equal(judgeSelfPreservation(INITIAL_SELF_PRESERVATION, { live: 100, silent: 1 }, NOW, DEFAULT_POLICY), null);
  });
});
