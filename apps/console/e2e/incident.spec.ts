import { expect, test } from "./fixtures.ts";
import { expectStatus, saveScreenshot, signIn, workspaceStatus } from "./console-ui.ts";
import { ErrorBody } from "./registry-api.ts";
import { uniqueName } from "./runtime.ts";

/**
 * Incident #2739, replayed through the console: a restarted workspace's runtime registers with a hostname that
 * cannot resolve (a Docker container id in the original), which stamps the register-failure marker and degrades
 * it; its next card-bearing heartbeat must clear the marker and bring it back online at once. The operator sees
 * every step on the workspace page.
 */
test("incident #2739 replay: the failed register's marker degrades the workspace, the next card-bearing heartbeat clears it", async ({
  page,
  operator,
  registry,
  runtimes,
}) => {
  // Heartbeats without the card until the chosen one: any card-bearing beat would clear the marker straight away.
  const runtime = await runtimes.start({ name: uniqueName("incident-2739"), cardOnHeartbeat: false });
  await signIn(page, operator);
  await page.goto(`/workspaces/${runtime.id}`);
  await expectStatus(workspaceStatus(page), "online");

  await registry.restart(runtime.id);
  const failed = await runtime.registerWithUnresolvableHost();
  expect(failed.status).toBe(400);
  expect(ErrorBody.parse(failed.body).reason).toBe("url_validate_failed");
  expect((await registry.workspace(runtime.id)).status).toBe("degraded");

  // The registry has answered, so the database already says so: a fresh load must show it.
  await page.reload();
  await expectStatus(workspaceStatus(page), "degraded");
  const activeMarker = page.locator('[data-marker-id][data-marker-active="true"]');
  await expect(activeMarker).toHaveCount(1);
  await expect(activeMarker).toContainText("url_validate_failed");
  const markerId = await activeMarker.getAttribute("data-marker-id");
  await expect(page.locator('[data-event-type="MARKER_SET"]').first()).toBeVisible();
  await saveScreenshot(page, "incident-workspace-degraded");

  const beat = await runtime.heartbeat({ card: true });
  expect(beat.status).toBe(200);
  expect((await registry.workspace(runtime.id)).status).toBe("online");

  await page.reload();
  await expectStatus(workspaceStatus(page), "online");
  await expect(page.locator('[data-marker-active="true"]')).toHaveCount(0);
  await expect(page.locator(`[data-marker-id="${markerId}"]`)).toHaveAttribute("data-marker-active", "false");
  await expect(page.locator('[data-event-type="MARKER_CLEARED"]').first()).toBeVisible();

  const timeline = page.getByTestId("heartbeat-timeline");
  await expect(timeline).toBeVisible();
  await expect(timeline).toHaveAttribute("data-points", /^[1-9]\d*$/);
  await expect(timeline).toHaveAttribute("data-annotations", /^([2-9]|\d{2,})$/);
  await expect(timeline.locator('[data-kind="marker_set"]')).not.toHaveCount(0);
  await expect(timeline.locator('[data-kind="marker_cleared"]')).not.toHaveCount(0);
  await saveScreenshot(page, "incident-workspace-recovered");
});
