// Sign in, create an API key that is shown once, use it, revoke it, and see it fail; roles and sign-out.
import { DEMO, expect, expectNoSeriousA11yViolations, signIn, test } from "./fixtures";

test("the owner creates a key, sees it once, uses it, revokes it, and it fails at once", async ({ page, baseURL }) => {
  await signIn(page, "owner");
  await page.getByRole("link", { name: "Developers" }).click();
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);

  const name = `e2e key ${Date.now().toString(36)}`; // base 36: a 13-digit number in a body can pass Luhn and be refused as card data
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  const secret = (await page.getByTestId("new-secret").textContent())!.trim();
  expect(secret).toMatch(/^sk_test_[A-Za-z0-9_-]{40,}$/);
  await page.screenshot({ path: "test-results/screenshots/api-keys.png", fullPage: true });

  // Shown once: after a reload only the prefix remains.
  await page.reload();
  await expect(page.getByTestId("new-secret")).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText(secret.slice(0, 12));

  const call = () => fetch(`${baseURL}/api/v1/merchant`, { headers: { authorization: `Bearer ${secret}` } });
  const before = await call();
  expect(before.status).toBe(200);
  expect((await before.json()).object).toBe("merchant");

  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("row", { name: new RegExp(name) }).getByRole("button", { name: /Revoke/ }).click();
  await expect(page.getByRole("row", { name: new RegExp(name) })).toContainText("Revoked");

  const after = await call();
  expect(after.status).toBe(401);
  expect((await after.json()).error.type).toBe("authentication_error");
});

test("a viewer sees keys but cannot create them, in the page or through the endpoint", async ({ page }) => {
  await signIn(page, "viewer");
  await page.goto("/developers/api-keys");
  await expect(page.getByText("Your role can view keys but not create or revoke them.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Create key" })).toHaveCount(0);
  const response = await page.request.post("/api/dashboard/api-keys", {
    data: { name: "sneaky" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(403);
  expect((await response.json()).error.type).toBe("permission_error");
});

test("a cross-site request with the session cookie is refused", async ({ page }) => {
  await signIn(page, "owner");
  const response = await page.request.post("/api/dashboard/api-keys", {
    data: { name: "csrf" },
    headers: { origin: "https://evil.example" },
  });
  expect(response.status()).toBe(403);
  expect((await response.json()).error.code).toBe("cross_site_request");
});

test("sign-out ends the session", async ({ page }) => {
  await signIn(page, "staff");
  await expect(page.getByTestId("current-user")).toContainText(DEMO.staff.email);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("a wrong password is refused with a clear message, and the page is accessible", async ({ page }) => {
  await page.goto("/sign-in");
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel("Email").fill(DEMO.admin.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "don't match" })).toBeVisible();
});
