// Hosted checkout in a real browser with the PSP sandbox's Stripe.js: success, decline then retry, 3-D
// Secure, a double click that charges once (counted at the sandbox), expiry, locale and CSP.
import type { APIRequestContext, FrameLocator, Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, signIn, test } from "./fixtures";

const SANDBOX = process.env.PSP_SANDBOX_URL ?? "http://127.0.0.1:12111";

let secretKey: string | null = null;

/** A secret API key of the demo merchant, made once through the dashboard as the owner. */
async function apiKey(page: Page): Promise<string> {
  if (secretKey) return secretKey;
  await signIn(page, "owner");
  const response = await page.request.post("/api/dashboard/api-keys", {
    data: { name: `e2e checkout ${Date.now().toString(36)}`, kind: "secret" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(response.status(), await response.text()).toBe(200);
  secretKey = (await response.json()).secret as string;
  await page.context().clearCookies();
  return secretKey;
}

async function createSession(request: APIRequestContext, key: string, body: Record<string, unknown>) {
  const response = await request.post("/api/v1/checkout/sessions", {
    data: { currency: "USD", ...body },
    headers: { authorization: `Bearer ${key}`, "idempotency-key": `e2e-${Date.now()}-${Math.random()}` },
  });
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as { id: string; url: string; amount_total: number; status: string };
}

/** Shim-specific selectors live here (spec §7.7): the sandbox's card iframe and 3DS page. */
function cardFrame(page: Page): FrameLocator {
  return page.frameLocator('[data-testid="psp-sandbox-card-frame"]');
}

async function fillCard(page: Page, number: string) {
  const frame = cardFrame(page);
  await frame.getByTestId("card-number").fill(number);
  await frame.getByTestId("card-expiry").fill(`12 / ${String((new Date().getFullYear() + 3) % 100)}`);
  await frame.getByTestId("card-cvc").fill("123");
  await frame.getByTestId("card-postal").fill("10001");
}

/** The PaymentIntents the sandbox holds for a session (our description names it), read with a secret key. */
async function sandboxIntentsFor(sessionId: string): Promise<{ id: string; status: string }[]> {
  const found: { id: string; status: string }[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    const url = `${SANDBOX}/v1/payment_intents?limit=100${after ? `&starting_after=${after}` : ""}`;
    const list = (await (await fetch(url, { headers: { authorization: "Bearer sk_test_e2e" } })).json()) as {
      data: { id: string; status: string; description: string | null }[];
      has_more: boolean;
    };
    found.push(...list.data.filter((pi) => pi.description?.includes(sessionId)));
    if (!list.has_more || list.data.length === 0) break;
    after = list.data[list.data.length - 1]!.id;
  }
  return found;
}

test("a customer pays with 4242… and gets a receipt link; totals follow their locale", async ({ page, browser }) => {
  const key = await apiKey(page);
  const session = await createSession(page.request, key, {
    line_items: [{ name: "Ethiopia Guji, 250 g", quantity: 2, unit_amount: 1450 }, { name: "Shipping", quantity: 1, unit_amount: 500 }],
    success_url: "https://shop.example/thanks",
    cancel_url: "https://shop.example/cart",
  });
  expect(session.url).toMatch(/\/checkout\/cs_/);
  expect(session.amount_total).toBe(3400);

  const response = await page.goto(new URL(session.url).pathname);
  const csp = response!.headers()["content-security-policy"]!;
  expect(csp).toContain(`script-src 'self' 'nonce-`);
  expect(csp).toContain(new URL(SANDBOX).origin);
  expect(csp).not.toContain("js.stripe.com");
  await expect(page.getByTestId("checkout-merchant")).toHaveText("Demo Coffee Roasters");
  await expect(page.getByTestId("checkout-total")).toHaveText("$34.00");
  await expect(cardFrame(page).getByTestId("psp-sandbox-marker")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: "test-results/screenshots/checkout.png", fullPage: true });

  await fillCard(page, "4242424242424242");
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByTestId("checkout-success")).toBeVisible({ timeout: 20_000 });
  const receipt = page.getByRole("link", { name: "View your receipt" });
  await expect(receipt).toHaveAttribute("href", /^\/receipts\/[A-Za-z0-9_-]{20,}$/);
  await expect(page.getByRole("link", { name: "Return to the shop" })).toHaveAttribute("href", "https://shop.example/thanks");
  await page.screenshot({ path: "test-results/screenshots/checkout-success.png", fullPage: true });

  // Reloading a paid checkout shows the success, not the form.
  await page.reload();
  await expect(page.getByTestId("checkout-success")).toBeVisible();
  const api = await page.request.get(`/api/v1/checkout/sessions/${session.id}`, { headers: { authorization: `Bearer ${key}` } });
  expect((await api.json()).status).toBe("complete");

  // A German customer sees German number formatting.
  const german = await browser.newContext({ locale: "de-DE", extraHTTPHeaders: { "accept-language": "de-DE,de;q=0.9" } });
  const germanPage = await german.newPage();
  const other = await createSession(page.request, key, { amount: 123456 });
  await germanPage.goto(`${new URL(page.url()).origin}/checkout/${other.id}`);
  await expect(germanPage.getByTestId("checkout-total")).toHaveText(/1\.234,56\s\$/);
  // The amounts are marked German; the page's words are English, so the document stays lang="en".
  await expect(germanPage.getByTestId("checkout-total")).toHaveAttribute("lang", "de-DE");
  await expect(germanPage.locator("html")).toHaveAttribute("lang", "en");
  await german.close();
  // A British customer: English words and British formatting, so the document is en-GB.
  const british = await browser.newContext({ locale: "en-GB", extraHTTPHeaders: { "accept-language": "en-GB,en;q=0.8" } });
  const britishPage = await british.newPage();
  await britishPage.goto(`${new URL(page.url()).origin}/checkout/${other.id}`);
  await expect(britishPage.locator("html")).toHaveAttribute("lang", "en-GB");
  await expect(britishPage.getByTestId("checkout-total")).toHaveText(/1,234\.56/);
  await british.close();
});

test("a declined card shows a human message, and a retry with another card succeeds", async ({ page }) => {
  const key = await apiKey(page);
  const session = await createSession(page.request, key, { amount: 2500 });
  await page.goto(`/checkout/${session.id}`);
  await fillCard(page, "4000000000009995");
  await page.getByRole("button", { name: /^Pay / }).click();
  await expect(page.getByTestId("checkout-declined")).toContainText("insufficient funds", { timeout: 20_000 });
  await expectNoSeriousA11yViolations(page);

  await fillCard(page, "4242424242424242");
  await page.getByRole("button", { name: /Try again/ }).click();
  await expect(page.getByTestId("checkout-success")).toBeVisible({ timeout: 20_000 });
  const intents = await sandboxIntentsFor(session.id);
  expect(intents).toHaveLength(2);
  expect(intents.map((pi) => pi.status).sort()).toEqual(["requires_payment_method", "succeeded"]);
});

test("a card that needs 3-D Secure opens the challenge; completing it pays", async ({ page }) => {
  const key = await apiKey(page);
  const session = await createSession(page.request, key, { amount: 4200 });
  await page.goto(`/checkout/${session.id}`);
  await fillCard(page, "4000002760003184");
  await page.getByRole("button", { name: /^Pay / }).click();
  const challenge = page.frameLocator('iframe[name="psp-sandbox-3ds"]');
  await challenge.getByTestId("3ds-complete").click({ timeout: 20_000 });
  await expect(page.getByTestId("checkout-success")).toBeVisible({ timeout: 20_000 });
});

test("failing the 3-D Secure challenge declines, and the customer can try again", async ({ page }) => {
  const key = await apiKey(page);
  const session = await createSession(page.request, key, { amount: 4300 });
  await page.goto(`/checkout/${session.id}`);
  await fillCard(page, "4000002760003184");
  await page.getByRole("button", { name: /^Pay / }).click();
  await page.frameLocator('iframe[name="psp-sandbox-3ds"]').getByTestId("3ds-fail").click({ timeout: 20_000 });
  await expect(page.getByTestId("checkout-declined")).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("button", { name: /Try again/ })).toBeEnabled();
});

