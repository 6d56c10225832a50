/**
 * The fleet's runtimes, run as a child process of fleet-scale.ts so that their CPU is measured apart from the
 * server's (the machine has 2 cores; the generator gets one of them in practice).
 *
 * Each runtime beats as the SDK does (packages/client heartbeat-loop.ts): the next beat `intervalMs` ± `jitter` (30 s
 * ± 10 %) after the answer to the last one, and after a failure a retry with the SDK's backoff (1 s doubling, full
 * jitter, capped at the interval). The first beats are placed evenly across the first interval, so the offered rate
 * is about N / interval; a server that cannot keep up stretches the fleet's intervals (lower achieved rate, schedule
 * lag, longer gaps between a workspace's beats) instead of a backlog piling up behind it. Beats are due on a timer
 * wheel of 10 ms buckets and go out
 * over a bounded pool of keep-alive connections (a real fleet holds one connection per runtime; 100,000 sockets on
 * one loopback address is not something this machine can do, and the server's work per beat is the same). The HTTP
 * client is a minimal HTTP/1.1 writer/reader on net.Socket with the requests formatted once up front, as wrk does:
 * node:http or fetch would cost the generator several times more CPU on the cores it shares with the server.
 *
 * Each answer is recorded with its send → answer latency, how late it was sent against its schedule (connections all
 * busy) and, for accepted beats, the gap since that workspace's previous accepted beat (what the offline rule sees).
 */
import { readFileSync } from "node:fs";
import { connect, type Socket } from "node:net";
import type { FleetMember, FromGenerator, LatencySummary, ToGenerator } from "./protocol.ts";

const BUCKET_MS = 10;
const TICK_MS = 5;
const now = () => performance.timeOrigin + performance.now();
const send = (message: FromGenerator) => process.send!(message);

/** Answers in arrival order, in typed chunks (about 3 million for a 15-minute run at 3,333 beats/s). */
class Records {
  private static readonly CHUNK = 1 << 20;
  private at: Float64Array[] = [];
  private latency: Float32Array[] = [];
  private lag: Float32Array[] = [];
  private status: Uint16Array[] = [];
  private online: Uint8Array[] = [];
  private gap: Float32Array[] = [];
  length = 0;

  push(at: number, latency: number, lag: number, status: number, online: boolean, gap: number) {
    const chunk = Math.floor(this.length / Records.CHUNK);
    const i = this.length % Records.CHUNK;
    if (i === 0) {
      this.at.push(new Float64Array(Records.CHUNK));
      this.latency.push(new Float32Array(Records.CHUNK));
      this.lag.push(new Float32Array(Records.CHUNK));
      this.status.push(new Uint16Array(Records.CHUNK));
      this.online.push(new Uint8Array(Records.CHUNK));
      this.gap.push(new Float32Array(Records.CHUNK));
    }
    this.gap[chunk]![i] = gap;
    this.at[chunk]![i] = at;
    this.latency[chunk]![i] = latency;
    this.lag[chunk]![i] = lag;
    this.status[chunk]![i] = status;
    this.online[chunk]![i] = online ? 1 : 0;
    this.length++;
  }

  private atOf(k: number) {
    return this.at[Math.floor(k / Records.CHUNK)]![k % Records.CHUNK]!;
  }

