import { pino } from "pino";

export type LogLevel = "debug" | "info" | "warn" | "error";
/**
 * Message first, fields second. pino's own order is the reverse, and its `info("msg", fields)` type-checks but drops
 * the fields (they become printf arguments); this signature cannot be called that way.
 */
export type Logger = Record<LogLevel, (message: string, fields?: Record<string, unknown>) => void>;

// Credentials never reach a log line, whether logged as a field or one level inside one (`{ headers: { authorization } }`).
const SECRET_KEYS = ["token", "admin_token", "authorization", "cookie", "secret", "password"];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => [key, `*.${key}`]);

/**
 * One JSON object per line on stdout (`time` in ISO 8601, `level` by name, `msg`, then the fields), so any log
 * shipper can parse it. Written synchronously: no worker thread (the bundled server has none to load), and the line
 * logged just before `process.exit` is not lost.
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  const log = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    write ? { write } : pino.destination({ dest: 1, sync: true }),
  );
  const at = (name: LogLevel) => (message: string, fields?: Record<string, unknown>) => log[name](fields ?? {}, message);
  return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
}
