import { test as base, type Browser, type BrowserContext, type Page } from "@playwright/test";
import type { Account } from "./accounts.ts";
import { signIn } from "./console-ui.ts";
import { NetworkCut } from "./network-cut.ts";
import { RegistryApi } from "./registry-api.ts";
import { RuntimeFleet } from "./runtime.ts";
import { readStack, type StackInfo } from "./stack.ts";
import { WebhookReceiver } from "./webhook-receiver.ts";

type WorkerFixtures = {
  /** The running stack (registry, console, database) global setup started for this run. */
  stack: StackInfo;
  /** The registry over HTTP: operator REST API with the admin token, runtime routes with workspace tokens. */
  registry: RegistryApi;
};

type TestFixtures = {
  /** Starts simulated runtimes; every one still beating is stopped when the test ends. */
  runtimes: RuntimeFleet;
  /** alice, the operator the console created on its first start. */
  operator: Account;
  /** vera, a viewer made with the console's account CLI; fails the test with the reason when she could not be. */
  viewer: Account;
  /**
   * A page in a browser context of its own, signed in as `account`; closed when the test ends. `baseURL` sends the
   * browser through another address of the console (the network cut's relay).
   */
  signedInPage: (account: Account, options?: { baseURL?: string }) => Promise<Page>;
  /** A relay to the console that the test can cut and restore; browse through `networkCut.url`. */
  networkCut: NetworkCut;
  /** A webhook receiver on loopback that answers 500 to each webhook-id's first request and 200 after; closed at the end. */
  webhookReceiver: WebhookReceiver;
};

async function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1280, height: 800 } });
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  stack: [
    // eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring even with no dependencies.
    async ({}, use) => {
      await use(readStack());
    },
    { scope: "worker" },
  ],
  registry: [
    async ({ stack }, use) => {
      await use(new RegistryApi(stack.registryUrl, stack.adminToken));
    },
    { scope: "worker" },
  ],
  // The console's port is picked at run time, after the config was read.
  baseURL: async ({ stack }, use) => {
    await use(stack.consoleUrl);
  },
  runtimes: async ({ registry }, use) => {
    const fleet = new RuntimeFleet(registry);
    await use(fleet);
    await fleet.stopAll();
  },
  operator: async ({ stack }, use) => {
    await use(stack.operator);
  },
  viewer: async ({ stack }, use) => {
    if (stack.viewerUnavailable) throw new Error(`no viewer account in this run: ${stack.viewerUnavailable}`);
    await use(stack.viewer);
  },
  signedInPage: async ({ browser, stack }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (account, options = {}) => {
      const context = await newContext(browser, options.baseURL ?? stack.consoleUrl);
      contexts.push(context);
      const page = await context.newPage();
      await signIn(page, account);
      return page;
    });
    for (const context of contexts) await context.close();
  },
  networkCut: async ({ stack }, use) => {
    const relay = await NetworkCut.start(stack.consoleUrl);
    await use(relay);
    await relay.close();
  },
  // eslint-disable-next-line no-empty-pattern -- Playwright needs the destructuring even with no dependencies.
  webhookReceiver: async ({}, use) => {
    const receiver = await WebhookReceiver.start();
    await use(receiver);
    await receiver.close();
  },
});

export { expect } from "@playwright/test";
