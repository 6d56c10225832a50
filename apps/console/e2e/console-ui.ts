import { expect, type Locator, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Account } from "./accounts.ts";
import { SCREENSHOTS_DIR } from "./paths.ts";

/**
 * How long a live view may take to show a change in the registry: the stack calls a silent workspace offline after
 * 4 s, the sweep runs every second and live views poll every 200 ms; the rest is margin for a loaded CI machine.
 */
export const LIVE_TIMEOUT_MS = 20_000;

/** The label a status chip shows for each status (the console's status styles). */
export const STATUS_LABELS = {
  online: "Online",
  degraded: "Degraded",
  unknown: "Unknown",
  offline: "Offline",
  provisioning: "Starting",
  failed: "Failed",
  removed: "Removed",
} as const;
export type Status = keyof typeof STATUS_LABELS;

export async function signIn(page: Page, account: Account): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Name", { exact: true }).fill(account.name);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
}

/** The fleet table's row of one workspace. */
export function fleetRow(page: Page, workspaceId: string): Locator {
  return page.locator(`[data-workspace-id="${workspaceId}"]`);
}

/** A cell of a fleet row, by the column it is in (the label a phone shows beside it). */
export function fleetCell(page: Page, workspaceId: string, column: string): Locator {
  return fleetRow(page, workspaceId).locator(`td[data-label="${column}"]`);
}

/** The value beside a term of the workspace page's summary ("Error rate", "Current task", …). */
export function summaryFact(page: Page, term: string): Locator {
  return page.locator(`dt:text-is("${term}") + dd`);
}

/** The workspace page's status chip. */
export function workspaceStatus(page: Page): Locator {
  return page.getByTestId("workspace-status");
}

export function liveIndicator(page: Page): Locator {
  return page.getByTestId("live-indicator");
}

/** A status chip (anything carrying data-status) shows `status`, as data and as the label a person reads. */
export async function expectStatus(chip: Locator, status: Status, timeout = LIVE_TIMEOUT_MS): Promise<void> {
  await expect(chip).toHaveAttribute("data-status", status, { timeout });
  await expect(chip).toContainText(STATUS_LABELS[status]);
}

/**
 * Marks the current document, and returns a check that the page still shows that same document: a live update
 * passes, a reload or a full navigation fails it.
 */
export async function rememberDocument(page: Page): Promise<() => Promise<void>> {
  const mark = randomBytes(8).toString("hex");
  // On window, not in the DOM: React may re-render any element, but only a new document replaces window.
  await page.evaluate((value) => Object.assign(window, { __e2eDocument: value }), mark);
  return async () => {
    const current = await page.evaluate(() => (window as Window & { __e2eDocument?: string }).__e2eDocument);
    expect(current, "the page was updated live, not reloaded").toBe(mark);
  };
}

export type Rgb = readonly [number, number, number];

/** The colour the element's text is drawn in, as the browser computed it. */
export async function textColour(locator: Locator): Promise<Rgb> {
  const colour = await locator.evaluate((element) => getComputedStyle(element).color);
  const [red, green, blue] = colour.match(/\d+(\.\d+)?/g)?.map(Number) ?? [];
  if (red === undefined || green === undefined || blue === undefined) throw new Error(`not an rgb() colour: ${colour}`);
  return [red, green, blue];
}

/** Straight-line distance between two colours in RGB: 0 for the same colour, 441 from black to white. */
export function colourDistance(a: Rgb, b: Rgb): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** A full-page screenshot kept in e2e-artifacts/screenshots/<name>.png, whatever the test's outcome. */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });
}
