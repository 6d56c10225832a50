import { expect, test } from "./fixtures.ts";
import { fleetCell, fleetRow, LIVE_TIMEOUT_MS, saveScreenshot, signIn } from "./console-ui.ts";
import type { RegistryApi } from "./registry-api.ts";
import { uniqueName, type SimulatedRuntime } from "./runtime.ts";

/** A percentage as the console writes an availability: truncated, one or two decimals, never "—". */
const PERCENT = /^\d{1,3}(\.\d{1,2})?%$/;
/** The stack calls a workspace offline after 4 s of silence; this long an outage reads in whole seconds. */
const OUTAGE_MS = 3_000;

async function waitForStatus(registry: RegistryApi, workspaceId: string, status: string): Promise<void> {
  await expect.poll(async () => (await registry.workspace(workspaceId)).status, { timeout: LIVE_TIMEOUT_MS, message: `status ${status}` }).toBe(status);
}

/**
 * Flips the runtime's error rate until flap damping holds it: each flip is one status change (degraded at 0.5,
 * online below 0.1), and five changes within ten minutes (the policy's defaults) flag it flapping.
 */
async function makeFlap(registry: RegistryApi, runtime: SimulatedRuntime): Promise<void> {
  const reasons = async () => (await registry.workspace(runtime.id)).status_reasons;
  for (let flip = 0; flip < 8 && !(await reasons()).includes("flapping"); flip++) {
    const degrading = flip % 2 === 0;
    runtime.setErrorRate(degrading ? 0.9 : 0);
    await expect
      .poll(
        async () => {
          const workspace = await registry.workspace(runtime.id);
          return workspace.status === (degrading ? "degraded" : "online") || workspace.status_reasons.includes("flapping");
        },
        { timeout: LIVE_TIMEOUT_MS },
      )
      .toBe(true);
  }
  expect(await reasons()).toContain("flapping");
}

