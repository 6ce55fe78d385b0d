// The merchant dashboard: overview with charts and balances, the payments table (search, filters, pages),
// a CSV export read back, payment detail, balances with a transfer, disputes. Every page gets an axe check
// and a screenshot.
import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, signIn, test } from "./fixtures";

let secret: string | null = null;

async function key(page: Page): Promise<string> {
  if (secret) return secret;
  const response = await page.request.post("/api/dashboard/api-keys", { data: { name: `e2e dashboard ${Date.now().toString(36)}`, kind: "secret" }, headers: { origin: new URL(page.url()).origin } });
  secret = (await response.json()).secret as string;
  return secret;
}

async function pay(page: Page, body: Record<string, unknown>): Promise<{ id: string; status: string }> {
  const response = await page.request.post("/api/v1/payments", {
    data: { currency: "USD", payment_method: "pm_card_visa", ...body },
    headers: { authorization: `Bearer ${await key(page)}`, "idempotency-key": `e2e-dash-${Date.now()}-${Math.random()}` },
  });
  const payload = await response.json();
  return payload.error ? { id: /pay_[0-9a-z]{26}/.exec(payload.error.message)?.[0] ?? "", status: "failed" } : payload;
}

test("overview, payments table with search and filters, CSV export read back, payment detail", async ({ page }) => {
  await signIn(page, "owner");
  const captured = await pay(page, { amount: 4_321 });
  expect(captured.status).toBe("captured");
  const declined = await pay(page, { amount: 777, payment_method: "pm_card_chargeDeclined" });
  expect(declined.status).toBe("failed");
  await pay(page, { amount: 1_250, currency: "EUR" });

  // Overview: numbers per currency, charts, balances, health.
  await page.goto("/dashboard?period=7");
  await expect(page.getByRole("link", { name: "7 days" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("overview-USD")).toBeVisible();
  await expect(page.getByTestId("overview-EUR")).toBeVisible();
  await expect(page.getByRole("img", { name: /^Gross volume: / }).first()).toBeVisible();
  await expect(page.getByRole("heading", { name: "System health" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: "test-results/screenshots/overview.png", fullPage: true });
  await page.getByRole("link", { name: "90 days" }).click();
  await expect(page).toHaveURL(/period=90/);

  // Payments: the table, search by id, filter by status, by currency.
  await page.goto("/payments");
  await expect(page.getByTestId("payments-table")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: "test-results/screenshots/payments.png", fullPage: true });
  await page.getByLabel("Search").fill(captured.id);
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByTestId("payments-table").locator("tbody tr")).toHaveCount(1);
  await expect(page.getByTestId("payments-table")).toContainText("$43.21");

  await page.goto("/payments?status=failed");
  await expect(page.getByTestId("payments-table")).toContainText(declined.id);
  await expect(page.getByTestId("payments-table")).not.toContainText(captured.id);
  await page.goto("/payments?currency=EUR");
  await expect(page.getByTestId("payments-table")).toContainText("€12.50");
  await page.goto("/payments?q=43.21");
  await expect(page.getByTestId("payments-table")).toContainText(captured.id);
  await page.goto("/payments?q=4242&sort=amount_desc");
  await expect(page.getByTestId("payments-table").locator("tbody tr").first()).toBeVisible();
  await page.goto("/payments?q=nobody@nowhere.example");
  await expect(page.getByText("No payments match these filters")).toBeVisible();

  // CSV export for a filter, read back.
  const csv = await page.request.get("/api/dashboard/payments/export?status=captured&currency=USD");
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toBe("id,created_utc,status,amount,currency,amount_refunded,method,brand,last4,customer,description");
  const row = lines.find((line) => line.startsWith(captured.id));
  expect(row).toBeDefined();
  expect(row).toContain(",captured,43.21,USD,0.00,card,visa,4242,");
  expect(lines.every((line, i) => i === 0 || line.includes(",captured,") )).toBe(true);
  const all = await page.request.get("/api/dashboard/payments/export");
  expect((await all.text()).split("\r\n").length).toBeGreaterThan(3);

  // Payment detail: amounts, timeline, ledger, receipt link.
  await page.goto(`/payments/${captured.id}`);
  await expect(page.getByRole("heading", { name: "$43.21" })).toBeVisible();
  await expect(page.getByTestId("payment-timeline")).toContainText("captured");
  await expect(page.getByTestId("payment-ledger")).toContainText(`payment:${captured.id}:capture`);
  await expect(page.getByRole("link", { name: /^Receipt / })).toHaveAttribute("href", /^\/receipts\//);
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: "test-results/screenshots/payment-detail.png", fullPage: true });

  // Another merchant's id (or a made-up one) is "not found", not a leak. (The page streams behind its
  // loading state, so Next answers 200 with its not-found page and a noindex tag.)
  await page.goto("/payments/pay_00000000000000000000000000");
  await expect(page.getByText("This page could not be found.")).toBeVisible();
});

