import type { Locator, Page } from "@playwright/test";
import { LIVE_TIMEOUT_MS, rememberDocument, saveScreenshot } from "./console-ui.ts";
import { expect, test } from "./fixtures.ts";
import { describeAnswer, type RegistryApi } from "./registry-api.ts";
import { uniqueName } from "./runtime.ts";
import { WebhookReceiver } from "./webhook-receiver.ts";

/** A delivery in the endpoint's log, newest first: one per notification, test or redelivery. */
function deliveries(page: Page, selector: { type?: string; eventId?: string }): Locator {
  const type = selector.type ? `[data-type="${selector.type}"]` : "";
  const eventId = selector.eventId ? `[data-event-id="${selector.eventId}"]` : "";
  return page.getByRole("list", { name: "Deliveries" }).locator(`li${type}${eventId}`);
}

/** An attempt's row in a delivery's attempt table. */
function attemptRow(delivery: Locator, attempt: number): Locator {
  return delivery.locator(`tr[data-attempt="${attempt}"]`);
}

/** The cells of an attempt's row after its number: time, status, latency, error. */
async function expectAttempt(delivery: Locator, attempt: number, status: string, timeout = LIVE_TIMEOUT_MS): Promise<void> {
  await expect(attemptRow(delivery, attempt).getByRole("cell").nth(1)).toHaveText(status, { timeout });
}

/** What the registry's operator API says about an endpoint: its HTTP status. */
async function endpointStatus(registry: RegistryApi, id: string): Promise<number> {
  return (await registry.admin("GET", `/api/notifications/endpoints/${id}`)).status;
}

