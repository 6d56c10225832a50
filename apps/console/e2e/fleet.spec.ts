import { expect, test } from "./fixtures.ts";
import { expectStatus, fleetRow, LIVE_TIMEOUT_MS, liveIndicator, rememberDocument, saveScreenshot, signIn, STATUS_LABELS } from "./console-ui.ts";
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
