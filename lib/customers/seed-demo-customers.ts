// Demo customers for a fresh install (once: skipped when the merchant has any customer).
import { registerDemoSeeder } from "@/lib/tenancy/seed-demo";
import { db } from "@/lib/db/client";
import { createCustomer } from "./create-customer";

export const DEMO_CUSTOMERS = [
  { email: "ada@example.com", name: "Ada Lovelace", phone: "+44 20 7946 0018", address: { line1: "12 St James's Square", city: "London", postal_code: "SW1Y 4JH", country: "GB" } },
  { email: "grace@example.com", name: "Grace Hopper", phone: "+1 202 555 0143", address: { city: "Arlington", state: "VA", country: "US" } },
  { email: "alan@example.com", name: "Alan Turing", address: { city: "Wilmslow", country: "GB" } },
];

registerDemoSeeder(async (merchantId) => {
  if ((await db().customer.count({ where: { merchantId } })) > 0) return;
  await db().$transaction(async (tx) => {
    for (const customer of DEMO_CUSTOMERS) await createCustomer(tx, { merchantId, actor: { type: "system", id: "seed" }, ...customer });
  });
});