test.describe("notifications", () => {
  test("an operator adds an endpoint, tests it, and watches a status change's failed first attempt retried into a delivery, live", async ({
    signedInPage,
    operator,
    runtimes,
    webhookReceiver,
  }) => {
    const page = await signedInPage(operator);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Notifications" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();

    // The filter keeps this endpoint to one workspace's coming online: other tests' workspaces share the stack.
    const endpointName = uniqueName("pager");
    const workspaceName = uniqueName("notified");
    const form = page.getByRole("form", { name: "Add an endpoint" });
    await form.getByLabel("Name", { exact: true }).fill(endpointName);
    await form.getByLabel("URL", { exact: true }).fill(webhookReceiver.url);
    await expect(form.getByLabel("Format")).toHaveValue("webhook");
    await expect(form.getByRole("group", { name: "Event types" })).toContainText("None checked means the default types: WORKSPACE_PROVISIONING");
    await form.getByRole("checkbox", { name: "WORKSPACE_ONLINE", exact: true }).check();
    await form.getByLabel("Workspace name pattern").fill(workspaceName);
    await expect(form.getByRole("checkbox", { name: "Enabled", exact: true })).toBeChecked();
    await saveScreenshot(page, "notifications-add-endpoint");
    await form.getByRole("button", { name: "Add endpoint" }).click();

    const created = page.getByRole("dialog", { name: "Endpoint added" });
    await expect(created).toContainText("Copy it now: the secret is not shown again.");
    const secret = await created.getByLabel("Signing secret").inputValue();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    await created.getByRole("button", { name: "Done" }).click();
    await expect(created).toBeHidden();

    const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: endpointName }) });
    await expect(row.getByRole("cell")).toHaveText([
      "Webhook (Standard Webhooks)",
      webhookReceiver.url,
      `WORKSPACE_ONLINE · workspaces matching ${workspaceName}`,
      "Enabled",
    ]);
    await row.getByRole("link", { name: endpointName }).click();
    await expect(page).toHaveURL(/\/notifications\/nep_[A-Za-z0-9_-]+$/);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(endpointName);
    await expect(page.getByText("No deliveries yet.")).toBeVisible();
    const sameDocument = await rememberDocument(page);

    // The receiver fails every notification's first attempt: the test's answer says so, with the status code.
    await page.getByRole("button", { name: "Send test" }).click();
    const result = page.getByRole("status", { name: "Test result" });
    await expect(result).toContainText(/^Not delivered: HTTP 500 in [\d.]+ m?s \(HTTP 500: receiver failing once\)\. Retried at /, { timeout: 15_000 });
    const testDelivery = deliveries(page, { type: "NOTIFICATION_TEST" });
    await expect(testDelivery).toHaveAttribute("data-state", "delivered", { timeout: LIVE_TIMEOUT_MS });
    await expectAttempt(testDelivery, 1, "500");
    await expectAttempt(testDelivery, 2, "200");

    // A real status change: the workspace is provisioned and registers, so it comes online.
    await runtimes.start({ name: workspaceName });
    const online = deliveries(page, { type: "WORKSPACE_ONLINE" });
    await expect(online).toHaveCount(1, { timeout: LIVE_TIMEOUT_MS });
    await expectAttempt(online, 1, "500");
    await expect(attemptRow(online, 1)).toContainText("HTTP 500: receiver failing once");
    await expect(online).toHaveAttribute("data-state", "delivered", { timeout: LIVE_TIMEOUT_MS });
    await expectAttempt(online, 2, "200");
    await expect(online.getByTestId("delivery-state")).toHaveText("Delivered");
    await saveScreenshot(page, "notifications-delivery-log");

    // What the page shows is what the receiver got: the same webhook-id twice, signed with the secret shown once.
    const webhookId = await online.getAttribute("data-event-id");
    expect(webhookId).toMatch(/^msg_/);
    const requests = webhookReceiver.requestsFor(webhookId!);
    expect(requests.map((request) => request.answeredWith)).toEqual([500, 200]);
    expect(requests.every((request) => WebhookReceiver.signedWith(request, secret))).toBe(true);
    expect(JSON.parse(requests[0]!.body)).toMatchObject({ type: "WORKSPACE_ONLINE", data: { workspace_name: workspaceName } });

    // A redelivery goes out again with the same webhook-id; the receiver, having seen it, takes it at once.
    await online.getByRole("button", { name: `Redeliver ${webhookId}` }).click();
    const copies = deliveries(page, { eventId: webhookId! });
    await expect(copies).toHaveCount(2, { timeout: LIVE_TIMEOUT_MS });
    await expect(copies.first()).toHaveAttribute("data-state", "delivered", { timeout: LIVE_TIMEOUT_MS });
    await expectAttempt(copies.first(), 1, "200");
    expect(webhookReceiver.requestsFor(webhookId!).map((request) => request.answeredWith)).toEqual([500, 200, 200]);
    await sameDocument();
  });

  test("a refused URL is explained beside the form; an operator disables and deletes an endpoint", async ({
    signedInPage,
    operator,
    registry,
    webhookReceiver,
  }) => {
    const page = await signedInPage(operator);
    await page.goto("/notifications");
    const name = uniqueName("refused");
    const form = page.getByRole("form", { name: "Add an endpoint" });
    await form.getByLabel("Name", { exact: true }).fill(name);
    await form.getByLabel("URL", { exact: true }).fill("http://10.1.2.3/hook");
    await form.getByRole("button", { name: "Add endpoint" }).click();
    const refusal = form.getByRole("alert");
    await expect(refusal).toContainText("The endpoint was not added.");
    await expect(refusal).toContainText("url targets a blocked address");
    await expect(refusal).toContainText("url_validate_failed");
    await expect(page.getByRole("link", { name })).toHaveCount(0);

    // What was typed stays, so only the URL needs fixing.
    await expect(form.getByLabel("Name", { exact: true })).toHaveValue(name);
    await form.getByLabel("URL", { exact: true }).fill(webhookReceiver.url);
    await form.getByRole("button", { name: "Add endpoint" }).click();
    await page.getByRole("dialog", { name: "Endpoint added" }).getByRole("button", { name: "Done" }).click();
    await expect(refusal).toHaveCount(0);
    await page.getByRole("link", { name }).click();
    await expect(page).toHaveURL(/\/notifications\/nep_[A-Za-z0-9_-]+$/);
    const id = page.url().split("/").at(-1)!;

    const heading = page.getByRole("heading", { level: 1 });
    await expect(heading).toContainText("Enabled");
    await page.getByRole("button", { name: "Disable endpoint" }).click();
    await expect(heading).toContainText("Disabled");
    await expect(page.getByRole("button", { name: "Enable endpoint" })).toBeVisible();
    expect(await registry.admin("GET", `/api/notifications/endpoints/${id}`)).toMatchObject({ status: 200, body: { enabled: false } });

    await page.getByRole("button", { name: "Delete endpoint…" }).click();
    const dialog = page.getByRole("dialog", { name: "Delete endpoint" });
    await expect(dialog).toContainText(name);
    await dialog.getByRole("button", { name: "Delete endpoint", exact: true }).click();
    await expect(page).toHaveURL(/\/notifications$/);
    await expect(page.getByRole("link", { name })).toHaveCount(0);
    expect(await endpointStatus(registry, id)).toBe(404);

    await page.goto(`/notifications/${id}`);
    await expect(page.getByRole("heading", { level: 1, name: "No such endpoint" })).toBeVisible();
  });

  test("a viewer reads the endpoints and a delivery log but is offered no action, and the console refuses one sent by hand", async ({
    signedInPage,
    viewer,
    registry,
    webhookReceiver,
  }) => {
    const name = uniqueName("viewer-pager");
    const created = await registry.admin("POST", "/api/notifications/endpoints", {
      name,
      url: webhookReceiver.url,
      filter: { workspaces: uniqueName("none") },
    });
    expect(created.status, describeAnswer(created)).toBe(201);
    const id = (created.body as { id: string }).id;
    const tested = await registry.admin("POST", `/api/notifications/endpoints/${id}/test`);
    expect(tested.status, describeAnswer(tested)).toBe(200);

    const page = await signedInPage(viewer);
    await page.goto("/notifications");
    await expect(page.getByRole("link", { name })).toBeVisible();
    await expect(page.getByText("Read-only: this account is a viewer.")).toBeVisible();
    await expect(page.getByRole("form", { name: "Add an endpoint" })).toHaveCount(0);

    await page.getByRole("link", { name }).click();
    const testDelivery = deliveries(page, { type: "NOTIFICATION_TEST" });
    await expect(testDelivery).toHaveAttribute("data-state", "delivered", { timeout: LIVE_TIMEOUT_MS });
    await expectAttempt(testDelivery, 2, "200");
    await expect(page.getByRole("main").getByRole("button")).toHaveCount(0);
    await saveScreenshot(page, "notifications-viewer");

    for (const [procedure, input] of [
      ["notifications.test", { id }],
      ["notifications.update", { id, enabled: false }],
      ["notifications.remove", { id }],
    ] as const) {
      const answer = await page.request.post(`/api/trpc/${procedure}`, { data: input });
      expect(answer.status(), await answer.text()).toBe(403);
    }
    expect(await registry.admin("GET", `/api/notifications/endpoints/${id}`)).toMatchObject({ status: 200, body: { enabled: true } });
  });

  test("the delivery log pages back to older deliveries and returns to the newest", async ({ signedInPage, operator, registry }) => {
    // A receiver that takes every request at once: each test is then settled before the next is sent.
    const receiver = await WebhookReceiver.start({ failFirst: false });
    try {
      const created = await registry.admin("POST", "/api/notifications/endpoints", {
        name: uniqueName("paged"),
        url: receiver.url,
        filter: { workspaces: uniqueName("none") },
      });
      expect(created.status, describeAnswer(created)).toBe(201);
      const id = (created.body as { id: string }).id;
      // One more than the page holds (DELIVERIES_PAGE_SIZE), so the oldest is alone on the second page.
      const sent: string[] = [];
      for (let round = 0; round < 26; round++) {
        const tested = await registry.admin("POST", `/api/notifications/endpoints/${id}/test`);
        expect(tested.body, describeAnswer(tested)).toMatchObject({ state: "delivered" });
        sent.push((tested.body as { event_id: string }).event_id);
      }

      const page = await signedInPage(operator);
      await page.goto(`/notifications/${id}`);
      const items = page.getByRole("list", { name: "Deliveries" }).getByRole("listitem");
      await expect(items).toHaveCount(25);
      await expect(items.first()).toHaveAttribute("data-event-id", sent.at(-1)!);

      await page.getByRole("button", { name: "Older deliveries" }).click();
      await expect(page.getByRole("heading", { name: "Delivery log: older deliveries" })).toBeVisible();
      await expect(items).toHaveCount(1);
      await expect(items.first()).toHaveAttribute("data-event-id", sent[0]!);
      await expect(page.getByText("Start of the log")).toBeVisible();

      await page.getByRole("button", { name: "Newest deliveries" }).click();
      await expect(items).toHaveCount(25);
      await expect(items.first()).toHaveAttribute("data-event-id", sent.at(-1)!);
    } finally {
      await receiver.close();
    }
  });
});
