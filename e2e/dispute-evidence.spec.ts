// Dispute evidence in the browser: a card payment is disputed at the PSP sandbox, the dispute shows up
// with its due date and time left; an admin uploads a PDF (listed, downloadable), a text file named .pdf
// is refused by its content, and the evidence is submitted (the file goes with it).
import type { Page } from "@playwright/test";
import { expect, expectNoSeriousA11yViolations, signIn, test } from "./fixtures";

const SANDBOX = process.env.PSP_SANDBOX_URL ?? "http://127.0.0.1:12111";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n", "latin1");

async function disputedPayment(page: Page): Promise<{ disputeId: string; secret: string }> {
  const origin = new URL(page.url()).origin;
  const key = await page.request.post("/api/dashboard/api-keys", { data: { name: `e2e disputes ${Date.now().toString(36)}`, kind: "secret" }, headers: { origin } });
  expect(key.status(), await key.text()).toBe(200);
  const secret = (await key.json()).secret as string;
  const auth = { authorization: `Bearer ${secret}` };
  const created = await page.request.post("/api/v1/payments", {
    data: { amount: 4200, currency: "USD", payment_method: "pm_card_createDispute", description: `e2e dispute ${Date.now().toString(36)}` },
    headers: { ...auth, "idempotency-key": `e2e-dispute-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}` },
  });
  expect(created.status(), await created.text()).toBe(200);
  const payment = await created.json();
  let disputeId: string | undefined;
  await expect(async () => {
    // The sandbox opens the dispute shortly after the charge; run it now and deliver its webhooks.
    await fetch(`${SANDBOX}/_sandbox/scheduler/flush`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    await fetch(`${SANDBOX}/_sandbox/webhooks/flush`, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
    const list = await (await page.request.get(`/api/v1/disputes?payment=${payment.id}`, { headers: auth })).json();
    expect(list.data).toHaveLength(1);
    disputeId = list.data[0].id;
  }).toPass({ timeout: 45_000, intervals: [500, 1000, 2000] });
  return { disputeId: disputeId!, secret };
}

test("an admin uploads an evidence file to a dispute, sees it listed and downloads it, then submits the evidence", async ({ page }) => {
  await signIn(page, "owner");
  const { disputeId, secret } = await disputedPayment(page);
  await page.goto(`/disputes#${disputeId}`);
  const card = page.getByTestId(`dispute-${disputeId}`);
  await expect(card).toBeVisible();
  // The due date is prominent, with the time left.
  await expect(card.getByTestId("evidence-due")).toContainText(/\d+ days? \d+ hours? left|Past due|left/);
  await expect(card.getByTestId("evidence-due")).toContainText("Evidence due");
  await expect(card.getByText("No files yet.")).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  // A text file named .pdf is judged by its content and refused.
  await card.getByLabel("Evidence file", { exact: true }).setInputFiles({ name: "fake.pdf", mimeType: "application/pdf", buffer: Buffer.from("just some text") });
  await card.getByRole("button", { name: "Upload file" }).click();
  await expect(card.getByRole("alert")).toContainText("PDF, PNG or JPEG");

  // A real PDF, as the receipt.
  await card.getByLabel("Evidence file", { exact: true }).setInputFiles({ name: "receipt.pdf", mimeType: "application/pdf", buffer: PDF });
  await card.getByLabel("It shows", { exact: true }).selectOption("receipt");
  await card.getByRole("button", { name: "Upload file" }).click();
  await expect(card.getByRole("status")).toContainText("Uploaded receipt.pdf");
  const files = card.getByTestId(`evidence-files-${disputeId}`);
  await expect(files.getByRole("link", { name: "receipt.pdf" })).toBeVisible();
  await expect(files).toContainText("Receipt · PDF");
  await expectNoSeriousA11yViolations(page);
  await page.screenshot({ path: "test-results/screenshots/dispute-evidence.png", fullPage: true });

  // Download it: the same bytes come back.
  const [download] = await Promise.all([page.waitForEvent("download"), files.getByRole("link", { name: "receipt.pdf" }).click()]);
  expect(download.suggestedFilename()).toBe("receipt.pdf");
  const path = await download.path();
  const { readFileSync } = await import("node:fs");
  expect(readFileSync(path).equals(PDF)).toBe(true);

  // Submit the evidence (text + the file); the dispute goes under review.
  await card.getByText("Add evidence").click();
  await card.getByLabel("Anything else").fill("Delivered and signed for; the receipt is attached.");
  page.once("dialog", (dialog) => void dialog.accept());
  await card.getByRole("button", { name: "Submit evidence" }).click();
  // Submitted: the page refreshes and the dispute leaves "Needs a response".
  await expect(page.getByTestId(`dispute-${disputeId}`)).toHaveCount(0);

  const dispute = await (await page.request.get(`/api/v1/disputes/${disputeId}`, { headers: { authorization: `Bearer ${secret}` } })).json();
  expect(dispute.status).toBe("under_review");
  expect(dispute.evidence_files).toHaveLength(1);
  expect(dispute.evidence_files[0]).toMatchObject({ filename: "receipt.pdf", field: "receipt", type: "pdf" });
  expect(dispute.evidence_files[0].submitted_at).not.toBeNull();
});
