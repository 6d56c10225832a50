import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { selfPreservationBanner } from "./self-preservation.ts";

describe("selfPreservationBanner", () => {
  it("says how many went silent together, since when, and that they are not offline", () => {
    assert.equal(
      selfPreservationBanner({ active: true, since: "2026-12-01T10:15:42.000Z", silent: 18, live: 20 }),
      "The registry suspects itself: 18 of 20 live workspaces went silent together since 2026-12-01 10:15:42 UTC. They show as unknown, not offline.",
    );
  });

  it("leaves the time out rather than print a wrong one when the registry gives none", () => {
    assert.equal(
      selfPreservationBanner({ active: true, since: null, silent: 6, live: 8 }),
      "The registry suspects itself: 6 of 8 live workspaces went silent together. They show as unknown, not offline.",
    );
  });

  it("says nothing while the registry trusts itself, whatever the census", () => {
    assert.equal(selfPreservationBanner({ active: false, since: null, silent: 3, live: 20 }), null);
  });
});
