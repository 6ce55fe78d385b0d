// Reconciliation in the dashboard: an admin starts a run for the day the PSP booked an unexplained
// adjustment, sees the totals and the banner, filters the discrepancies, drills into one and resolves
// it with a note; a viewer can look but not resolve.
import { readFileSync } from "node:fs";
import { expect, expectNoSeriousA11yViolations, signIn, test } from "./fixtures";

const SANDBOX = process.env.PSP_SANDBOX_URL ?? "http://127.0.0.1:12111";

/** Books an adjustment at the PSP that Settle knows nothing about (a missing_in_settle discrepancy). */
async function injectExtraBalanceTransaction(amount: number): Promise<{ id: string; day: string }> {
  const response = await fetch(`${SANDBOX}/_sandbox/settlement/alter`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ kind: "extra_balance_transaction", amount }),
  });
  expect(response.status).toBe(200);
  const bt = (await response.json()) as { id: string; created: number };
  return { id: bt.id, day: new Date(bt.created * 1000).toISOString().slice(0, 10) };
}

test("an admin runs a reconciliation, filters the discrepancies and resolves one with a note", async ({ page }) => {
  const amount = 1000 + Math.floor(Math.random() * 8000);
  const extra = await injectExtraBalanceTransaction(amount);

  await signIn(page, "admin");
  await page.getByRole("link", { name: "Reconciliation" }).click();
  await expect(page.getByRole("heading", { name: "Reconciliation", level: 1 })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  await page.getByLabel("Day (UTC)").fill(extra.day);
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/reconciliation\/recon_[0-9a-z]+$/, { timeout: 45_000 });
  await expect(page.getByRole("heading", { name: `Run for ${extra.day}` })).toBeVisible();
  await expect(page.getByTestId("run-summary")).toContainText("Completed", { ignoreCase: true });
  const totals = page.getByTestId("run-totals");
  await expect(totals.getByRole("rowheader", { name: "USD" })).toBeVisible();
  await expect(page.getByTestId("reconciliation-banner")).toContainText("unexplained");

  await page.getByLabel("Class").selectOption("missing_in_settle");
  await page.getByLabel("Status").selectOption("open");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/class=missing_in_settle/);
  const row = page.locator("tbody", { hasText: extra.id });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Open");
  await expect(row).toContainText(`$${(amount / 100).toFixed(2)}`);
  await expectNoSeriousA11yViolations(page);

  // The run's CSV export with the same filters, read back.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("discrepancies-csv").click()]);
  expect(download.suggestedFilename()).toMatch(/^recon_[0-9a-z]+-discrepancies\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8").trim().split(/\r?\n/);
  expect(csv[0]).toMatch(/^id,class,leg,status,/);
  const exported = csv.slice(1).filter((line) => line.includes(extra.id));
  expect(exported).toHaveLength(1);
  expect(exported[0]).toContain("missing_in_settle");
  expect(csv.slice(1).every((line) => line.includes(",missing_in_settle,") && line.includes(",open,"))).toBe(true);

  await row.locator("summary").click();
  await expect(row.getByRole("heading", { name: "PSP side" })).toBeVisible();
  await expect(row).toContainText(`"balance_transaction": "${extra.id}"`);
  await row.getByLabel("Action").selectOption("accept");
  await row.getByLabel("Note").fill("Sandbox adjustment booked by the e2e test; nothing to post.");
  await row.getByRole("button", { name: "Resolve" }).click();
  // Resolved, it leaves the list of open ones and shows up among the resolved.
  await expect(page.locator("tbody", { hasText: extra.id })).toHaveCount(0);
  await page.getByLabel("Status").selectOption("resolved");
  await page.getByRole("button", { name: "Filter" }).click();
  const resolved = page.locator("tbody", { hasText: extra.id });
  await expect(resolved).toContainText("Resolved");
  await resolved.locator("summary").click();
  await expect(resolved.getByTestId("resolution")).toContainText("Sandbox adjustment booked by the e2e test");
  await page.screenshot({ path: "test-results/screenshots/reconciliation-run.png", fullPage: true });
});

test("a viewer sees runs and discrepancies but no run form and no resolve action", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/reconciliation");
  await expect(page.getByRole("heading", { name: "Reconciliation", level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: "Start run" })).toHaveCount(0);
  const response = await page.request.post("/api/dashboard/reconciliation/runs", { data: {}, headers: { origin: new URL(page.url()).origin } });
  expect(response.status()).toBe(403);
  // Reading is allowed: the CSV export answers for a viewer too; another merchant's (or no) run is a 404.
  const missing = await page.request.get("/api/dashboard/reconciliation/runs/recon_00000000000000000000000000/discrepancies.csv");
  expect(missing.status()).toBe(404);
});
