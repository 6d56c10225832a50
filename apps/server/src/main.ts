import { readEnv } from "./env.ts";
import { createLogger } from "./logger.ts";
import { startServer } from "./server.ts";

const env = readEnv();
const logger = createLogger(env.ROLLCALL_LOG_LEVEL);
const running = await startServer(env, { logger });

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info("shutting_down", { signal });
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error("shutdown_failed", { error: String(error) });
        process.exit(1);
      },
    );
  });
}
