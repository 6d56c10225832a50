import { expect, test } from "./fixtures.ts";
import { signIn } from "./console-ui.ts";
import { uniqueName, type SimulatedRuntime } from "./runtime.ts";

/** A workspace degraded by an active register-failure marker: something an operator could clear. */
async function workspaceWithMarker(start: () => Promise<SimulatedRuntime>): Promise<SimulatedRuntime> {
  const runtime = await start();
  expect((await runtime.registerWithUnresolvableHost()).status).toBe(400);
  return runtime;
}

test.describe("signing in and out", () => {
  test("an unauthenticated visit to any page is sent to /sign-in", async ({ page, registry }) => {
    const { id } = await registry.provision("auth-unauthenticated");
    for (const path of ["/", "/events", `/workspaces/${id}`]) {
      await page.goto(path);
      await expect(page, `visiting ${path}`).toHaveURL(/\/sign-in(\?|$)/);
      await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    }
  });

  test("an operator signs in, sees their name and role in the header, and signs out", async ({ page, operator }) => {
    await signIn(page, operator);
    const header = page.getByRole("banner");
    await expect(header).toContainText(operator.name);
    await expect(header).toContainText(/operator/i);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/sign-in(\?|$)/);
    // The session is gone, not just the page: the fleet sends us back.
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in(\?|$)/);
  });

  test("a wrong password is refused with an alert and no session", async ({ page, operator }) => {
    await page.goto("/sign-in");
    await page.getByLabel("Name", { exact: true }).fill(operator.name);
    await page.getByLabel("Password", { exact: true }).fill(`${operator.password}-wrong`);
    await page.getByRole("button", { name: "Sign in" }).click();

    // Filtered by text: Next's route announcer is an (empty) alert on every page too.
    await expect(page.getByRole("alert").filter({ hasText: "Wrong name or password" })).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in(\?|$)/);
    await expect(page.getByRole("button", { name: "Sign out" })).toHaveCount(0);
    await page.goto("/");
    await expect(page).toHaveURL(/\/sign-in(\?|$)/);
  });
});

test.describe("roles", () => {
  test("a viewer sees a workspace's active marker but no Clear marker button; an operator gets the button", async ({
    signedInPage,
    runtimes,
    operator,
    viewer,
  }) => {
    const runtime = await workspaceWithMarker(() => runtimes.start({ name: uniqueName("auth-roles"), cardOnHeartbeat: false }));

    const asViewer = await signedInPage(viewer);
    await expect(asViewer.getByRole("banner")).toContainText(viewer.name);
    await expect(asViewer.getByRole("banner")).toContainText(/viewer/i);
    await asViewer.goto(`/workspaces/${runtime.id}`);
    // The page has rendered the marker, so the missing button is a decision, not a page still loading.
    const viewerMarker = asViewer.locator('[data-marker-id][data-marker-active="true"]');
    await expect(viewerMarker).toHaveCount(1);
    await expect(viewerMarker).toContainText("url_validate_failed");
    await expect(asViewer.getByRole("button", { name: "Clear marker" })).toHaveCount(0);

    const asOperator = await signedInPage(operator);
    await asOperator.goto(`/workspaces/${runtime.id}`);
    await expect(asOperator.locator('[data-marker-id][data-marker-active="true"]')).toHaveCount(1);
    await expect(asOperator.getByRole("button", { name: "Clear marker" })).toBeVisible();
  });
});
