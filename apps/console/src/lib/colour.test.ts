import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { withAlpha } from "./colour.ts";

describe("withAlpha", () => {
  it("turns the stylesheet's hex colours into rgba() with the given transparency", () => {
    assert.equal(withAlpha("#34d399", 0.35), "rgba(52, 211, 153, 0.35)");
    assert.equal(withAlpha(" #FFF ", 0.5), "rgba(255, 255, 255, 0.5)");
  });

  it("leaves a colour it cannot read as it is, rather than draw nothing", () => {
    assert.equal(withAlpha("rebeccapurple", 0.5), "rebeccapurple");
    assert.equal(withAlpha("", 0.5), "");
  });
});
