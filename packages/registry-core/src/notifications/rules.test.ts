import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { RegistryEvent } from "../events/event.ts";
import { isWebhookSecret, NotificationFilter } from "./endpoint.ts";
import { filterAdmits, heldBack, nameMatches, routeChange, SINGLES_PER_WINDOW, type StormWindow } from "./rules.ts";

const change = (type: string, payload: Record<string, unknown>, at = 1_000): RegistryEvent =>
  ({ id: 1, type, workspaceId: "w1", actor: "sweeper", at, payload }) as unknown as RegistryEvent;
const offline = change("WORKSPACE_OFFLINE", { from: "online", to: "offline", reasons: ["heartbeat_timeout"], previous_reasons: [] });

describe("endpoint filter", () => {
  it("takes the default types when it names none: status changes and a refused register, not sign-ins", () => {
    assert.equal(filterAdmits({}, offline, "db"), true);
    assert.equal(filterAdmits({}, change("MARKER_SET", { reason: "register_failure" }), "db"), true);
    assert.equal(filterAdmits({}, change("OPERATOR_SIGNED_IN", { role: "operator" }), null), false);
  });

  it("narrows by type, status changed to, reason and workspace name pattern", () => {
    assert.equal(filterAdmits({ types: ["WORKSPACE_ONLINE"] }, offline, "db"), false);
    assert.equal(filterAdmits({ statuses: ["offline"] }, offline, "db"), true);
    assert.equal(filterAdmits({ statuses: ["degraded"] }, offline, "db"), false);
    assert.equal(filterAdmits({ reasons: ["error_rate"] }, offline, "db"), false);
    assert.equal(filterAdmits({ reasons: ["heartbeat_timeout", "error_rate"] }, offline, "db"), true);
    assert.equal(filterAdmits({ workspaces: "db-*" }, offline, "DB-primary"), true);
    assert.equal(filterAdmits({ workspaces: "db-*" }, offline, "web-db-1"), false);
    assert.equal(filterAdmits({ workspaces: "db-*" }, offline, null), false);
  });

  it("refuses an unknown key with its own reason, and keeps only the known ones", () => {
    const refused = NotificationFilter.safeParse({ types: ["WORKSPACE_OFFLINE"], severity: "high" });
    assert.equal(refused.success, false);
    const [issue] = refused.error.issues;
    assert.equal(issue?.code === "custom" ? (issue.params as { reason?: string } | undefined)?.reason : undefined, "unknown_filter_key");
    assert.deepEqual(NotificationFilter.parse({ workspaces: "db-*" }), { workspaces: "db-*" });
  });
});

describe("name patterns", () => {
  it("reads * as any run of characters and everything else literally, whole name, any case", () => {
    assert.equal(nameMatches("*", "anything"), true);
    assert.equal(nameMatches("a.b", "a.b"), true);
    assert.equal(nameMatches("a.b", "axb"), false);
    assert.equal(nameMatches("(x)+", "(x)+"), true);
    assert.equal(nameMatches("web-*-eu", "WEB-1-EU"), true);
    assert.equal(nameMatches("web", "web-1"), false);
  });
});

describe("holds", () => {
  it("tells the change that starts flapping and the one that ends it, and holds those in between", () => {
    const starts = change("WORKSPACE_DEGRADED", { from: "online", to: "degraded", reasons: ["flapping"], previous_reasons: [] });
    const during = change("WORKSPACE_OFFLINE", { from: "degraded", to: "offline", reasons: ["heartbeat_timeout", "flapping"], previous_reasons: ["flapping"] });
    const settles = change("WORKSPACE_ONLINE", { from: "degraded", to: "online", reasons: [], previous_reasons: ["flapping"] });
    assert.equal(heldBack(starts, null), null);
    assert.equal(heldBack(during, null), "flapping");
    assert.equal(heldBack(settles, null), null);
  });

  it("holds a workspace's changes while its maintenance window covers them, not before or after", () => {
    const window = { reason: "upgrade", since: 500, until: 2_000, by: "ops" };
    assert.equal(heldBack(offline, window), "maintenance");
    assert.equal(heldBack(change("WORKSPACE_OFFLINE", offline.payload as never, 2_000), window), null);
    assert.equal(heldBack(change("MAINTENANCE_STARTED", { reason: "upgrade" }), window), null);
  });

  it("holds self-preservation's unknowns and their return to up, but not a real outage after it", () => {
    const suspect = change("WORKSPACE_UNKNOWN", { from: "online", to: "unknown", reasons: ["registry_suspect"], previous_reasons: [] });
    const back = change("WORKSPACE_ONLINE", { from: "unknown", to: "online", reasons: [], previous_reasons: ["registry_suspect"] });
    const down = change("WORKSPACE_OFFLINE", { from: "unknown", to: "offline", reasons: ["heartbeat_timeout"], previous_reasons: ["registry_suspect"] });
    assert.equal(heldBack(suspect, null), "registry_suspect");
    assert.equal(heldBack(back, null), "registry_suspect");
    assert.equal(heldBack(down, null), null);
  });
});

describe("storm windows", () => {
  const WINDOW = 10_000;
  function route(times: number[]) {
    let window: StormWindow | undefined;
    return times.map((at) => {
      const routed = routeChange(window, at, WINDOW);
      window = routed.route === "group" && routed.window.group === null ? { ...routed.window, group: `g${at}` } : routed.window;
      return routed.route;
    });
  }

  it("sends a lone change at once, and the first changes of a burst one by one", () => {
    assert.deepEqual(route([0]), ["single"]);
    assert.deepEqual(route([0, 1_000]), ["single", "single"]);
  });

  it("puts the rest of a window into its group: a storm of any size is at most 3 notifications per window", () => {
    const storm = Array.from({ length: 500 }, (_, i) => i * 10);
    const routes = route(storm);
    assert.equal(routes.filter((r) => r === "single").length, SINGLES_PER_WINDOW);
    assert.ok(SINGLES_PER_WINDOW + 1 <= 3);
  });

  it("opens a new window once the last is over, and hands back the one it closed", () => {
    const first = routeChange(undefined, 0, WINDOW);
    const next = routeChange({ ...first.window, group: "g" }, WINDOW, WINDOW);
    assert.equal(next.route, "single");
    assert.equal(next.closed?.group, "g");
    assert.equal(next.window.start, WINDOW);
  });
});

describe("webhook secrets", () => {
  it("accepts whsec_ and the canonical base64 of 24 to 64 bytes only", () => {
    const of = (bytes: number) => `whsec_${Buffer.alloc(bytes, 9).toString("base64")}`;
    assert.equal(isWebhookSecret(of(24)), true);
    assert.equal(isWebhookSecret(of(64)), true);
    assert.equal(isWebhookSecret(of(23)), false);
    assert.equal(isWebhookSecret(of(65)), false);
    assert.equal(isWebhookSecret(of(32).slice(6)), false);
    assert.equal(isWebhookSecret(`${of(32)}\n`), false);
    assert.equal(isWebhookSecret(`whsec_${Buffer.alloc(32, 251).toString("base64url")}`), false);
    // Not canonical: the character before the padding carries bits the decoder drops, so two spellings name one key.
    const canonical = of(32);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const variant = [...alphabet]
      .map((c) => `${canonical.slice(0, -2)}${c}=`)
      .find((spelling) => spelling !== canonical && Buffer.from(spelling.slice(6), "base64").equals(Buffer.from(canonical.slice(6), "base64")))!;
    assert.equal(isWebhookSecret(variant), false);
  });
});
