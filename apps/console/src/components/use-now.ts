"use client";

import { useEffect, useState } from "react";

/**
 * The current time, re-read every `intervalMs`, so ages and countdowns move without new data. Pass the server's
 * render time as `initial` for server-rendered views: the first client render then matches the server's HTML.
 */
export function useNow(intervalMs = 1_000, initial?: number): number {
  const [now, setNow] = useState(() => initial ?? Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
