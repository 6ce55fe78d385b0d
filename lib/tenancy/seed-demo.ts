// Demo data for a fresh install: one merchant, an owner, an admin, a staff user and a viewer.
// Runs on every start and does nothing once the demo owner exists.
import { db } from "@/lib/db/client";
import { createMerchant, createUser } from "./manage-tenancy";

export const DEMO_USERS = [
  { email: "owner@demo.settle.test", name: "Olivia Owner", role: "owner", password: "settle-demo-owner" },
  { email: "admin@demo.settle.test", name: "Adam Admin", role: "admin", password: "settle-demo-admin" },
  { email: "staff@demo.settle.test", name: "Sam Staff", role: "staff", password: "settle-demo-staff" },
  { email: "viewer@demo.settle.test", name: "Vera Viewer", role: "viewer", password: "settle-demo-viewer" },
] as const;

export type SeedResult = { merchantId: string; created: boolean };

/** Hooks that add more demo data for a merchant (ledger accounts, payments) once they exist. */
const extraSeeders: ((merchantId: string) => Promise<void>)[] = [];
export function registerDemoSeeder(seeder: (merchantId: string) => Promise<void>): void {
  extraSeeders.push(seeder);
}

export async function seedDemo(): Promise<SeedResult> {
  const system = { type: "system", id: "seed" } as const;
  const existing = await db().user.findUnique({ where: { email: DEMO_USERS[0].email }, select: { merchantId: true } });
  if (existing) {
    for (const seeder of extraSeeders) await seeder(existing.merchantId);
    return { merchantId: existing.merchantId, created: false };
  }
  const merchant = await createMerchant({ name: "Demo Coffee Roasters", country: "US", defaultCurrency: "USD", actor: system });
  for (const user of DEMO_USERS) {
    await createUser({ merchantId: merchant.id, email: user.email, name: user.name, role: user.role, password: user.password, actor: system });
  }
  for (const seeder of extraSeeders) await seeder(merchant.id);
  return { merchantId: merchant.id, created: true };
}
