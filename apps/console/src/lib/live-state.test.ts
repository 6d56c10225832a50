import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { liveState } from "./live-state.ts";

describe("liveState", () => {
  it("is live while the stream is connected", () => {
    assert.equal(liveState({ status: "pending", browserOnline: true, everConnected: true }), "live");
  });

  it("says connecting the first time and reconnecting after a drop", () => {
    assert.equal(liveState({ status: "connecting", browserOnline: true, everConnected: false }), "connecting");
    assert.equal(liveState({ status: "connecting", browserOnline: true, everConnected: true }), "reconnecting");
  });

  it("is offline without network or after a final error, whatever the stream says", () => {
    assert.equal(liveState({ status: "pending", browserOnline: false, everConnected: true }), "offline");
    assert.equal(liveState({ status: "error", browserOnline: true, everConnected: true }), "offline");
    assert.equal(liveState({ status: "idle", browserOnline: true, everConnected: false }), "offline");
  });
});
