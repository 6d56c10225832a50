import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures.ts";
import { LIVE_TIMEOUT_MS, liveIndicator, saveScreenshot } from "./console-ui.ts";
import { uniqueName } from "./runtime.ts";

/** The live tail's subscription requests (tRPC over server-sent events). */
const EVENT_STREAM = /\/api\/trpc\/events\.stream/;

/** Every event id the events table shows, as often as it shows it. */
async function shownEventIds(page: Page): Promise<number[]> {
  const ids = await page.locator("[data-event-id]").evaluateAll((rows) => rows.map((row) => row.getAttribute("data-event-id")));
  return ids.map(Number);
}

test("the live tail resumes after a network cut with every event missed meanwhile, each exactly once", async ({
  signedInPage,
  operator,
  registry,
  runtimes,
  networkCut,
}) => {
  const runtime = await runtimes.start({ name: uniqueName("live-resume") });
  // Through the relay, so the cut below ends the open stream too (the browser's offline switch alone does not).
  const page = await signedInPage(operator, { baseURL: networkCut.url });
  await page.goto("/events");
  await expect(page.getByRole("button", { name: "Live tail", pressed: true }), "the live tail is on by default").toBeVisible();
  await expect(liveIndicator(page)).toHaveAttribute("data-state", "live", { timeout: LIVE_TIMEOUT_MS });
  const mark = await registry.latestEventId();
  await expect(page.locator(`[data-event-id="${mark}"]`), "the tail has caught up before the cut").toHaveCount(1);

  await page.route(EVENT_STREAM, (route) => route.abort("internetdisconnected"));
  await page.context().setOffline(true);
  networkCut.cut();
  await expect(liveIndicator(page)).toHaveAttribute("data-state", /^(reconnecting|offline)$/, { timeout: LIVE_TIMEOUT_MS });
  // Other writers (the sweeper marking an earlier test's stopped runtime offline) may have added events between the
  // mark and the cut, and those reached the page; what the page cannot have received is what comes after this.
  const cutAt = await registry.latestEventId();

  // Events the page cannot receive now: status changes, and a new workspace.
  runtime.setErrorRate(0.9);
  expect((await runtime.heartbeat()).status).toBe(200);
  runtime.setErrorRate(0);
  expect((await runtime.heartbeat()).status).toBe(200);
  await registry.provision(uniqueName("live-resume-new"));
  const missed = (await registry.eventsAfter(cutAt)).map((event) => event.id);
  expect(missed.length, "events written while the browser was cut off").toBeGreaterThanOrEqual(3);
  for (const id of missed) await expect(page.locator(`[data-event-id="${id}"]`)).toHaveCount(0);
  await saveScreenshot(page, "live-resume-disconnected");

  networkCut.restore();
  await page.context().setOffline(false);
  await page.unroute(EVENT_STREAM);
  await expect(liveIndicator(page)).toHaveAttribute("data-state", "live", { timeout: 30_000 });

  // And the tail keeps going after the resume.
  runtime.setErrorRate(0.9);
  expect((await runtime.heartbeat()).status).toBe(200);

  await expect(async () => {
    const written = (await registry.eventsAfter(mark)).map((event) => event.id);
    const shown = (await shownEventIds(page)).filter((id) => id > mark);
    // Exactly the events written since the mark, none twice, none skipped.
    expect(shown.toSorted((a, b) => a - b)).toEqual(written);
  }).toPass({ timeout: LIVE_TIMEOUT_MS });
  for (const id of missed) await expect(page.locator(`[data-event-id="${id}"]`)).toHaveCount(1);
  await saveScreenshot(page, "live-resume-resumed");
});
