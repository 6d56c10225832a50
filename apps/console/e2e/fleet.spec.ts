import { expect, test } from "./fixtures.ts";
import {
  colourDistance,
  expectStatus,
  fleetCell,
  fleetRow,
  LIVE_TIMEOUT_MS,
  liveIndicator,
  rememberDocument,
  saveScreenshot,
  signIn,
  STATUS_LABELS,
  summaryFact,
  textColour,
  workspaceStatus,
} from "./console-ui.ts";
import { uniqueName } from "./runtime.ts";

test.describe("fleet page", () => {
  test.beforeEach(async ({ page, operator }) => {
    await signIn(page, operator);
  });

  test("a workspace whose runtime stops heartbeating turns offline without a reload", async ({ page, runtimes }) => {
    const runtime = await runtimes.start({ name: uniqueName("fleet-silent") });
    await page.goto("/");
    await expect(liveIndicator(page)).toHaveAttribute("data-state", "live", { timeout: LIVE_TIMEOUT_MS });
    const row = fleetRow(page, runtime.id);
    await expectStatus(row.locator("[data-status]"), "online");
    const sameDocument = await rememberDocument(page);

    await runtime.stop();

    await expectStatus(row.locator("[data-status]"), "offline");
    await sameDocument();
    await saveScreenshot(page, "fleet-workspace-offline");
  });

  test("a workspace reporting a high error rate turns degraded, then recovers when the rate drops", async ({ page, runtimes }) => {
    const runtime = await runtimes.start({ name: uniqueName("fleet-errors"), intervalMs: 500 });
    await page.goto("/");
    await expect(liveIndicator(page)).toHaveAttribute("data-state", "live", { timeout: LIVE_TIMEOUT_MS });
    const chip = fleetRow(page, runtime.id).locator("[data-status]");
    await expectStatus(chip, "online");
    const sameDocument = await rememberDocument(page);

    // The registry degrades at an error rate of 0.5 and recovers below 0.1.
    runtime.setErrorRate(0.9);
    await expectStatus(chip, "degraded");
    await saveScreenshot(page, "fleet-workspace-degraded");

    runtime.setErrorRate(0);
    await expectStatus(chip, "online");
    await sameDocument();
    await saveScreenshot(page, "fleet-workspace-recovered");
  });

  test("the search box and the status tiles filter the table, and the filters live in the URL", async ({ page, registry, runtimes }) => {
    const wanted = await runtimes.start({ name: uniqueName("fleet-search-wanted") });
    const other = await runtimes.start({ name: uniqueName("fleet-search-other") });
    // Provisioned but never registered: it stays "Starting" for the provision timeout (10 min), never online.
    const starting = await registry.provision(uniqueName("fleet-search-starting"));
    await page.goto("/");
    await expect(fleetRow(page, wanted.id)).toBeVisible();
    await expect(fleetRow(page, other.id)).toBeVisible();

    await page.getByLabel("Search").fill(wanted.name);
    await expect(page).toHaveURL((url) => url.searchParams.get("q") === wanted.name);
    await expect(fleetRow(page, wanted.id)).toBeVisible();
    await expect(fleetRow(page, other.id)).toHaveCount(0);

    // The URL alone reproduces the view, e.g. from a bookmark or a colleague's link.
    await page.goto(`/?q=${encodeURIComponent(other.name)}`);
    await expect(fleetRow(page, other.id)).toBeVisible();
    await expect(fleetRow(page, wanted.id)).toHaveCount(0);

    await page.goto("/");
    await expect(fleetRow(page, starting.id).locator("[data-status]")).toHaveAttribute("data-status", "provisioning");
    // A tile names its status and a count; following it filters by that status.
    await page.getByRole("link", { name: new RegExp(`^\\s*(\\d+\\s+)?${STATUS_LABELS.online}(\\s+\\d+)?\\s*$`) }).click();
    await expect(page).toHaveURL((url) => url.searchParams.get("status") === "online");
    await expect(fleetRow(page, wanted.id)).toBeVisible();
    await expect(fleetRow(page, starting.id)).toHaveCount(0);
  });
});

