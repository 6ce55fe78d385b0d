// The admin refund screen: a partial refund under the threshold goes straight to the PSP; one above it
// waits until a second admin approves; the requester cannot approve their own; a viewer is refused (403)
// in the page and at the endpoint.
import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, signIn, test } from "./fixtures";

/**
 * A captured card payment made through the API with a fresh key of the demo merchant. A card no other spec
 * pays with: the fraud model counts a card's attempts in the last hour, and the checkout specs pay with the
 * Visa test card, so a $1,200 Visa payment here would rightly be held for review.
 */
async function capturedPayment(page: Page, amount: number): Promise<string> {
  await signIn(page, "owner");
  const origin = new URL(page.url()).origin;
  const key = await page.request.post("/api/dashboard/api-keys", { data: { name: `e2e refunds ${Date.now().toString(36)}`, kind: "secret" }, headers: { origin } });
  const secret = (await key.json()).secret as string;
  const response = await page.request.post("/api/v1/payments", {
    data: { amount, currency: "USD", payment_method: "pm_card_mastercard" },
    headers: { authorization: `Bearer ${secret}`, "idempotency-key": `e2e-refund-${Date.now()}-${Math.random()}` },
  });
  expect(response.status(), await response.text()).toBe(200);
  const payment = await response.json();
  expect(payment.status).toBe("captured");
  await page.context().clearCookies();
  return payment.id as string;
}

test("an admin refunds part of a payment; a large refund waits for a second admin's approval", async ({ page, browser }) => {
  const paymentId = await capturedPayment(page, 120_000); // $1,200.00; the default threshold is $500.00
  await signIn(page, "admin");
  await page.goto(`/refunds?payment=${paymentId}`);
  await expect(page.getByTestId("refundable")).toHaveText("$1,200.00");
  await expectNoSeriousA11yViolations(page);

  // 1. A small partial refund: under the threshold, straight to the PSP.
  await page.getByLabel("Part of it").check();
  await page.getByLabel("Amount (USD)").fill("25.50");
  await page.getByLabel("Reason").selectOption("requested_by_customer");
  await page.getByRole("button", { name: "Review refund" }).click();
  await expect(page.getByTestId("refund-confirm")).toContainText("Refund $25.50 of payment");
  await page.getByRole("button", { name: "Confirm refund of $25.50" }).dblclick();
  await expect(page.getByTestId("refund-done")).toContainText("was sent to the payment provider");
  await page.goto(`/refunds?payment=${paymentId}`);
  await expect(page.getByTestId("refundable")).toHaveText("$1,174.50");
  // The double click made one refund.
  await expect(page.getByTestId("refunds-recent").getByRole("row", { name: new RegExp(paymentId) })).toHaveCount(1);

  // 2. The rest ($1,174.50) is above the threshold: it waits for approval.
  await page.getByRole("button", { name: "Review refund" }).click();
  await expect(page.getByTestId("refund-confirm")).toContainText("$1,174.50");
  await expect(page.getByTestId("refund-confirm")).toContainText("wait for a second admin's approval");
  await page.getByRole("button", { name: "Confirm refund of $1,174.50" }).click();
  await expect(page.getByTestId("refund-done")).toContainText("waiting for a second admin's approval");
  await page.reload();
  const pendingRow = page.getByTestId("refunds-pending").getByRole("row", { name: new RegExp(paymentId) });
  await expect(pendingRow).toContainText("Adam Admin");
  await expect(pendingRow).toContainText("Waiting for another admin"); // the requester cannot approve it
  await expect(page.getByTestId("refundable")).toHaveText("$0.00");
  await page.screenshot({ path: "test-results/screenshots/refunds.png", fullPage: true });

  // 3. The owner (another admin-level user) approves; it goes to the PSP and shows both names.
  const other = await browser.newContext({ baseURL: new URL(page.url()).origin });
  const ownerPage = await other.newPage();
  await signIn(ownerPage, "owner");
  await ownerPage.goto("/refunds");
  const row = ownerPage.getByTestId("refunds-pending").getByRole("row", { name: new RegExp(paymentId) });
  await row.getByRole("button", { name: /Approve/ }).click();
  await expect(ownerPage.getByTestId("refunds-pending").getByRole("row", { name: new RegExp(paymentId) })).toHaveCount(0);
  const done = ownerPage.getByTestId("refunds-recent").getByRole("row", { name: /\$1,174\.50/ }).filter({ hasText: paymentId });
  await expect(done).toContainText("Adam Admin");
  await expect(done).toContainText("Olivia Owner");
  await expect(done).toContainText(/re_|pyr_|\w+_/);
  await other.close();

  // The payment detail page lists both refunds with who asked and who approved.
  await page.goto(`/payments/${paymentId}`);
  await expect(page.getByRole("region", { name: "Refunds" })).toContainText("Olivia Owner");
});

test("a viewer cannot refund: the page says 403 and the endpoint refuses", async ({ page }) => {
  const paymentId = await capturedPayment(page, 1_000);
  await signIn(page, "viewer");
  await page.goto(`/refunds?payment=${paymentId}`);
  await expect(page.getByTestId("refunds-forbidden")).toContainText("403");
  await expect(page.getByRole("button", { name: "Review refund" })).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
  const response = await page.request.post("/api/dashboard/refunds", {
    data: { payment: paymentId, reason: "requested_by_customer", idempotency_key: `viewer-${Date.now().toString(36)}` },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(403);
  expect((await response.json()).error.type).toBe("permission_error");
  // Staff cannot approve either.
  const approve = await page.request.post("/api/dashboard/refunds/re_00000000000000000000000000/approve", { headers: { origin: new URL(page.url()).origin } });
  expect(approve.status()).toBe(403);
});
