import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { EventPayload, EventType } from "@rollcall/registry-core/vocabulary";
import { eventHeadline, PAYLOAD_VALUE_MAX, payloadFields } from "./event-summary.ts";

/** An event as the contract types it: a fixture missing a field fails to compile instead of reading as unknown. */
const event = <T extends EventType>(type: T, payload: EventPayload<T>) => ({ type, payload });

describe("eventHeadline", () => {
  it("reads a clear with who, why and what it did to the status", () => {
    assert.equal(
      eventHeadline(
        event("MARKER_CLEARED", {
          status_before: "degraded",
          status_after: "online",
          marker_id: "m1",
          kind: "register_failure",
          reason: "url_validate_failed",
          by: "operator:alice",
          clear_reason: "DNS record fixed",
        }),
      ),
      "Marker url_validate_failed cleared by operator:alice: “DNS record fixed”; status degraded → online",
    );
  });

  it("reads a marker being set with its reason and kind", () => {
    assert.equal(
      eventHeadline(
        event("MARKER_SET", {
          marker_id: "m1",
          kind: "register_failure",
          reason: "url_validate_failed",
          detail: "no such host",
          expires_at: "2026-12-01T13:00:00.000Z",
        }),
      ),
      "Marker set: url_validate_failed (register_failure)",
    );
  });

  it("reads status transitions as from → to with their reasons", () => {
    assert.equal(
      eventHeadline(event("WORKSPACE_DEGRADED", { from: "online", to: "degraded", reasons: ["register_failure"] })),
      "online → degraded (register_failure)",
    );
    assert.equal(
      eventHeadline(
        event("WORKSPACE_REASONS_CHANGED", { from: "degraded", to: "degraded", reasons: ["error_rate"], previous_reasons: ["register_failure", "error_rate"] }),
      ),
      "Still degraded, now because of: error_rate",
    );
  });

  it("reads card updates, registrations and token changes without their secrets or bulk", () => {
    assert.equal(eventHeadline(event("AGENT_CARD_UPDATED", { source: "update_card", agent_card: { name: "x" } })), "Agent card updated, sent by the runtime");
    assert.equal(
      eventHeadline(
        event("URL_REVALIDATED", {
          url_before: "http://a\\@b/",
          url_after: null,
          card_url_before: null,
          card_url_after: null,
          refused: "url: url contains a backslash",
        }),
      ),
      "Stored URL removed: it no longer passes the URL rules (url: url contains a backslash)",
    );
    assert.equal(
      eventHeadline(event("URL_REVALIDATED", { url_before: "HTTP://A", url_after: "http://a/", card_url_before: null, card_url_after: null })),
      "Stored URL rewritten to its canonical form",
    );
    assert.equal(
      eventHeadline(event("WORKSPACE_REGISTERED", { url: "https://a.example", delivery_mode: "push" })),
      "Registered https://a.example (push delivery)",
    );
    assert.equal(
      eventHeadline(event("TOKEN_ROTATED", { token_id: "t2", prefix: "rc_ab12" })),
      "Token rotated: new token rc_ab12… issued, every older token revoked",
    );
  });

  it("falls back to the payload's field names for a type it does not know", () => {
    assert.equal(eventHeadline({ type: "SOMETHING_NEW", payload: { alpha: 1, beta: "x" } }), "alpha, beta");
  });

  it("falls back to the payload's field names for a known type whose payload does not fit the contract", () => {
    assert.equal(eventHeadline({ type: "MARKER_SET", payload: { marker_id: "m1", kind: "register_failure", reason: 7 } }), "marker_id, kind, reason");
  });

  it("reads any type and any payload without throwing, even ones shaped unlike anything it knows", () => {
    const odd = [null, [], "text", 7, { from: 1, to: null, reasons: "x", silent: "many", until: 3, expired: "yes" }] as unknown[];
    for (const type of ["constructor", "toString", "__proto__", "SOMETHING_NEW", "MAINTENANCE_ENDED", "SELF_PRESERVATION_EXITED", "WORKSPACE_UNKNOWN"]) {
      for (const payload of odd) {
        assert.equal(typeof eventHeadline({ type, payload }), "string", `${type} with ${JSON.stringify(payload)}`);
        assert.ok(Array.isArray(payloadFields(payload)));
      }
    }
    assert.equal(eventHeadline({ type: "toString", payload: {} }), "no payload");
  });

  it("says an unknown workspace is not offline", () => {
    assert.equal(
      eventHeadline(event("WORKSPACE_UNKNOWN", { from: "online", to: "unknown", reasons: ["registry_suspect"] })),
      "online → unknown (registry_suspect): silent while the registry suspects itself, so not declared offline",
    );
  });

  it("reads self-preservation beginning with its census and threshold, and ending by itself or by an operator", () => {
    const since = "2026-12-01T11:00:00.000Z";
    assert.equal(
      eventHeadline(event("SELF_PRESERVATION_ENTERED", { silent: 18, live: 20, share: 0.3, min_live: 20 })),
      "Self-preservation began: 18 of 20 live workspaces went silent together (the threshold: 30% of at least 20 live); they show as unknown, not offline",
    );
    assert.equal(
      eventHeadline(event("SELF_PRESERVATION_EXITED", { silent: 2, live: 20, share: 0.3, min_live: 20, since })),
      "Self-preservation ended by itself: 2 of 20 live workspaces silent, under the threshold",
    );
    assert.equal(
      eventHeadline(
        event("SELF_PRESERVATION_EXITED", { silent: 18, live: 20, share: 0.3, min_live: 20, since, by: "operator:alice", reason: "the rack really is down" }),
      ),
      "Self-preservation ended by operator:alice: “the rack really is down”",
    );
  });

  it("reads an operator's change to a notification endpoint", () => {
    const endpoint = { endpoint_id: "nep_1", name: "ops", url: "https://hooks.example.com/", format: "slack", filter: {} };
    assert.equal(
      eventHeadline(event("NOTIFICATION_ENDPOINT_CHANGED", { ...endpoint, change: "created", enabled: true })),
      "Notification endpoint ops created (slack, enabled)",
    );
    assert.equal(
      eventHeadline(event("NOTIFICATION_ENDPOINT_CHANGED", { ...endpoint, change: "updated", enabled: false })),
      "Notification endpoint ops updated (slack, disabled)",
    );
  });

  it("reads maintenance starting, ended early and running out, with its reason and end in UTC", () => {
    const maintenance = { reason: "kernel upgrade", until: "2026-12-01T12:00:00.000Z", by: "operator:alice", since: "2026-12-01T11:00:00.000Z" };
    assert.equal(
      eventHeadline(event("MAINTENANCE_STARTED", { ...maintenance, replaced: false })),
      "Maintenance started by operator:alice until 2026-12-01 12:00:00 UTC: “kernel upgrade”",
    );
    assert.equal(
      eventHeadline(event("MAINTENANCE_ENDED", { ...maintenance, expired: false })),
      "Maintenance ended before 2026-12-01 12:00:00 UTC: “kernel upgrade”",
    );
    assert.equal(
      eventHeadline(event("MAINTENANCE_ENDED", { ...maintenance, expired: true })),
      "Maintenance over: its time ran out at 2026-12-01 12:00:00 UTC: “kernel upgrade”",
    );
  });
});

describe("payloadFields", () => {
  it("shows strings as they are and other values as compact JSON", () => {
    assert.deepEqual(payloadFields({ clear_reason: "DNS record fixed", reasons: ["error_rate"], from: null }), [
      { key: "clear_reason", value: "DNS record fixed", truncated: false },
      { key: "reasons", value: '["error_rate"]', truncated: false },
      { key: "from", value: "null", truncated: false },
    ]);
  });

  it("cuts long values short and says so", () => {
    const [field] = payloadFields({ agent_card: { description: "x".repeat(400) } });
    assert.equal(field?.truncated, true);
    assert.equal(field?.value.length, PAYLOAD_VALUE_MAX);
  });
});
