import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { readE2eEnv } from "./env.ts";

/** apps/console, whatever directory Playwright was started from. */
export const CONSOLE_DIR = fileURLToPath(new URL("..", import.meta.url));
export const SERVER_DIR = join(CONSOLE_DIR, "..", "server");

/** Everything a run leaves behind for diagnosis (gitignored), one directory per database so both runs are kept. */
export const ARTIFACTS_DIR = join(CONSOLE_DIR, "e2e-artifacts", readE2eEnv().ROLLCALL_E2E_DATABASE);
/** One log file per started process: registry.log, console.log, add-operator-<name>.log. */
export const LOGS_DIR = join(ARTIFACTS_DIR, "logs");
export const SCREENSHOTS_DIR = join(ARTIFACTS_DIR, "screenshots");

/** Written by `next build`; `next start` refuses to run without it. */
export const CONSOLE_BUILD_ID = join(CONSOLE_DIR, ".next", "BUILD_ID");
export const NEXT_BIN = join(CONSOLE_DIR, "node_modules", "next", "dist", "bin", "next");
