import { expect, test } from "./fixtures.ts";
import { expectStatus, saveScreenshot, workspaceStatus } from "./console-ui.ts";
import type { RuntimeFleet, SimulatedRuntime } from "./runtime.ts";
import { uniqueName } from "./runtime.ts";

/**
 * A workspace kept degraded by a register-failure marker: it heartbeats (so it is alive) but without the agent
 * card, so nothing but an operator clears the marker.
 */
async function degradedByMarker(runtimes: RuntimeFleet, prefix: string): Promise<SimulatedRuntime> {
  const runtime = await runtimes.start({ name: uniqueName(prefix), cardOnHeartbeat: false });
  expect((await runtime.registerWithUnresolvableHost()).status).toBe(400);
  return runtime;
}

const activeMarker = '[data-marker-id][data-marker-active="true"]';

test("an operator clears a marker with a reason: the workspace recovers and the history names the operator and the reason", async ({
  signedInPage,
  operator,
  registry,
  runtimes,
}) => {
  const runtime = await degradedByMarker(runtimes, "clear-by-operator");
  const page = await signedInPage(operator);
  await page.goto(`/workspaces/${runtime.id}`);
  await expectStatus(workspaceStatus(page), "degraded");
  const marker = page.locator(activeMarker);
  await expect(marker).toContainText("url_validate_failed");
  const markerId = await marker.getAttribute("data-marker-id");

  const reason = `runtime fixed by hand, ticket ${uniqueName("OPS")}`;
  await page.getByRole("button", { name: "Clear marker" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.getByRole("button", { name: "Clear marker" }).click();
  await expect(dialog).toBeHidden();

  await expect(page.locator(`[data-marker-id="${markerId}"]`)).toHaveAttribute("data-marker-active", "false");
  await expectStatus(workspaceStatus(page), "online");
  const cleared = page.locator('[data-event-type="MARKER_CLEARED"]').first();
  await expect(cleared).toContainText(operator.name);
  await expect(cleared).toContainText(reason);
  await saveScreenshot(page, "clear-marker-cleared-by-operator");

  // The registry agrees with what the page shows.
  const workspace = await registry.workspace(runtime.id);
  expect(workspace.status).toBe("online");
  const record = workspace.markers.find((m) => m.id === markerId);
  expect(record).toMatchObject({ active: false, cleared_by: `operator:${operator.name}`, clear_reason: reason });
});

test("a viewer cannot clear a marker: no button, and the tRPC mutation answers 403 FORBIDDEN", async ({ signedInPage, viewer, registry, runtimes }) => {
  const runtime = await degradedByMarker(runtimes, "clear-by-viewer");
  const page = await signedInPage(viewer);
  await page.goto(`/workspaces/${runtime.id}`);
  const marker = page.locator(activeMarker);
  await expect(marker).toHaveCount(1);
  await expect(page.getByRole("button", { name: "Clear marker" })).toHaveCount(0);
  const markerId = await marker.getAttribute("data-marker-id");
  expect(markerId).toBeTruthy();

  // What a viewer could send by hand: the console's own mutation, with the viewer's session cookie.
  const input = { workspaceId: runtime.id, markerId, reason: "a viewer trying anyway" };
  const asViewer = await page.request.post("/api/trpc/workspace.clearMarker", { data: input });
  expect(asViewer.status(), await asViewer.text()).toBe(403);
  // FORBIDDEN, not UNAUTHORIZED: the session was recognised and the role refused.
  expect(await asViewer.json()).toMatchObject({ error: { data: { code: "FORBIDDEN" } } });

  const workspace = await registry.workspace(runtime.id);
  expect(workspace.status).toBe("degraded");
  expect(workspace.markers.find((m) => m.id === markerId)?.active).toBe(true);
});
