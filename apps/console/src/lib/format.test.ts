import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { agentCardEntries, formatPercent, payloadSummary, truncate } from "./format.ts";

describe("formatPercent", () => {
  it("shows an error rate as a percentage with at most one decimal", () => {
    assert.equal(formatPercent(0), "0%");
    assert.equal(formatPercent(0.125), "12.5%");
    assert.equal(formatPercent(0.3333), "33.3%");
    assert.equal(formatPercent(1), "100%");
  });

  it("shows a dash for a value that is not a number", () => {
    assert.equal(formatPercent(Number.NaN), "—");
  });
});

describe("truncate", () => {
  it("keeps short text and ends long text with an ellipsis at the limit", () => {
    assert.equal(truncate("short", 10), "short");
    assert.equal(truncate("connection refused by peer", 10), "connectio…");
    assert.equal(truncate("connection refused by peer", 10).length, 10);
  });
});

describe("agentCardEntries", () => {
  it("lists top-level fields readably", () => {
    assert.deepEqual(agentCardEntries({ name: "demo", skills: ["search", "summarise"], version: 2, extra: { a: 1 }, tags: [] }), [
      { key: "name", value: "demo" },
      { key: "skills", value: "search, summarise" },
      { key: "version", value: "2" },
      { key: "extra", value: '{"a":1}' },
      { key: "tags", value: "(none)" },
    ]);
  });

  it("has no rows without a card", () => {
    assert.deepEqual(agentCardEntries(null), []);
  });
});

describe("payloadSummary", () => {
  it("reads a status change as from → to with its reasons", () => {
    assert.equal(
      payloadSummary({ type: "WORKSPACE_DEGRADED", payload: { from: "online", to: "degraded", reasons: ["error_rate"], error_rate: 0.6 } }),
      "online → degraded (error_rate)",
    );
    assert.equal(payloadSummary({ type: "WORKSPACE_ONLINE", payload: { from: "provisioning", to: "online", reasons: [] } }), "provisioning → online");
    assert.equal(
      payloadSummary({ type: "WORKSPACE_PROVISIONING", payload: { from: null, to: "provisioning", reasons: [], previous_reasons: [], name: "demo" } }),
      "new → provisioning",
    );
  });

  it("lists field names for other payloads", () => {
    assert.equal(payloadSummary({ type: "WORKSPACE_REGISTERED", payload: { url: "http://x", delivery_mode: "push" } }), "url, delivery_mode");
    assert.equal(payloadSummary({ type: "OPERATOR_SIGNED_OUT", payload: {} }), "no payload");
  });

  it("lists the field names of a payload that does not fit its type rather than guess at it", () => {
    assert.equal(payloadSummary({ type: "WORKSPACE_OFFLINE", payload: { from: "online", to: 7 } }), "from, to");
    assert.equal(payloadSummary({ type: "SOMETHING_NEW", payload: null }), "no payload");
  });
});
