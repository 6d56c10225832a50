import { expect, test } from "./fixtures.ts";
import { expectStatus, fleetRow, saveScreenshot, workspaceStatus } from "./console-ui.ts";
import { describeAnswer, type RegistryApi } from "./registry-api.ts";
import { uniqueName } from "./runtime.ts";

const HOUR = 60 * 60_000;

/** The workspace's maintenance as the registry's operator API reports it. */
async function maintenanceOf(registry: RegistryApi, workspaceId: string): Promise<unknown> {
  const answer = await registry.admin("GET", `/api/workspaces/${workspaceId}`);
  if (answer.status !== 200) throw new Error(`reading workspace ${workspaceId} failed: ${describeAnswer(answer)}`);
  return (answer.body as { maintenance?: unknown }).maintenance;
}

test.describe("maintenance", () => {
  test("an operator starts maintenance from the workspace page and ends it: the badge, the fleet row and the history follow", async ({
    signedInPage,
    operator,
    registry,
    runtimes,
  }) => {
    const runtime = await runtimes.start({ name: uniqueName("maintenance-operator") });
    const page = await signedInPage(operator);
    await page.goto(`/workspaces/${runtime.id}`);
    await expectStatus(workspaceStatus(page), "online");
    await expect(page.getByText("Not in maintenance.")).toBeVisible();

    const reason = `kernel upgrade, ticket ${uniqueName("OPS")}`;
    await page.getByRole("button", { name: "Start maintenance…" }).click();
    const dialog = page.getByRole("dialog", { name: "Start maintenance" });
    await dialog.getByLabel("Reason").fill(reason);
    await dialog.getByRole("button", { name: "4 h", exact: true }).click();
    const until = await dialog.getByLabel("Until (UTC)").inputValue();
    // The preset counts from now, in UTC, to the minute.
    expect(Math.abs(Date.parse(`${until}Z`) - (Date.now() + 4 * HOUR))).toBeLessThan(2 * 60_000);
    await dialog.getByRole("button", { name: "Start maintenance", exact: true }).click();
    await expect(dialog).toBeHidden();

    const badge = page.getByTestId("maintenance-badge");
    await expect(badge).toContainText(`In maintenance until ${until.replace("T", " ")}:00 UTC — ${reason} (by ${operator.name})`);
    await expect(page.locator('[data-event-type="MAINTENANCE_STARTED"]').first()).toContainText(reason);
    expect(await maintenanceOf(registry, runtime.id)).toMatchObject({ reason, by: operator.name, until: new Date(`${until}Z`).toISOString() });
    await saveScreenshot(page, "maintenance-started");

    await page.goto(`/?q=${encodeURIComponent(runtime.name)}`);
    const indicator = fleetRow(page, runtime.id).getByText("Maintenance", { exact: true });
    await expect(indicator).toBeVisible();
    await expect(indicator).toHaveAttribute("title", new RegExp(`^In maintenance until .* — ${reason} \\(by ${operator.name}\\)$`));

    await page.goto(`/workspaces/${runtime.id}`);
    await page.getByRole("button", { name: "End maintenance" }).click();
    await expect(badge).toHaveCount(0);
    await expect(page.getByText("Not in maintenance.")).toBeVisible();
    await expect(page.locator('[data-event-type="MAINTENANCE_ENDED"]').first()).toContainText(reason);
    expect(await maintenanceOf(registry, runtime.id)).toBeNull();

    await page.goto(`/?q=${encodeURIComponent(runtime.name)}`);
    await expect(fleetRow(page, runtime.id)).toBeVisible();
    await expect(fleetRow(page, runtime.id).getByText("Maintenance", { exact: true })).toHaveCount(0);
  });

  test("the registry's refusals are shown in the dialog with their reason: an end in the past, a reason too short", async ({
    signedInPage,
    operator,
    registry,
  }) => {
    const workspace = await registry.provision(uniqueName("maintenance-refused"));
    const page = await signedInPage(operator);
    await page.goto(`/workspaces/${workspace.id}`);
    await page.getByRole("button", { name: "Start maintenance…" }).click();
    const dialog = page.getByRole("dialog", { name: "Start maintenance" });
    const submit = dialog.getByRole("button", { name: "Start maintenance", exact: true });

    await dialog.getByLabel("Reason").fill("moving racks");
    await dialog.getByLabel("Until (UTC)").fill("2020-01-01T00:00");
    await submit.click();
    await expect(dialog.getByRole("alert")).toContainText("maintenance_until_past");
    await expect(dialog.getByRole("alert")).toContainText("Pick an end in the future.");

    await dialog.getByRole("button", { name: "24 h", exact: true }).click();
    await dialog.getByLabel("Reason").fill("ab");
    await submit.click();
    await expect(dialog.getByRole("alert")).toContainText("invalid_body");
    await expect(dialog.getByRole("alert")).toContainText("3 characters");
    await saveScreenshot(page, "maintenance-refused");
    expect(await maintenanceOf(registry, workspace.id)).toBeNull();
  });

  test("a viewer sees a workspace's maintenance but cannot start or end it: no buttons, and the mutations answer 403", async ({
    signedInPage,
    viewer,
    registry,
  }) => {
    const workspace = await registry.provision(uniqueName("maintenance-viewer"));
    const page = await signedInPage(viewer);
    await page.goto(`/workspaces/${workspace.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: "Start maintenance…" })).toHaveCount(0);

    const until = new Date(Date.now() + HOUR).toISOString();
    const started = await registry.admin("POST", `/api/workspaces/${workspace.id}/maintenance`, { reason: "storage migration", until });
    expect(started.status, describeAnswer(started)).toBe(200);
    await page.reload();
    await expect(page.getByTestId("maintenance-badge")).toContainText("storage migration (by admin)");
    await expect(page.getByRole("button", { name: "End maintenance" })).toHaveCount(0);

    // What a viewer could send by hand: the console's own mutations, with the viewer's session cookie.
    for (const [procedure, input] of [
      ["workspace.endMaintenance", { workspaceId: workspace.id }],
      ["workspace.startMaintenance", { workspaceId: workspace.id, reason: "a viewer trying anyway", until }],
    ] as const) {
      const answer = await page.request.post(`/api/trpc/${procedure}`, { data: input });
      expect(answer.status(), await answer.text()).toBe(403);
      expect(await answer.json()).toMatchObject({ error: { data: { code: "FORBIDDEN" } } });
    }
    expect(await maintenanceOf(registry, workspace.id)).toMatchObject({ reason: "storage migration" });
  });
});
