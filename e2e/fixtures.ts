// Shared Playwright fixtures: signing in as a demo user, an axe accessibility check, and a guard that
// refuses to run against anything but a local Settle.
import AxeBuilder from "@axe-core/playwright";
import { expect, test as base, type Page } from "@playwright/test";

export const DEMO = {
  owner: { email: "owner@demo.settle.test", password: "settle-demo-owner" },
  admin: { email: "admin@demo.settle.test", password: "settle-demo-admin" },
  staff: { email: "staff@demo.settle.test", password: "settle-demo-staff" },
  viewer: { email: "viewer@demo.settle.test", password: "settle-demo-viewer" },
} as const;

export async function signIn(page: Page, who: keyof typeof DEMO): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(DEMO[who].email);
  await page.getByLabel("Password").fill(DEMO[who].password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Generous: the first sign-in of a run pays for scrypt (32 MiB, deliberately slow) on a busy 2-core box.
  await expect(page).toHaveURL(/\/dashboard$/, { timeout: 30_000 });
}

export async function expectNoSeriousA11yViolations(page: Page): Promise<void> {
  // Next streams the metadata: right after a navigation or router.refresh() the <title> can still be on
  // its way. Judge the settled page (a page that never gets a title still fails here, and in axe).
  await expect(page).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

export const test = base.extend({
  baseURL: async ({ baseURL }, use) => {
    const host = new URL(baseURL!).hostname;
    if (!["localhost", "127.0.0.1", "[::1]"].includes(host)) throw new Error(`e2e tests only run against a local Settle, not ${host}`);
    await use(baseURL);
  },
});
export { expect };
