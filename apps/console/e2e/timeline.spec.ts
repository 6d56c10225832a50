import type { Locator, Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { saveScreenshot, signIn } from "./console-ui.ts";
import { uniqueName, type RuntimeFleet, type RuntimeOptions, type SimulatedRuntime } from "./runtime.ts";

const HOUR = 60 * 60_000;

/**
 * A runtime that has beaten at least `beats` times, so the timeline's first load already has samples: its query
 * refreshes only every 15 s.
 */
async function beatingRuntime(runtimes: RuntimeFleet, prefix: string, options: RuntimeOptions = {}, beats = 1): Promise<SimulatedRuntime> {
  const runtime = await runtimes.start({ name: uniqueName(prefix), ...options });
  await expect.poll(() => runtime.beats, { message: "the runtime heartbeats" }).toBeGreaterThanOrEqual(beats);
  return runtime;
}

async function openTimeline(page: Page, workspaceId: string): Promise<Locator> {
  await page.goto(`/workspaces/${workspaceId}`);
  const timeline = page.getByTestId("heartbeat-timeline");
  await expect(timeline).toHaveAttribute("data-empty", "false");
  return timeline;
}

/** The plot area of the chart: uPlot's overlay, which takes the mouse. Scrolled into view first, since the mouse acts
 * at viewport coordinates and the panels above it (availability, maintenance) push the chart below the fold. */
async function plotBox(timeline: Locator) {
  const overlay = timeline.locator(".u-over");
  await overlay.scrollIntoViewIfNeeded();
  const box = await overlay.boundingBox();
  if (box === null) throw new Error("the chart's plot area is not on screen");
  return box;
}

/** The stretch the chart shows, in ms: from the timeline's view (data-view-*) and from uPlot's own x scale. */
async function shownSpans(timeline: Locator) {
  const number = async (locator: Locator, name: string) => Number(await locator.getAttribute(name));
  const canvas = timeline.locator(".uplot");
  return {
    view: (await number(timeline, "data-view-to")) - (await number(timeline, "data-view-from")),
    canvas: (await number(canvas, "data-shown-to")) - (await number(canvas, "data-shown-from")),
  };
}

test.describe("heartbeat timeline", () => {
  test("choosing 6h puts range=6h in the address and a reload keeps it; an unknown range shows the last hour", async ({ page, operator, runtimes }) => {
    const runtime = await beatingRuntime(runtimes, "timeline-range");
    await signIn(page, operator);
    const timeline = await openTimeline(page, runtime.id);
    const ranges = page.getByRole("group", { name: "Time range" });
    await expect(ranges.getByRole("button")).toHaveText(["15m", "1h", "6h", "24h"]);
    await expect(ranges.getByRole("button", { name: "1h" })).toHaveAttribute("aria-pressed", "true");
    await expect(timeline).toHaveAttribute("data-range", "1h");

    await ranges.getByRole("button", { name: "6h" }).click();
    await expect(page).toHaveURL(/[?&]range=6h(&|$)/);
    await expect(timeline).toHaveAttribute("data-range", "6h");
    await expect(timeline.locator("figcaption")).toContainText("in the last 6 hours");

    await page.reload();
    await expect(ranges.getByRole("button", { name: "6h" })).toHaveAttribute("aria-pressed", "true");
    await expect(timeline).toHaveAttribute("data-range", "6h");
    await expect(page).toHaveURL(/[?&]range=6h(&|$)/);

    const response = await page.goto(`/workspaces/${runtime.id}?range=7d`);
    expect(response?.status()).toBe(200);
    await expect(timeline).toHaveAttribute("data-range", "1h");
    await expect(ranges.getByRole("button", { name: "1h" })).toHaveAttribute("aria-pressed", "true");
  });

  test("a drag across the chart zooms in, the zoom outlasts a data refresh, and Reset zoom shows the whole range again", async ({
    page,
    operator,
    runtimes,
  }) => {
    const runtime = await beatingRuntime(runtimes, "timeline-zoom");
    await signIn(page, operator);
    const timeline = await openTimeline(page, runtime.id);
    const resetZoom = page.getByRole("button", { name: "Reset zoom" });
    await expect(timeline).toHaveAttribute("data-zoomed", "false");
    await expect(resetZoom).toHaveCount(0);
    expect(await shownSpans(timeline)).toEqual({ view: HOUR, canvas: HOUR });

    // The middle 30 % of the last hour.
    const box = await plotBox(timeline);
    const middle = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.3, middle);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.6, middle, { steps: 10 });
    await page.mouse.up();

    await expect(resetZoom).toBeVisible();
    await expect(timeline).toHaveAttribute("data-zoomed", "true");
    await expect(timeline.getByText(/^Zoomed to \d{4}-\d{2}-\d{2} [\d:]+–[\d:]+ UTC: \d+ samples?\.$/)).toBeVisible();
    const zoomed = await shownSpans(timeline);
    expect(zoomed.view).toBeGreaterThan(0.25 * HOUR);
    expect(zoomed.view).toBeLessThan(0.35 * HOUR);
    expect(zoomed.canvas).toBe(zoomed.view);
    await saveScreenshot(page, "timeline-zoomed");

    // The chart is fed new data every second (the clock) and new samples every 15 s; neither may undo the zoom.
    await page.waitForResponse((response) => response.url().includes("workspace.heartbeats"), { timeout: 30_000 });
    await page.waitForTimeout(1_500);
    expect(await shownSpans(timeline)).toEqual(zoomed);
    await expect(timeline).toHaveAttribute("data-zoomed", "true");

    await resetZoom.click();
    await expect(resetZoom).toHaveCount(0);
    await expect(timeline).toHaveAttribute("data-zoomed", "false");
    await expect.poll(() => shownSpans(timeline)).toEqual({ view: HOUR, canvas: HOUR });

    // A double-click on the chart ends a zoom too.
    await page.mouse.move(box.x + box.width * 0.5, middle);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, middle, { steps: 10 });
    await page.mouse.up();
    await expect(resetZoom).toBeVisible();
    await page.mouse.dblclick(box.x + box.width * 0.5, middle);
    await expect(resetZoom).toHaveCount(0);
  });

  test("zooming into the 24 h range plots the samples themselves instead of buckets", async ({ page, operator, runtimes }) => {
    const runtime = await beatingRuntime(runtimes, "timeline-day-zoom");
    await signIn(page, operator);
    await page.goto(`/workspaces/${runtime.id}?range=24h`);
    const timeline = page.getByTestId("heartbeat-timeline");
    await expect(timeline).toHaveAttribute("data-empty", "false");
    const legend = timeline.locator(".u-legend");
    await expect(legend).toContainText("Highest error rate");
    await expect(timeline.locator("figcaption")).toContainText("each point is a 1m bucket's highest error rate");

    // The last fifth of the day: under the 6 h that are plotted sample by sample.
    const box = await plotBox(timeline);
    const middle = box.y + box.height / 2;
    await page.mouse.move(box.x + box.width * 0.8, middle);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 1, middle, { steps: 10 });
    await page.mouse.up();

    await expect(timeline).toHaveAttribute("data-zoomed", "true");
    await expect(legend).not.toContainText("Highest error rate");
    await expect(legend).toContainText("Error rate");
    await expect(timeline.locator("figcaption")).not.toContainText("bucket");
    const zoomed = await shownSpans(timeline);
    expect(zoomed.view).toBeLessThan(6 * HOUR);
    expect(zoomed.canvas).toBe(zoomed.view);
  });

  test("hovering the chart shows a tooltip with the time, error rate, status and gap", async ({ page, operator, runtimes }) => {
    // 20 % keeps the workspace online: it degrades at 50 %.
    const runtime = await beatingRuntime(runtimes, "timeline-tooltip", { errorRate: 0.2 });
    await signIn(page, operator);
    const timeline = await openTimeline(page, runtime.id);
    const tooltip = timeline.getByTestId("timeline-tooltip");
    await expect(tooltip).toHaveCount(0);

    // The newest sample is at most a few seconds from the right edge.
    const box = await plotBox(timeline);
    await page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
    await expect(tooltip).toBeVisible();
    await expect(tooltip).toContainText(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC/);
    // The canvas and its tooltip are aria-hidden (the caption and the key carry their text), so not found by role.
    await expect(tooltip.locator("dt")).toHaveText(["Error rate", "Status", "Gap"]);
    await expect(tooltip.locator("dd").nth(0)).toHaveText("20%");
    await expect(tooltip.locator("dd").nth(1)).toHaveText("Online");
    await expect(tooltip).toHaveAttribute("data-in-gap", "false");
    await saveScreenshot(page, "timeline-tooltip");

    await page.mouse.move(box.x + box.width / 2, box.y + box.height + 80);
    await expect(tooltip).toHaveCount(0);
  });

  test("the key names the server's degrade and recover thresholds, and the caption counts samples, not heartbeats", async ({ page, operator, runtimes }) => {
    // A beat a second: several beats share each 15 s slot, and the server keeps only the newest.
    const runtime = await beatingRuntime(runtimes, "timeline-caption", {}, 5);
    await signIn(page, operator);
    const timeline = await openTimeline(page, runtime.id);

    const key = timeline.getByRole("list", { name: "Chart key" });
    await expect(key.locator('[data-threshold="degrade"]')).toHaveText("Degrade threshold: 50% or more");
    await expect(key.locator('[data-threshold="recover"]')).toHaveText("Recover threshold: below 10%");

    const caption = timeline.locator("figcaption");
    await expect(caption).toContainText(/^\d+ samples? \(the newest beat of each 15 s slot\) in the last hour; /);
    await expect(caption).not.toContainText("heartbeats in");
    const samples = Number(await timeline.getAttribute("data-samples"));
    expect(samples).toBeGreaterThanOrEqual(1);
    expect(samples).toBeLessThan(runtime.beats);
  });
});
