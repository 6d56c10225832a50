import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { checkJsonLimits, INPUT_LIMITS } from "./input-limits.ts";

const nested = (levels: number): unknown => {
  let value: unknown = "leaf";
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? { next: value } : [value];
  return value;
};

describe("checkJsonLimits", () => {
  it("passes ordinary bodies, numbers, booleans and null", () => {
    assert.equal(checkJsonLimits({ workspace_id: "x", error_rate: 0.5, ok: true, none: null, card: { skills: [{ id: "a" }] } }), null);
    assert.equal(checkJsonLimits(42), null);
    assert.equal(checkJsonLimits(undefined), null);
  });

  it(`allows ${INPUT_LIMITS.maxDepth} levels of nesting and refuses one more, with the path to it`, () => {
    assert.equal(checkJsonLimits(nested(INPUT_LIMITS.maxDepth)), null);
    const violation = checkJsonLimits({ agent_card: nested(INPUT_LIMITS.maxDepth) });
    assert.equal(violation?.reason, "json_too_deep");
    assert.match(violation.path, /^agent_card(\.(0|next)){31}$/);
  });

  it("walks 100,000 levels without exhausting the stack", () => {
    assert.equal(checkJsonLimits(JSON.parse("[".repeat(100_000) + "]".repeat(100_000)))?.reason, "json_too_deep");
  });

  it("refuses a NUL character in a value or a key, anywhere", () => {
    assert.deepEqual(checkJsonLimits({ current_task: "a\u0000b" }), {
      reason: "nul_character",
      message: "a string contains a NUL character (\\u0000)",
      path: "current_task",
    });
    assert.equal(checkJsonLimits({ card: { skills: [{ tags: ["ok", "\u0000"] }] } })?.path, "card.skills.0.tags.1");
    const key = checkJsonLimits({ card: { "bad\u0000key": 1 } });
    assert.equal(key?.reason, "nul_character");
    assert.equal(key?.path, "card");
    assert.match(key.message, /object key/);
  });

  it("refuses lone surrogates but not paired ones", () => {
    assert.equal(checkJsonLimits({ name: "\ud83d\ude00 emoji" }), null);
    assert.equal(checkJsonLimits({ name: "lone \ud83d" })?.reason, "invalid_unicode");
    assert.equal(checkJsonLimits({ name: "\ude00 lone low" })?.reason, "invalid_unicode");
  });

  it(`refuses a string or key longer than ${INPUT_LIMITS.maxStringLength}`, () => {
    assert.equal(checkJsonLimits({ text: "x".repeat(INPUT_LIMITS.maxStringLength) }), null);
    assert.equal(checkJsonLimits({ text: "x".repeat(INPUT_LIMITS.maxStringLength + 1) })?.reason, "string_too_long");
    assert.equal(checkJsonLimits({ ["k".repeat(INPUT_LIMITS.maxStringLength + 1)]: 1 })?.reason, "string_too_long");
  });

  it("reports the same violation whether or not paths are tracked (the first one in walk order)", () => {
    const body = { a: "\u0000", b: [{ c: "x".repeat(INPUT_LIMITS.maxStringLength + 1) }] };
    const violation = checkJsonLimits(body);
    assert.ok(violation);
    assert.ok(["a", "b.0.c"].includes(violation.path));
    assert.equal(violation.reason, violation.path === "a" ? "nul_character" : "string_too_long");
  });
});