test("balances: accounts, entry history and transfers with the ledger's checks", async ({ page }) => {
  await signIn(page, "owner");
  await pay(page, { amount: 2_000 }); // makes sure the USD merchant accounts exist and hold money
  const secretKey = await key(page);
  const headers = () => ({ authorization: `Bearer ${secretKey}`, "idempotency-key": `e2e-acct-${Date.now()}-${Math.random()}` });
  const stamp = Date.now().toString(36); // base 36: a 13-digit number in a body can pass Luhn and be refused as card data
  const float = await (await page.request.post("/api/v1/accounts", { data: { currency: "USD", purpose: "merchant_balance", name: `E2E float ${stamp}` }, headers: headers() })).json();
  const wallet = await (await page.request.post("/api/v1/accounts", { data: { currency: "USD", purpose: "customer_wallet", name: `E2E wallet ${stamp}` }, headers: headers() })).json();
  const accounts = await (await page.request.get("/api/v1/accounts?currency=USD&limit=100", { headers: { authorization: `Bearer ${secretKey}` } })).json();
  const pending = (accounts.data as { id: string; code: string | null }[]).find((a) => a.code === "merchant_pending")!;
  expect(pending).toBeDefined();

  await page.goto("/balances");
  await expect(page.getByTestId("accounts-table")).toContainText(wallet.id);
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: "test-results/screenshots/balances.png", fullPage: true });

  const transfer = async (from: string, to: string, amount: string) => {
    await page.getByLabel("From", { exact: true }).selectOption(from);
    await page.getByLabel("To", { exact: true }).selectOption(to);
    await page.getByLabel(/^Amount/).fill(amount);
    await page.getByRole("button", { name: "Transfer", exact: true }).click();
  };
  await transfer(pending.id, float.id, "5.00");
  await expect(page.getByRole("status").filter({ hasText: /Transfer trf_/ })).toBeVisible();
  await transfer(float.id, wallet.id, "5.00");
  await expect(page.getByRole("status").filter({ hasText: /Transfer trf_/ })).toBeVisible();
  // More than the wallet holds: the ledger's floor check answers, exactly as through the API.
  await transfer(wallet.id, float.id, "50.00");
  await expect(page.getByRole("alert").filter({ hasText: "Insufficient funds" })).toBeVisible();

  await page.goto(`/balances?account=${wallet.id}`);
  await expect(page.getByRole("heading", { name: `Entries of E2E wallet ${stamp}` })).toBeVisible();
  await expect(page.getByTestId("entries-table")).toContainText("$5.00");
  await expectNoSeriousA11yViolations(page);
});

test("disputes page and a viewer's read-only balances", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/disputes");
  await expect(page.getByRole("heading", { name: "Disputes", level: 1 })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: "test-results/screenshots/disputes.png", fullPage: true });
  await page.goto("/balances");
  await expect(page.getByText("Your role can view balances but not move money.")).toBeVisible();
  const transfer = await page.request.post("/api/dashboard/transfers", {
    data: { from_account: "acct_00000000000000000000000000", to_account: "acct_00000000000000000000000001", amount: "1.00", currency: "USD" },
    headers: { origin: new URL(page.url()).origin, "idempotency-key": `viewer-${Date.now()}` },
  });
  expect(transfer.status()).toBe(403);
});
