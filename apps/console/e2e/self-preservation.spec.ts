import { join } from "node:path";
import { expect, test } from "./fixtures.ts";
import { expectStatus, fleetRow, saveScreenshot } from "./console-ui.ts";
import { LOGS_DIR } from "./paths.ts";
import { RegistryApi } from "./registry-api.ts";
import { RuntimeFleet, uniqueName } from "./runtime.ts";
import { startStack, type RunningStack } from "./stack.ts";

/**
 * Self-preservation needs a registry of its own: on the shared stack, the runtimes other tests stop would count
 * towards its census, and once it holds, every other test's silent workspace would read unknown instead of offline.
 *
 * The census counts a workspace silent once it is one heartbeat interval (the SDK's 30 s, which no setting changes)
 * short of its offline deadline, and never less than one interval silent: with the shared stack's 4 s deadline nobody
 * is ever counted before being marked offline. A 35 s deadline lets the census see the whole silent group first.
 * At least 4 live workspaces (the default, 20, is a real fleet's floor) keeps the fleet cheap.
 */
const POLICY = { ROLLCALL_OFFLINE_AFTER_SECONDS: "35", ROLLCALL_SELF_PRESERVATION_MIN_LIVE: "4" };
const FLEET_SIZE = 20;
const SILENT = 14;
/** The 35 s deadline, the sweep and the banner's poll, with a margin for a loaded machine. */
const SUSPECT_TIMEOUT_MS = 90_000;

let stack: RunningStack;
let fleet: RuntimeFleet | undefined;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startStack({ policy: POLICY, logsDir: join(LOGS_DIR, "self-preservation") });
});

test.afterAll(async () => {
  await fleet?.stopAll();
  await stack?.stop();
});

test("when most of the fleet falls silent together, every page says the registry suspects itself, and an operator ends it with a reason", async ({
  signedInPage,
}) => {
  test.setTimeout(240_000);
  const { info } = stack;
  const registry = new RegistryApi(info.registryUrl, info.adminToken);
  fleet = new RuntimeFleet(registry);
  const tag = uniqueName("suspect");
  const runtimes = [];
  for (let index = 0; index < FLEET_SIZE; index++) runtimes.push(await fleet.start({ name: `${tag}-${String(index).padStart(2, "0")}` }));
  const silent = runtimes.slice(0, SILENT);
  const beating = runtimes.slice(SILENT);

  const page = await signedInPage(info.operator, { baseURL: info.consoleUrl });
  const viewerPage = await signedInPage(info.viewer, { baseURL: info.consoleUrl });
  await page.goto("/");
  const banner = page.getByTestId("self-preservation-banner");
  await expect(fleetRow(page, silent[0]!.id)).toBeVisible();
  await expect(banner).toHaveCount(0);

  await Promise.all(silent.map((runtime) => runtime.stop()));

  await expect(banner).toContainText(`The registry suspects itself: ${SILENT} of ${FLEET_SIZE} live workspaces went silent together since `, {
    timeout: SUSPECT_TIMEOUT_MS,
  });
  await expect(banner.locator("p")).toHaveText(
    new RegExp(
      `^The registry suspects itself: ${SILENT} of ${FLEET_SIZE} live .* since \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} UTC\\. They show as unknown, not offline\\.$`,
    ),
  );
  await expectStatus(fleetRow(page, silent[0]!.id).locator("[data-status]"), "unknown");
  await expectStatus(fleetRow(page, beating[0]!.id).locator("[data-status]"), "online");
  await expect(fleetRow(page, silent[0]!.id)).toContainText("Registry suspect");
  await saveScreenshot(page, "self-preservation-banner");

  // A viewer reads the banner on any page, but has nothing to press, and the mutation refuses her.
  await viewerPage.goto("/events");
  const viewerBanner = viewerPage.getByTestId("self-preservation-banner");
  await expect(viewerBanner).toContainText(`${SILENT} of ${FLEET_SIZE} live workspaces`);
  await expect(viewerBanner.getByRole("button")).toHaveCount(0);
  const refused = await viewerPage.request.post("/api/trpc/selfPreservation.end", { data: { reason: "a viewer trying anyway" } });
  expect(refused.status(), await refused.text()).toBe(403);

  const reason = `rack 4 lost power, ticket ${uniqueName("OPS")}`;
  await banner.getByRole("button", { name: "End self-preservation…" }).click();
  const dialog = page.getByRole("dialog", { name: "End self-preservation" });
  await dialog.getByLabel("Reason").fill(reason);
  await dialog.getByRole("button", { name: "End self-preservation", exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(banner).toHaveCount(0);
  await expect(viewerBanner).toHaveCount(0, { timeout: 15_000 });

  // The silence is real now: the silent workspaces go offline at the next sweep; the beating ones stay online.
  await expectStatus(fleetRow(page, silent[0]!.id).locator("[data-status]"), "offline");
  await expectStatus(fleetRow(page, beating[0]!.id).locator("[data-status]"), "online");

  const events = await registry.eventsAfter(0);
  // The census that began it may have caught the group part way (each runtime beat at its own moment in the second).
  const entered = events.find((event) => event.type === "SELF_PRESERVATION_ENTERED");
  expect(entered?.payload).toMatchObject({ live: FLEET_SIZE, min_live: 4 });
  expect(Number(entered?.payload.silent)).toBeGreaterThanOrEqual(FLEET_SIZE * 0.3);
  expect(events.find((event) => event.type === "SELF_PRESERVATION_EXITED")).toMatchObject({
    actor: `operator:${info.operator.name}`,
    payload: { by: info.operator.name, reason },
  });
});
