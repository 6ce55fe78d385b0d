// The review queue end to end: two payments screened through the public API at the AML report threshold
// are held; an admin approves one and rejects the other in the browser; a second decision is refused.
import { DEMO, expect, expectNoSeriousA11yViolations, signIn, test } from "./fixtures";

async function createSecretKey(page: import("@playwright/test").Page): Promise<string> {
  await page.goto("/developers/api-keys");
  await page.getByLabel("Name").fill(`e2e reviews ${Date.now().toString(36)}`);
  await page.getByRole("button", { name: "Create key" }).click();
  return (await page.getByTestId("new-secret").textContent())!.trim();
}

test("an admin approves one held payment and rejects another", async ({ page, baseURL }) => {
  await signIn(page, "admin");
  const secret = await createSecretKey(page);
  const run = Date.now().toString(36);
  const held: Record<string, { id: string }> = {};
  for (const suffix of ["approve", "reject"]) {
    const subject = `order-${run}-${suffix}`;
    const response = await fetch(`${baseURL}/api/v1/reviews/screen`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", "idempotency-key": `e2e-${subject}` },
      body: JSON.stringify({ subject_type: "payment", subject_id: subject, amount: 1_250_000, currency: "USD", customer: `cus_${run}` }),
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.outcome).toBe("review");
    expect(body.review.status).toBe("pending");
    held[suffix] = body.review;
  }

  await page.goto("/reviews");
  await expect(page.getByRole("heading", { name: "Reviews" })).toBeVisible();
  const toApprove = page.getByRole("listitem", { name: `Review of payment order-${run}-approve` });
  const toReject = page.getByRole("listitem", { name: `Review of payment order-${run}-reject` });
  await expect(toApprove.getByText("$12,500.00 USD", { exact: true })).toBeVisible();
  await expect(toApprove).toContainText("aml_report_threshold");
  await expectNoSeriousA11yViolations(page);

  // No decision without a reason.
  await expect(toApprove.getByRole("button", { name: /Approve/ })).toBeDisabled();
  await page.getByLabel(`Reason for order-${run}-approve`).fill("Invoice and customer identity checked");
  await toApprove.getByRole("button", { name: /Approve/ }).click();
  await expect(page.getByTestId(`decided-order-${run}-approve`)).toContainText("approved");
  await expect(toApprove).toHaveCount(0);

  await page.getByLabel(`Reason for order-${run}-reject`).fill("Amount does not match the customer's profile");
  await toReject.getByRole("button", { name: /Reject/ }).click();
  await expect(page.getByTestId(`decided-order-${run}-reject`)).toContainText("rejected");
  await expect(page.getByTestId(`decided-order-${run}-reject`)).toContainText("$12,500.00 USD");
  await page.screenshot({ path: "test-results/screenshots/review-queue.png", fullPage: true });

  // After a reload the decisions are still there and nothing from this run is pending.
  await page.reload();
  await expect(page.getByTestId(`decided-order-${run}-approve`)).toContainText("Invoice and customer identity checked");
  await expect(page.getByTestId(`decided-order-${run}-reject`)).toContainText("rejected");
  await expect(page.getByRole("listitem", { name: new RegExp(`order-${run}`) })).toHaveCount(0);

  // A second decision on a decided review is refused.
  const again = await page.request.post(`/api/dashboard/reviews/${held.approve!.id}/decide`, {
    data: { decision: "reject", reason: "second thoughts" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(again.status()).toBe(409);
  expect((await again.json()).error.code).toBe("invalid_state_transition");

  // The public API shows the outcomes.
  const listed = await (await fetch(`${baseURL}/api/v1/reviews?status=rejected&limit=100`, { headers: { authorization: `Bearer ${secret}` } })).json();
  expect(listed.data.map((r: { subject_id: string }) => r.subject_id)).toContain(`order-${run}-reject`);
});

test("staff cannot decide reviews, in the page or through the endpoint", async ({ page }) => {
  await signIn(page, "staff");
  await page.goto("/reviews");
  await expect(page.getByText("Only admins and owners can review held payments and transfers.")).toBeVisible();
  const response = await page.request.post("/api/dashboard/reviews/rev_nonexistent/decide", {
    data: { decision: "approve", reason: "let it through" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(403);
  expect(DEMO.staff.email).toContain("staff");
});