test.describe("fleet page on a phone", () => {
  const PHONE_WIDTH = 390;
  test.use({ viewport: { width: PHONE_WIDTH, height: 844 } });

  test.beforeEach(async ({ page, operator }) => {
    await signIn(page, operator);
  });

  test("at 390 px wide nothing scrolls sideways, and every workspace shows its name and status", async ({ page, registry, runtimes }) => {
    // A long name without spaces is the hardest to fit.
    const online = await runtimes.start({ name: uniqueName("phone-online-with-a-rather-long-unbroken-workspace-name") });
    const startingName = uniqueName("phone-starting");
    const starting = await registry.provision(startingName);
    await page.goto("/");
    await expect(fleetRow(page, online.id)).toBeVisible();

    const widths = await page.evaluate(() => ({ document: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
    expect(widths.document, "the page is no wider than the screen").toBeLessThanOrEqual(PHONE_WIDTH);
    expect(widths.body).toBeLessThanOrEqual(PHONE_WIDTH);

    // The table must not merely scroll inside its frame: every row, with its name and status, fits the screen.
    for (const { id, name, status } of [
      { id: online.id, name: online.name, status: "online" },
      { id: starting.id, name: startingName, status: "provisioning" },
    ] as const) {
      const row = fleetRow(page, id);
      await expect(row.getByRole("link", { name, exact: true })).toBeVisible();
      await expectStatus(row.locator("[data-status]"), status);
    }
    for (const row of await page.locator("[data-workspace-id]").all()) {
      const id = await row.getAttribute("data-workspace-id");
      for (const part of [row, row.getByRole("link"), row.locator("[data-status]")]) {
        const { left, right } = await part.evaluate((element) => {
          const box = element.getBoundingClientRect();
          return { left: box.left, right: box.right };
        });
        expect(left, `workspace ${id} starts on the screen`).toBeGreaterThanOrEqual(0);
        expect(right, `workspace ${id} ends on the screen`).toBeLessThanOrEqual(PHONE_WIDTH);
      }
    }
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Events" })).toBeInViewport({ ratio: 1 });
    await expect(page.getByRole("button", { name: "Sign out" })).toBeInViewport({ ratio: 1 });
    await expect(page.getByLabel("Search")).toBeInViewport({ ratio: 1 });
    await saveScreenshot(page, "fleet-phone");
  });
});

test.describe("offline workspaces", () => {
  // Below the 0.5 that degrades, so both runtimes stay online until one goes silent.
  const ERROR_RATE = 0.2;
  const SHOWN_RATE = "20%";
  const TASK = "reindexing invoices, batch 7";

  test.beforeEach(async ({ page, operator }) => {
    await signIn(page, operator);
  });

  test("an offline workspace's chip looks unlike a removed workspace's", async ({ page, registry, runtimes }) => {
    const silent = await runtimes.start({ name: uniqueName("offline-style") });
    const removed = await registry.provision(uniqueName("removed-style"));
    await registry.remove(removed.id);
    await silent.stop();

    await page.goto("/?status=removed");
    const removedChip = fleetRow(page, removed.id).locator("[data-status]");
    await expectStatus(removedChip, "removed");
    const removedColour = await textColour(removedChip);

    await page.goto("/");
    const offlineChip = fleetRow(page, silent.id).locator("[data-status]");
    await expectStatus(offlineChip, "offline");
    // Zinc and slate, about 20 apart in RGB, were two greys nobody could tell apart at a glance.
    expect(colourDistance(await textColour(offlineChip), removedColour), "offline and removed colours differ clearly").toBeGreaterThan(100);
  });

  test("an offline workspace's last task and error rate are dimmed and marked last known, on the fleet and its page", async ({ page, runtimes }) => {
    const silent = await runtimes.start({ name: uniqueName("offline-last-known"), errorRate: ERROR_RATE, currentTask: TASK });
    const beating = await runtimes.start({ name: uniqueName("online-current"), errorRate: ERROR_RATE, currentTask: TASK });
    // Registering reports no rate or task: one heartbeat each puts them on the rows before the page loads.
    for (const runtime of [silent, beating]) expect((await runtime.heartbeat()).status).toBe(200);
    await page.goto("/");
    await expectStatus(fleetRow(page, silent.id).locator("[data-status]"), "online");

    await silent.stop();

    await expectStatus(fleetRow(page, silent.id).locator("[data-status]"), "offline");
    for (const [column, value] of [
      ["Error rate", SHOWN_RATE],
      ["Current task", TASK],
    ] as const) {
      const stale = fleetCell(page, silent.id, column);
      const current = fleetCell(page, beating.id, column);
      await expect(stale).toContainText(value);
      await expect(stale).toContainText("last known");
      await expect(current).toContainText(value);
      await expect(current).not.toContainText("last known");
      const dimming = colourDistance(await textColour(stale.getByText(value, { exact: true })), await textColour(current.getByText(value, { exact: true })));
      expect(dimming, `the offline row's ${column} is drawn dimmer than the online row's`).toBeGreaterThan(50);
    }
    await saveScreenshot(page, "fleet-offline-last-known");

    await page.goto(`/workspaces/${beating.id}`);
    await expect(summaryFact(page, "Error rate")).toHaveText(SHOWN_RATE);
    const currentColour = await textColour(summaryFact(page, "Error rate"));

    await page.goto(`/workspaces/${silent.id}`);
    await expectStatus(workspaceStatus(page), "offline");
    for (const [term, value] of [
      ["Error rate", SHOWN_RATE],
      ["Current task", TASK],
    ] as const) {
      await expect(summaryFact(page, term)).toContainText(value);
      await expect(summaryFact(page, term)).toContainText("last known");
    }
    const staleColour = await textColour(summaryFact(page, "Error rate").getByText(SHOWN_RATE, { exact: true }));
    expect(colourDistance(staleColour, currentColour), "the offline workspace's error rate is drawn dimmer").toBeGreaterThan(50);
    await saveScreenshot(page, "workspace-offline-last-known");
  });
});
