// The audit log page: the owner sees entries (their own sign-in among them) and the chain status,
// filters narrow the list, and a viewer gets a 403 page — an attempt the owner then finds in the log.
import { DEMO, expect, expectNoSeriousA11yViolations, signIn, test } from "./fixtures";

test("the owner sees the log with their own sign-in and the chain status; the page is accessible", async ({ page }) => {
  await signIn(page, "owner");
  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page.getByRole("heading", { name: "Audit log", level: 1 })).toBeVisible();
  await expect(page.getByTestId("chain-status")).toContainText("Audit chain intact");
  const signIns = page.getByTestId("audit-row").filter({ hasText: "user.signed_in" }).filter({ hasText: DEMO.owner.email });
  await expect(signIns.first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: "test-results/screenshots/audit-log.png", fullPage: true });
});

test("filters by action, actor and time narrow the entries", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/audit-log");
  await page.getByLabel("Action").fill("user.signed_in");
  await page.getByLabel("Actor").fill(DEMO.owner.email);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL(/action=user\.signed_in/);
  const rows = page.getByTestId("audit-row");
  await expect(rows.first()).toBeVisible();
  for (const text of await rows.allTextContents()) {
    expect(text).toContain("user.signed_in");
    expect(text).toContain(DEMO.owner.email);
  }

  // A prefix ("user.") matches every user action; a time range in the future matches nothing.
  await page.goto("/audit-log?action=user.");
  for (const text of await page.getByTestId("audit-row").allTextContents()) expect(text).toMatch(/user\./);
  await page.getByLabel("From (UTC)").fill("2099-01-01T00:00");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("No audit entries match these filters.")).toBeVisible();
});

test("a viewer gets a 403 page, and the attempt is in the audit log", async ({ page: viewer, browser, baseURL }) => {
  await signIn(viewer, "viewer");
  await viewer.goto("/audit-log");
  await expect(viewer.getByText("403 — Forbidden")).toBeVisible();
  await expect(viewer.getByRole("heading", { name: "You can't view the audit log" })).toBeVisible();
  await expect(viewer.getByTestId("audit-row")).toHaveCount(0);
  await expectNoSeriousA11yViolations(viewer);

  const ownerContext = await browser.newContext({ baseURL });
  const owner = await ownerContext.newPage();
  await signIn(owner, "owner");
  await owner.goto("/audit-log?action=audit_log.access_denied");
  await expect(owner.getByTestId("audit-row").filter({ hasText: DEMO.viewer.email }).first()).toBeVisible();
  await ownerContext.close();
});
