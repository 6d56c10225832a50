import { readFileSync } from "node:fs";

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
export function procStats(pid: number): { cpuSeconds: number; rssKiB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return { cpuSeconds: (Number(stat[11]) + Number(stat[12])) / CLOCK_TICKS, rssKiB: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) };
}

/** A process's CPU use between two readings, as a share of one core. */
export const cpuShare = (before: { cpuSeconds: number }, after: { cpuSeconds: number }, wallMs: number) =>
  (after.cpuSeconds - before.cpuSeconds) / (wallMs / 1000);
