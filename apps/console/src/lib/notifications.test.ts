import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  attemptStatus,
  createEndpointRequest,
  deliveryState,
  filterSummary,
  formatLatency,
  mayRedeliver,
  testOutcome,
  type Attempt,
  type EndpointForm,
} from "./notifications.ts";

const FORM: EndpointForm = {
  name: "  pager  ",
  url: " https://hooks.example.com/rollcall ",
  format: "webhook",
  secret: "",
  types: [],
  workspaces: "  ",
  enabled: true,
};

function attempt(fields: Partial<Attempt> = {}): Attempt {
  return { event_id: "msg_t1", attempt: 1, at: "2026-12-01T10:00:00.000Z", status_code: 200, latency_ms: 12.3, error: null, ...fields };
}

describe("filterSummary", () => {
  it("names the default types when the filter has none", () => {
    assert.equal(filterSummary({}), "Default types");
  });

  it("lists every part that narrows, in the order the registry applies them", () => {
    assert.equal(
      filterSummary({ types: ["WORKSPACE_ONLINE", "WORKSPACE_OFFLINE"], statuses: ["offline", "failed"], reasons: ["error_rate"], workspaces: "api-*" }),
      "WORKSPACE_ONLINE, WORKSPACE_OFFLINE · status offline or failed · reason error_rate · workspaces matching api-*",
    );
  });
});

describe("createEndpointRequest", () => {
  it("trims what was typed and leaves the optional parts out when they are empty, so the registry's defaults apply", () => {
    assert.deepEqual(createEndpointRequest(FORM), { name: "pager", url: "https://hooks.example.com/rollcall", format: "webhook", filter: {}, enabled: true });
  });

  it("sends a given secret, the checked types and the workspace pattern", () => {
    const request = createEndpointRequest({ ...FORM, format: "slack", secret: " whsec_abc ", types: ["MARKER_SET"], workspaces: " api-* ", enabled: false });
    assert.deepEqual(request, {
      name: "pager",
      url: "https://hooks.example.com/rollcall",
      format: "slack",
      secret: "whsec_abc",
      filter: { types: ["MARKER_SET"], workspaces: "api-*" },
      enabled: false,
    });
  });
});

describe("the delivery log's words", () => {
  it("shows a latency in milliseconds under a second and in seconds above", () => {
    assert.equal(formatLatency(12.34), "12.3 ms");
    assert.equal(formatLatency(0), "0.0 ms");
    assert.equal(formatLatency(1_250), "1.25 s");
  });

  it("says there was no answer when an attempt got no status code", () => {
    assert.equal(attemptStatus({ status_code: 500 }), "500");
    assert.equal(attemptStatus({ status_code: null }), "no answer");
  });

  it("offers a redelivery only once a delivery is settled", () => {
    assert.deepEqual(
      (["gathering", "pending", "delivered", "failed"] as const).map((state) => mayRedeliver({ state })),
      [false, false, true, true],
    );
  });

  it("calls a pending delivery that already failed once retrying", () => {
    assert.equal(deliveryState({ state: "pending", attempts: 0 }).label, "Pending");
    assert.equal(deliveryState({ state: "pending", attempts: 1 }).label, "Retrying");
    assert.deepEqual(deliveryState({ state: "delivered", attempts: 2 }), { label: "Delivered", tone: "emerald" });
    assert.deepEqual(deliveryState({ state: "failed", attempts: 9 }), { label: "Failed", tone: "red" });
  });
});

describe("testOutcome", () => {
  it("reports a delivered test with its status code and latency", () => {
    assert.deepEqual(testOutcome({ state: "delivered", next_attempt_at: null, attempt_log: [attempt()] }), {
      delivered: true,
      text: "Delivered: HTTP 200 in 12.3 ms.",
    });
  });

  it("reports a refused test with the receiver's error and when it is retried", () => {
    const outcome = testOutcome({
      state: "pending",
      next_attempt_at: "2026-12-01T10:00:02.000Z",
      attempt_log: [attempt({ status_code: 500, latency_ms: 3, error: "HTTP 500: boom" })],
    });
    assert.deepEqual(outcome, {
      delivered: false,
      text: "Not delivered: HTTP 500 in 3.0 ms (HTTP 500: boom). Retried at 2026-12-01 10:00:02 UTC: the delivery log below follows it.",
    });
  });

  it("reports an attempt that got no answer", () => {
    const outcome = testOutcome({
      state: "pending",
      next_attempt_at: null,
      attempt_log: [attempt({ status_code: null, latency_ms: 5_000, error: "timed out after 5000 ms" })],
    });
    assert.equal(outcome.text, "Not delivered: no answer in 5.00 s (timed out after 5000 ms).");
  });

  it("says so when no attempt was made in time", () => {
    const outcome = testOutcome({ state: "pending", next_attempt_at: "2026-12-01T10:00:00.000Z", attempt_log: [] });
    assert.equal(outcome.delivered, false);
    assert.match(outcome.text, /^Not sent yet: no attempt within 7 s/);
  });
});
