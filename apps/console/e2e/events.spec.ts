import { expect, test } from "./fixtures.ts";
import { LIVE_TIMEOUT_MS, rememberDocument, signIn } from "./console-ui.ts";
import { uniqueName } from "./runtime.ts";

test.describe("events page", () => {
  test.beforeEach(async ({ page, operator }) => {
    await signIn(page, operator);
  });

  test("each event names its workspace, loaded or tailed live, and the name leads to the workspace page", async ({ page, registry, runtimes }) => {
    const runtime = await runtimes.start({ name: uniqueName("events-named") });
    await page.goto("/events");
    const online = page.locator('[data-event-type="WORKSPACE_ONLINE"]').filter({ has: page.getByRole("link", { name: runtime.name, exact: true }) });
    await expect(online).toHaveCount(1);
    await expect(online.getByRole("link", { name: runtime.name, exact: true })).toHaveAttribute("href", `/workspaces/${runtime.id}`);
    const sameDocument = await rememberDocument(page);

    // Provisioned while the page is open: the event reaches it through the live tail, named too.
    const tailedName = uniqueName("events-tailed");
    const tailed = await registry.provision(tailedName);
    const provisioned = page.locator('[data-event-type="WORKSPACE_PROVISIONING"]').filter({ has: page.getByRole("link", { name: tailedName, exact: true }) });
    await expect(provisioned).toHaveCount(1, { timeout: LIVE_TIMEOUT_MS });
    await sameDocument();

    await provisioned.getByRole("link", { name: tailedName, exact: true }).click();
    await expect(page).toHaveURL(`/workspaces/${tailed.id}`);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(tailedName);
  });
});