test.describe("availability", () => {
  test("after a runtime goes offline and comes back, the workspace page shows its windows, today's cell and the outage", async ({
    page,
    operator,
    registry,
    runtimes,
  }) => {
    await signIn(page, operator);
    const runtime = await runtimes.start({ name: uniqueName("availability-outage") });
    await expect.poll(() => runtime.beats).toBeGreaterThanOrEqual(2);
    await runtime.stop();
    await waitForStatus(registry, runtime.id, "offline");
    await page.waitForTimeout(OUTAGE_MS);
    expect((await runtime.resume()).status).toBe(200);
    await waitForStatus(registry, runtime.id, "online");

    await page.goto(`/workspaces/${runtime.id}`);
    const panel = page.getByTestId("availability");
    await expect(panel.getByRole("heading", { name: "Availability" })).toBeVisible();

    // The workspace is younger than every window, so all four measure its whole life: up, then the outage, then up.
    const windows = panel.locator("[data-window] dd");
    await expect(windows).toHaveCount(4);
    const shares = await windows.allTextContents();
    for (const share of shares) {
      expect(share).toMatch(PERCENT);
      expect(share).not.toBe("100%");
    }
    expect(new Set(shares).size, "the four windows measure the same life").toBe(1);

    const cells = panel.locator("[data-date]");
    await expect(cells).toHaveCount(90);
    const today = cells.last();
    const date = new Date().toISOString().slice(0, 10);
    await expect(today).toHaveAttribute("data-date", date);
    await expect(today).toHaveAttribute("data-worst", "offline");
    const description = new RegExp(`^${date}: \\d{1,2}(\\.\\d{1,2})?% available — offline \\d+ s`);
    await expect(today).toHaveAttribute("aria-label", description);
    await expect(today).toHaveAttribute("title", description);
    await expect(cells.first()).toHaveAttribute("aria-label", /: no data$/);

    const outages = panel.locator("[data-outage-start]");
    await expect(outages).toHaveCount(1);
    await expect(outages).toHaveAttribute("data-ongoing", "false");
    await expect(outages).toContainText("Heartbeat timeout");
    await expect(outages.locator("td").nth(1)).toHaveText(/^\d+ s$/);
    await saveScreenshot(page, "availability-after-outage");
  });

  test("the fleet shows each workspace's 7-day availability and its changes in the last hour, a flapping one highlighted and flagged", async ({
    page,
    operator,
    registry,
    runtimes,
  }) => {
    await signIn(page, operator);
    const tag = uniqueName("columns");
    const steady = await runtimes.start({ name: `${tag}-steady` });
    const restless = await runtimes.start({ name: `${tag}-restless`, intervalMs: 300 });
    await makeFlap(registry, restless);

    await page.goto(`/?q=${encodeURIComponent(tag)}`);
    await expect(fleetRow(page, steady.id)).toBeVisible();
    await expect(page.getByRole("columnheader", { name: "7-day availability" })).toBeVisible();
    await expect(page.getByRole("columnheader", { name: "Changes (1 h)" })).toBeVisible();
    for (const runtime of [steady, restless]) await expect(fleetCell(page, runtime.id, "7-day availability")).toHaveText(PERCENT);

    const restlessChanges = fleetCell(page, restless.id, "Changes (1 h)");
    expect(Number(await restlessChanges.getAttribute("data-changes"))).toBeGreaterThanOrEqual(5);
    await expect(restlessChanges).toHaveClass(/changes-high/);
    const steadyChanges = fleetCell(page, steady.id, "Changes (1 h)");
    expect(Number(await steadyChanges.getAttribute("data-changes"))).toBeLessThan(5);
    await expect(steadyChanges).not.toHaveClass(/changes-high/);
    await expect(fleetCell(page, restless.id, "Reason")).toContainText("Flapping");
    await saveScreenshot(page, "fleet-availability-and-changes");

    await page.goto(`/workspaces/${restless.id}`);
    const flag = page.getByTestId("flapping-flag");
    await expect(flag).toHaveText("Flapping");
    await expect(flag).toHaveAttribute("title", /^Flapping: changed status \d+\+ times recently; held at degraded until it is quiet$/);
  });

  test("the fleet overview sums up the last 24 hours in words beside its two charts", async ({ page, operator, registry, runtimes }) => {
    await signIn(page, operator);
    const runtime = await runtimes.start({ name: uniqueName("overview") });
    // A status change the last minutes' counts must include.
    await runtime.stop();
    await waitForStatus(registry, runtime.id, "offline");
    await page.goto("/");
    const overview = page.getByTestId("fleet-overview");
    await expect(overview.getByTestId("overview-summary")).toContainText(/\d+ status changes?; the busiest minute, .* UTC, had \d+\./);
    await expect(overview.locator(".overview-chart canvas")).toHaveCount(2);
  });
});

test.describe("availability and maintenance on a phone", () => {
  const PHONE_WIDTH = 390;
  test.use({ viewport: { width: PHONE_WIDTH, height: 844 } });

  test("at 390 px wide the workspace page, with its availability strip and maintenance, does not scroll sideways", async ({
    page,
    operator,
    registry,
    runtimes,
  }) => {
    await signIn(page, operator);
    const runtime = await runtimes.start({ name: uniqueName("phone-availability") });
    const until = new Date(Date.now() + 60 * 60_000).toISOString();
    expect(
      (await registry.admin("POST", `/api/workspaces/${runtime.id}/maintenance`, { reason: "a long reason to wrap on a small screen", until })).status,
    ).toBe(200);
    await page.goto(`/workspaces/${runtime.id}`);
    await expect(page.getByTestId("maintenance-badge")).toBeVisible();
    const cells = page.getByTestId("availability").locator("[data-date]");
    await expect(cells).toHaveCount(90);
    const widths = await page.evaluate(() => ({ document: document.documentElement.scrollWidth, body: document.body.scrollWidth }));
    expect(widths.document, "the page is no wider than the screen").toBeLessThanOrEqual(PHONE_WIDTH);
    expect(widths.body).toBeLessThanOrEqual(PHONE_WIDTH);
    const last = await cells.last().boundingBox();
    expect(last && last.x + last.width, "today's cell is on the screen").toBeLessThanOrEqual(PHONE_WIDTH);
    await saveScreenshot(page, "workspace-phone-availability");
  });
});
