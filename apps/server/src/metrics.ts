/** A small Prometheus text-format registry: counters, gauges and one latency histogram family. */
type Labels = Record<string, string>;

const labelKey = (labels: Labels) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`)
    .join(",");

class Counter {
  readonly values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string, readonly type: "counter" | "gauge" = "counter") {}
  inc(labels: Labels = {}, by = 1) {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  /** One series, its labels rendered once: for counters bumped on every request. */
  child(labels: Labels) {
    const key = labelKey(labels);
    return { inc: (by = 1) => void this.values.set(key, (this.values.get(key) ?? 0) + by) };
  }
  set(labels: Labels, value: number) {
    this.values.set(labelKey(labels), value);
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`];
    for (const [key, value] of this.values) lines.push(`${this.name}${key ? `{${key}}` : ""} ${value}`);
    return lines.join("\n");
  }
}

// Seconds; from 0.5 ms (a cached heartbeat) to 2.5 s (a slow DNS lookup at register).
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

class Histogram {
  readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string) {}
  observe(labels: Labels, seconds: number) {
    this.record(labelKey(labels), seconds);
  }
  /** One series, its labels rendered once: for the routes observed on every request. */
  child(labels: Labels) {
    const key = labelKey(labels);
    return { observe: (seconds: number) => this.record(key, seconds) };
  }
  private record(key: string, seconds: number) {
    let entry = this.series.get(key);
    if (!entry) this.series.set(key, (entry = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) entry.counts[i]! += 1;
    entry.sum += seconds;
    entry.count += 1;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [key, entry] of this.series) {
      const sep = key ? "," : "";
      BUCKETS.forEach((bound, i) => lines.push(`${this.name}_bucket{${key}${sep}le="${bound}"} ${entry.counts[i]}`));
      lines.push(`${this.name}_bucket{${key}${sep}le="+Inf"} ${entry.count}`);
      lines.push(`${this.name}_sum${key ? `{${key}}` : ""} ${entry.sum}`);
      lines.push(`${this.name}_count${key ? `{${key}}` : ""} ${entry.count}`);
    }
    return lines.join("\n");
  }
}

export function createMetrics() {
  const metrics = {
    runtimeCalls: new Counter("rollcall_runtime_calls_total", "Runtime calls (register, heartbeat, update_card) by outcome: ok or the error reason."),
    transitions: new Counter("rollcall_transitions_total", "Status changes committed by this process, by from, to and reason."),
    requestSeconds: new Histogram("rollcall_request_duration_seconds", "Request handling time by route."),
    sweepSeconds: new Counter("rollcall_sweep_duration_seconds", "Duration of the last sweep.", "gauge"),
    sweepLagSeconds: new Counter("rollcall_sweep_lag_seconds", "How late the last sweep started against its schedule.", "gauge"),
    sweepChanged: new Counter("rollcall_sweep_changed_total", "Workspaces whose state a sweep changed."),
    render: () =>
      `${[metrics.runtimeCalls, metrics.transitions, metrics.requestSeconds, metrics.sweepSeconds, metrics.sweepLagSeconds, metrics.sweepChanged]
        .map((m) => m.render())
        .join("\n")}\n`,
  };
  return metrics;
}
export type Metrics = ReturnType<typeof createMetrics>;