test("double-clicking Pay charges once", async ({ page }) => {
  const key = await apiKey(page);
  const session = await createSession(page.request, key, { amount: 999 });
  await page.goto(`/checkout/${session.id}`);
  await fillCard(page, "4242424242424242");
  await page.getByRole("button", { name: /^Pay / }).dblclick();
  await expect(page.getByTestId("checkout-success")).toBeVisible({ timeout: 20_000 });
  const intents = await sandboxIntentsFor(session.id);
  expect(intents).toHaveLength(1);
  expect(intents[0]!.status).toBe("succeeded");
  // The same attempt sent again (a replayed request) finds the same payment, not a new charge.
  const again = await page.request.post(`/api/checkout/sessions/${session.id}/attempts`, { data: { attempt: 1, method: "card" } });
  expect((await again.json()).next).toBe("succeeded");
  expect(await sandboxIntentsFor(session.id)).toHaveLength(1);
});

test("an expired session shows the expired state and takes no payment", async ({ page }) => {
  const key = await apiKey(page);
  const session = await createSession(page.request, key, { amount: 100, expires_in_minutes: 1 });
  // Not waiting a minute: the page flips to expired when the time runs out; here we move the browser clock.
  await page.clock.install({ time: new Date() });
  await page.goto(`/checkout/${session.id}`);
  await page.clock.fastForward("02:00");
  await expect(page.getByTestId("checkout-expired")).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("the checkout works on a phone-sized screen with the keyboard only", async ({ page }) => {
  const key = await apiKey(page);
  await page.setViewportSize({ width: 375, height: 740 });
  const session = await createSession(page.request, key, { line_items: [{ name: "Filter papers", quantity: 3, unit_amount: 399 }] });
  await page.goto(`/checkout/${session.id}`);
  await expect(cardFrame(page).getByTestId("card-number")).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/checkout-phone.png", fullPage: true });
  // Tab into the card iframe and type, then Tab on to the Pay button and press Enter.
  await page.getByRole("radio", { name: "Card" }).focus();
  const frame = cardFrame(page);
  await frame.getByTestId("card-number").focus();
  await page.keyboard.type("4242424242424242");
  await page.keyboard.press("Tab");
  await page.keyboard.type(`12${String((new Date().getFullYear() + 3) % 100)}`);
  await page.keyboard.press("Tab");
  await page.keyboard.type("123");
  await page.keyboard.press("Tab");
  await page.keyboard.type("10001");
  await page.getByRole("button", { name: /^Pay / }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("checkout-success")).toBeVisible({ timeout: 20_000 });
});

test("the create call validates input and needs checkout write scope", async ({ page }) => {
  const key = await apiKey(page);
  const bad = await page.request.post("/api/v1/checkout/sessions", {
    data: { currency: "USD", amount: 100, line_items: [{ name: "x", quantity: 1, unit_amount: 100 }] },
    headers: { authorization: `Bearer ${key}`, "idempotency-key": `e2e-bad-${Date.now()}` },
  });
  expect(bad.status()).toBe(400);
  const noKey = await page.request.post("/api/v1/checkout/sessions", { data: { currency: "USD", amount: 100 } });
  expect(noKey.status()).toBe(401);
  const missing = await page.goto("/checkout/cs_00000000000000000000000000");
  expect(missing!.status()).toBe(404);
});
