// The public receipt page: a captured payment's receipt_url renders without signing in, is printable,
// not indexed, accessible; a wrong token is a 404.
import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, signIn, test } from "./fixtures";

async function ownerSecretKey(page: Page): Promise<string> {
  await signIn(page, "owner");
  const response = await page.request.post("/api/dashboard/api-keys", {
    data: { name: `e2e receipts ${Date.now().toString(36)}`, kind: "secret" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(200);
  const secret = (await response.json()).secret as string;
  await page.context().clearCookies();
  return secret;
}

test("a captured payment's receipt renders publicly, is printable and accessible; a wrong token is a 404", async ({ page, request }) => {
  const key = await ownerSecretKey(page);
  const headers = { authorization: `Bearer ${key}` };
  const created = await request.post("/api/v1/payments", {
    data: { amount: 4250, currency: "USD", payment_method: "pm_card_visa", description: "Two loaves and a coffee" },
    headers: { ...headers, "idempotency-key": `e2e-receipt-${Date.now()}` },
  });
  expect(created.status(), await created.text()).toBe(200);
  let payment = (await created.json()) as { id: string; status: string; receipt_url: string; receipt_number: string };
  for (let i = 0; i < 40 && payment.status !== "captured" && payment.status !== "settled"; i++) {
    await page.waitForTimeout(250);
    payment = await (await request.get(`/api/v1/payments/${payment.id}`, { headers })).json();
  }
  expect(payment.status).toMatch(/captured|settled/);

  const path = new URL(payment.receipt_url).pathname;
  const response = await page.goto(path);
  expect(response!.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByTestId("receipt-number")).toHaveText(payment.receipt_number);
  await expect(page.getByTestId("receipt-amount")).toHaveText("$42.50");
  await expect(page.getByText("Two loaves and a coffee")).toBeVisible();
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
  await expect(page.getByRole("button", { name: "Download PDF" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // The print stylesheet hides the button.
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("button", { name: "Download PDF" })).toBeHidden();
  await page.emulateMedia({ media: "screen" });
  await page.screenshot({ path: "test-results/screenshots/receipt.png", fullPage: true });

  const wrong = await page.goto(path.replace(/.$/, (c) => (c === "A" ? "B" : "A")));
  expect(wrong!.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Receipt not found" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});
