import type { FullConfig } from "@playwright/test";
import { publishStack } from "./env.ts";
import { LOGS_DIR } from "./paths.ts";
import { startStack } from "./stack.ts";

/**
 * One stack per run: the tests share it (workers: 1) and each creates its own workspaces, so none depends on
 * another's data. The returned function is Playwright's teardown.
 */
export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  const stack = await startStack();
  publishStack(stack.info);
  const { registryUrl, consoleUrl, provider, viewerUnavailable } = stack.info;
  console.log(`e2e stack: registry ${registryUrl}, console ${consoleUrl}, ${provider}; logs in ${LOGS_DIR}`);
  if (viewerUnavailable) console.warn(`e2e stack: no viewer account, tests that need one will fail: ${viewerUnavailable}`);
  return stack.stop;
}