  /** First record answered at or after `t` (answers are appended in time order). */
  private lowerBound(t: number) {
    let lo = 0;
    let hi = this.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.atOf(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  summary(from: number, to: number): Omit<LatencySummary, "unsolicited"> {
    const first = this.lowerBound(from);
    const end = this.lowerBound(to);
    const count = Math.max(0, end - first);
    const latencies = new Float64Array(count);
    const lags = new Float64Array(count);
    const statuses: Record<string, number> = {};
    let non200 = 0;
    let notOnline = 0;
    let gapMax = 0;
    for (let k = first; k < end; k++) {
      const chunk = Math.floor(k / Records.CHUNK);
      const i = k % Records.CHUNK;
      latencies[k - first] = this.latency[chunk]![i]!;
      lags[k - first] = this.lag[chunk]![i]!;
      gapMax = Math.max(gapMax, this.gap[chunk]![i]!);
      const status = this.status[chunk]![i]!;
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (status !== 200) non200++;
      else if (this.online[chunk]![i] === 0) notOnline++;
    }
    latencies.sort();
    lags.sort();
    const at = (values: Float64Array, q: number) => (values.length === 0 ? NaN : values[Math.min(values.length - 1, Math.floor(q * values.length))]!);
    return {
      from,
      to,
      count,
      perSecond: count / ((to - from) / 1000),
      non200,
      failed: statuses[0] ?? 0,
      statuses,
      notOnline,
      p50: at(latencies, 0.5),
      p99: at(latencies, 0.99),
      max: count === 0 ? NaN : latencies[count - 1]!,
      lagP99: at(lags, 0.99),
      lagMax: count === 0 ? NaN : lags[count - 1]!,
      gapMax,
    };
  }
}

type Load = Extract<ToGenerator, { type: "load" }>;

function run(config: Load) {
  const fleet = JSON.parse(readFileSync(config.fleetFile, "utf8")) as FleetMember[];
  const size = fleet.length;
  const requests = fleet.map(
    (ws) =>
      `POST /registry/heartbeat HTTP/1.1\r\nHost: 127.0.0.1:${config.port}\r\nAuthorization: Bearer ${ws.token}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(ws.body)}\r\n\r\n${ws.body}`,
  );
  const records = new Records();
  const due = new Float64Array(size);
  const silent = new Uint8Array(size);
  const failures = new Uint8Array(size);
  const lastAccepted = new Float64Array(size);

  // The send queue: a ring of (workspace, due time, final beat?) big enough for every workspace twice (its regular
  // beat plus a final one).
  const capacity = 2 * size + 16;
  const queueIdx = new Int32Array(capacity);
  const queueDue = new Float64Array(capacity);
  const queueFinal = new Uint8Array(capacity);
  let head = 0;
  let queued = 0;
  const enqueue = (idx: number, at: number, final: boolean) => {
    const slot = (head + queued) % capacity;
    queueIdx[slot] = idx;
    queueDue[slot] = at;
    queueFinal[slot] = final ? 1 : 0;
    queued++;
  };

  // The timer wheel: one revolution covers the longest interval with room to spare, so a bucket only ever holds
  // beats of the current revolution.
  const wheelSize = Math.ceil((config.intervalMs * (1 + config.jitter) + 10_000) / BUCKET_MS);
  const wheel: number[][] = Array.from({ length: wheelSize }, () => []);
  let processedKey = Math.floor(now() / BUCKET_MS);
  const schedule = (idx: number, at: number) => {
    due[idx] = at;
    const key = Math.floor(at / BUCKET_MS);
    if (key <= processedKey) enqueue(idx, at, false);
    else wheel[key % wheelSize]!.push(idx);
  };

  let silence: { seq: number; remaining: number; firstSentAt: number; lastAnsweredAt: number; non200: number } | null = null;

  type Connection = { socket: Socket; buffer: string; busy: boolean; idx: number; sentAt: number; due: number; final: boolean };
  // Idle connections are reused in turn (first in, first out), so none sits idle long enough for the server's
  // idle timeouts while a few others carry all the load.
  const idle: Connection[] = [];
  const unsolicited: Record<string, number> = {};
  const connections = new Set<Connection>();
  let stopping = false;

  const settle = (connection: Connection, status: number, online: boolean) => {
    const answeredAt = now();
    const idx = connection.idx;
    const gap = status === 200 && lastAccepted[idx]! > 0 ? answeredAt - lastAccepted[idx]! : 0;
    if (status === 200) lastAccepted[idx] = answeredAt;
    records.push(answeredAt, answeredAt - connection.sentAt, connection.sentAt - connection.due, status, online, gap);
    connection.busy = false;
    if (!connection.final && silent[idx] === 0) {
      if (status === 200) {
        failures[idx] = 0;
        schedule(idx, answeredAt + config.intervalMs * (1 + config.jitter * (2 * Math.random() - 1)));
      } else {
        failures[idx] = Math.min(failures[idx]! + 1, 30);
        schedule(idx, answeredAt + Math.random() * Math.min(config.intervalMs, 1000 * 2 ** (failures[idx] - 1)));
      }
    }
    if (connection.final && silence) {
      silence.remaining--;
      silence.lastAnsweredAt = answeredAt;
      if (status !== 200) silence.non200++;
      if (silence.remaining === 0) {
        send({ type: "silenced", seq: silence.seq, firstSentAt: silence.firstSentAt, lastAnsweredAt: silence.lastAnsweredAt, non200: silence.non200 });
        silence = null;
      }
    }
  };

  const open = () => {
    const connection: Connection = {
      socket: connect({ host: "127.0.0.1", port: config.port, noDelay: true }),
      buffer: "",
      busy: false,
      idx: 0,
      sentAt: 0,
      due: 0,
      final: false,
    };
    connections.add(connection);
    connection.socket.setEncoding("latin1"); // one char per byte, so string lengths are byte counts
    connection.socket.on("data", (chunk: string) => {
      connection.buffer += chunk;
      const headerEnd = connection.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const header = connection.buffer.slice(0, headerEnd);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(header)?.[1] ?? 0);
      const total = headerEnd + 4 + length;
      if (connection.buffer.length < total) return;
      const body = connection.buffer.slice(headerEnd + 4, total);
      connection.buffer = connection.buffer.slice(total);
      const status = Number(header.slice(9, 12));
      if (!connection.busy) {
        // An answer to no request (e.g. the server timing out an idle connection): not a heartbeat's answer.
        unsolicited[status] = (unsolicited[status] ?? 0) + 1;
        return;
      }
      settle(connection, status, body.includes('"workspace_status":"online"'));
      idle.push(connection);
      pump();
    });
    connection.socket.on("error", () => undefined); // "close" follows and handles it
    connection.socket.on("close", () => {
      const index = idle.indexOf(connection);
      if (index >= 0) idle.splice(index, 1);
      connections.delete(connection);
      if (connection.busy) settle(connection, 0, false);
      if (!stopping) setTimeout(open, 100);
    });
    connection.socket.on("connect", () => {
      idle.push(connection);
      pump();
    });
  };

  function pump() {
    while (idle.length > 0 && queued > 0) {
      const idx = queueIdx[head]!;
      const at = queueDue[head]!;
      const final = queueFinal[head] === 1;
      head = (head + 1) % capacity;
      queued--;
      if (!final && silent[idx] === 1) continue;
      const connection = idle.shift()!;
      connection.busy = true;
      connection.idx = idx;
      connection.due = at;
      connection.final = final;
      connection.sentAt = now();
      if (final && silence && silence.firstSentAt === 0) silence.firstSentAt = connection.sentAt;
      connection.socket.write(requests[idx]!, "latin1");
    }
  }

  const tick = () => {
    const key = Math.floor(now() / BUCKET_MS);
    for (let k = processedKey + 1; k <= key; k++) {
      const bucket = wheel[k % wheelSize]!;
      for (const idx of bucket) enqueue(idx, due[idx]!, false);
      bucket.length = 0;
    }
    processedKey = key;
    pump();
  };

  for (let i = 0; i < config.connections; i++) open();
  let timer: NodeJS.Timeout | undefined;

  return {
    go(startAt: number) {
      for (let i = 0; i < size; i++) schedule(i, startAt + ((i + 0.5) / size) * config.intervalMs);
      timer = setInterval(tick, TICK_MS);
    },
    silence(seq: number, indices: number[]) {
      silence = { seq, remaining: indices.length, firstSentAt: 0, lastAnsweredAt: 0, non200: 0 };
      const at = now();
      for (const idx of indices) {
        silent[idx] = 1;
        enqueue(idx, at, true);
      }
      pump();
    },
    summary: (from: number, to: number): LatencySummary => ({ ...records.summary(from, to), unsolicited: { ...unsolicited } }),
    stop() {
      stopping = true;
      clearInterval(timer);
      for (const connection of connections) connection.socket.destroy();
    },
  };
}

let generator: ReturnType<typeof run> | null = null;
process.on("message", (message: ToGenerator) => {
  switch (message.type) {
    case "load":
      generator = run(message);
      send({ type: "ready" });
      break;
    case "go":
      generator!.go(message.startAt);
      break;
    case "silence":
      generator!.silence(message.seq, message.indices);
      break;
    case "summary":
      send({ type: "summary", seq: message.seq, summary: generator!.summary(message.from, message.to) });
      break;
    case "stop":
      generator?.stop();
      process.send!({ type: "stopped" } satisfies FromGenerator, () => process.exit(0));
      break;
  }
});
