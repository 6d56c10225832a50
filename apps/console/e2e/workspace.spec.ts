import { randomUUID } from "node:crypto";
import { expect, test } from "./fixtures.ts";
import { signIn } from "./console-ui.ts";
import { uniqueName } from "./runtime.ts";

test.describe("workspace page", () => {
  test("an unknown workspace id answers HTTP 404 and says so; a known one answers 200", async ({ page, operator, registry }) => {
    await signIn(page, operator);

    for (const id of [randomUUID(), "not-a-workspace-id"]) {
      const response = await page.goto(`/workspaces/${id}`);
      expect(response?.status(), `/workspaces/${id}`).toBe(404);
      await expect(page.getByRole("heading", { name: "No such workspace" })).toBeVisible();
      // Still inside the console: the operator can go on from here.
      await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
    }

    const name = uniqueName("workspace-known");
    const known = await registry.provision(name);
    const response = await page.goto(`/workspaces/${known.id}`);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1 })).toContainText(name);
  });

  test("without a session an unknown id is not told apart from a known one: both send the browser to sign in", async ({ request, registry }) => {
    const known = await registry.provision(uniqueName("workspace-private"));
    for (const id of [randomUUID(), known.id]) {
      const response = await request.get(`/workspaces/${id}`, { maxRedirects: 0 });
      expect(response.status(), `/workspaces/${id}`).toBeGreaterThanOrEqual(300);
      expect(response.status()).toBeLessThan(400);
      expect(new URL(response.headers()["location"] ?? "", "http://console").pathname).toBe("/sign-in");
    }
  });
});
