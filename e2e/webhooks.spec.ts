// Merchant webhooks in the dashboard: the owner adds an endpoint pointing at a receiver this test runs,
// sees the signing secret once, sends a test event that arrives signed, sees it in the delivery log,
// resends it; the event log shows it; a viewer cannot change endpoints and sees the email outbox masked.
import { startWebhookReceiver, type WebhookReceiver } from "../lib/notifications/testing/webhook-receiver";
import { verifyMerchantSignature } from "../lib/notifications/sign-payload";
import { expect, expectNoSeriousA11yViolations, signIn, test } from "./fixtures";

let receiver: WebhookReceiver;
test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
test.afterAll(async () => {
  await receiver.close();
});

test("the owner adds an endpoint, sees the secret once, sends a test event, sees it delivered and resends it", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/developers/webhooks");
  await expect(page.getByRole("heading", { name: "Webhooks", level: 1 })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const url = `${receiver.url}?run=${Date.now().toString(36)}`; // base 36: a 13-digit number can pass Luhn and be refused as card data
  await page.getByLabel("Endpoint URL").fill(url);
  await page.getByLabel("Events").fill("payment.captured, refund.succeeded");
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const secret = (await page.getByTestId("new-webhook-secret").textContent())!.trim();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  await expectNoSeriousA11yViolations(page);

  // Shown once: after a reload it is gone from the page.
  await page.reload();
  await expect(page.getByTestId("new-webhook-secret")).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);

  await page.getByRole("link", { name: url }).click();
  await expect(page.getByRole("heading", { name: "Webhook endpoint" })).toBeVisible();
  await expect(page.getByText("No deliveries yet")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const before = receiver.requests.length;
  await page.getByRole("button", { name: "Send test event" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Test event delivered (HTTP 200)" })).toBeVisible();
  const [request] = (await receiver.waitFor(before + 1)).slice(before);
  expect(JSON.parse(request!.body)).toMatchObject({ object: "event", type: "webhook_endpoint.test", object_version: 1 });
  expect(verifyMerchantSignature(request!.body, String(request!.headers["settle-signature"]), secret)).toBe(true);
  expect(verifyMerchantSignature(request!.body, String(request!.headers["settle-signature"]), "whsec_not_it")).toBe(false);

  const log = page.getByTestId("delivery-log");
  await expect(log.getByText("webhook_endpoint.test")).toBeVisible();
  await log.getByText("webhook_endpoint.test").click();
  await expect(log.getByRole("cell", { name: "HTTP 200" }).first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: "test-results/screenshots/webhooks.png", fullPage: true });

  await log.getByRole("button", { name: "Resend" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Resent: delivered." })).toBeVisible();
  await receiver.waitFor(before + 2);
  expect(receiver.requests[before + 1]!.body).toBe(request!.body);
  await expect(log.getByText("2 attempts")).toBeVisible();

  // The event log lists the test event.
  await page.goto("/developers/events");
  await page.getByLabel("Event type").fill("webhook_endpoint.test");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("event-log").getByText("webhook_endpoint.test").first()).toBeVisible();
  await expectNoSeriousA11yViolations(page);
});

test("a viewer sees endpoints but cannot add one, in the page or through the endpoint", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/developers/webhooks");
  await expect(page.getByText("Your role can view webhook endpoints but not change them.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Add endpoint" })).toHaveCount(0);
  const response = await page.request.post("/api/dashboard/webhooks", {
    data: { url: receiver.url, enabled_events: ["*"] },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(403);
  expect((await response.json()).error.type).toBe("permission_error");
});

test("the email outbox page is reachable and accessible", async ({ page }) => {
  await signIn(page, "owner");
  await page.goto("/developers/emails");
  await expect(page.getByRole("heading", { name: "Emails", level: 1 })).toBeVisible();
  await expect(page.getByText(/local outbox|SMTP_URL/).first()).toBeVisible();
  await expect(page.getByText("Your role (viewer) sees recipients masked")).toHaveCount(0);
  await expectNoSeriousA11yViolations(page);
});

test("a viewer's email outbox masks recipients and shows no message bodies", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/developers/emails");
  await expect(page.getByRole("heading", { name: "Emails", level: 1 })).toBeVisible();
  await expect(page.getByText("Your role (viewer) sees recipients masked and no message bodies.")).toBeVisible();
  await expect(page.getByText(/@example\.com/)).toHaveCount(0);
  await expect(page.locator("[data-testid=email-outbox] pre")).toHaveCount(0);
});
