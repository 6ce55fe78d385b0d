// Customers in the dashboard: decrypted for staff, masked for viewers, exact-email search through the
// blind index, and an admin's GDPR export and erasure — each access visible in the audit log.
import { expect, expectNoSeriousA11yViolations, signIn, test } from "./fixtures";

test("staff see decrypted customers and find one by exact email", async ({ page }) => {
  await signIn(page, "staff");
  await page.getByRole("link", { name: "Customers" }).click();
  await expect(page.getByRole("heading", { name: "Customers", level: 1 })).toBeVisible();
  await expect(page.getByTestId("customer-row").filter({ hasText: "Ada Lovelace" })).toContainText("ada@example.com");
  await expectNoSeriousA11yViolations(page);

  await page.getByLabel("Exact email").fill("GRACE@example.com");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("customer-row")).toHaveCount(1);
  await expect(page.getByTestId("customer-row")).toContainText("Grace Hopper");
  await page.getByRole("link", { name: /^cus_/ }).click();
  await expect(page.getByTestId("customer-details")).toContainText("+1 202 555 0143");
  // Staff may read, not erase.
  await expect(page.getByRole("button", { name: "Erase personal data" })).toHaveCount(0);
});

test("a viewer sees personal data masked", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/customers");
  await expect(page.getByText("Your role (viewer) sees personal data masked.")).toBeVisible();
  const ada = page.getByTestId("customer-row").filter({ hasText: "a••@e••••••.com" }).first();
  await expect(ada).toBeVisible();
  await expect(page.getByText("Lovelace")).toHaveCount(0);
  await expect(page.getByText("ada@example.com")).toHaveCount(0);
});

test("an admin exports and erases a customer; both show in the audit log", async ({ page }) => {
  await signIn(page, "admin");
  await page.goto("/customers?email=alan%40example.com");
  await page.getByRole("link", { name: /^cus_/ }).click();
  await expect(page).toHaveURL(/\/customers\/cus_[0-9a-z]{26}$/);
  const customerId = new URL(page.url()).pathname.split("/").at(-1)!;
  await expect(page.getByTestId("customer-details")).toContainText("alan@example.com");
  await expectNoSeriousA11yViolations(page);

  const exported = await page.request.get(`/customers/${customerId}/export`);
  expect(exported.status()).toBe(200);
  const body = await exported.json();
  expect(body).toMatchObject({ object: "customer_data_export", customer: { id: customerId, email: "alan@example.com", name: "Alan Turing" } });

  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Erase personal data" }).click();
  await expect(page.getByRole("heading", { name: "Erased customer" })).toBeVisible();
  await expect(page.getByTestId("customer-details")).not.toContainText("alan@example.com");
  await page.goto("/customers?email=alan%40example.com");
  await expect(page.getByText("No customers found.")).toBeVisible();

  await page.goto(`/audit-log?target=${customerId}`);
  const actions = (await page.getByTestId("audit-row").allTextContents()).join("\n");
  for (const action of ["customer.created", "personal_data.read", "personal_data.exported", "customer.erased"]) expect(actions).toContain(action);
});
