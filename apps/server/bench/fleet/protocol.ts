/** Messages between the fleet bench (parent) and its load generator (a child process, over Node's IPC channel). */

/** One runtime of the fleet as the generator sees it: its id, its token and the heartbeat body it sends. */
export type FleetMember = { id: string; token: string; body: string };

export type ToGenerator =
  | { type: "load"; port: number; fleetFile: string; connections: number; intervalMs: number; jitter: number }
  | { type: "go"; startAt: number }
  /** These runtimes send one last beat now, all at once, then never again. */
  | { type: "silence"; seq: number; indices: number[] }
  | { type: "summary"; seq: number; from: number; to: number }
  | { type: "stop" };

export type FromGenerator =
  | { type: "ready" }
  | { type: "silenced"; seq: number; firstSentAt: number; lastAnsweredAt: number; non200: number }
  | { type: "summary"; seq: number; summary: LatencySummary }
  | { type: "stopped" };

/** Heartbeats answered in a window of wall-clock time (epoch ms, by the time each answer arrived). */
export type LatencySummary = {
  from: number;
  to: number;
  /** Answers in the window (any status), and per second. */
  count: number;
  perSecond: number;
  /** Answers other than 200; `failed` counts requests lost to a closed or broken connection (no answer). */
  non200: number;
  failed: number;
  statuses: Record<string, number>;
  /** 200 answers whose workspace_status was not "online". */
  notOnline: number;
  /** Send → full answer, ms. */
  p50: number;
  p99: number;
  max: number;
  /** Scheduled beat time → send, ms: how far the generator fell behind its own schedule. */
  lagP99: number;
  lagMax: number;
  /** Longest time between two accepted beats of one workspace, ms (the offline rule allows 90 s). */
  gapMax: number;
  /** Since the start, by status: answers that came on a connection with no request in flight (none expected). */
  unsolicited: Record<string, number>;
};
