// Fidelity: every object the sandbox returns must match the JSON Schemas generated from stripe@23's type
// declarations (fidelity/schemas.json), and carry the keys Stripe's own example objects (fixtures3.json) carry.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv, type ValidateFunction } from "ajv";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardIntent, startHarness, type Harness } from "./test-support.ts";

const here = path.dirname(fileURLToPath(import.meta.url));
const schemas = JSON.parse(readFileSync(path.join(here, "fidelity/schemas.json"), "utf8")) as { definitions: Record<string, unknown> };
// Stripe's example objects (stripe/openapi fixtures3.json, MIT), vendored so the check always runs.
const FIXTURES_PATH = path.resolve(here, "fidelity/stripe-fixtures/fixtures3.json");

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ $id: "stripe", definitions: schemas.definitions });
const validators = new Map<string, ValidateFunction>();
const TYPE_TO_DEFINITION: Record<string, string> = {
  payment_intent: "PaymentIntent",
  payment_method: "PaymentMethod",
  charge: "Charge",
  refund: "Refund",
  dispute: "Dispute",
  balance_transaction: "BalanceTransaction",
  balance: "Balance",
  payout: "Payout",
  event: "Event",
  webhook_endpoint: "WebhookEndpoint",
  customer: "Customer",
};

function schemaErrors(object: { object: string }): string[] {
  const objectType = object.object;
  const definition = TYPE_TO_DEFINITION[object.object];
  if (!definition) return [`no schema for ${object.object}`];
  let validate = validators.get(definition);
  if (!validate) {
    validate = ajv.compile({ $ref: `stripe#/definitions/${definition}` });
    validators.set(definition, validate);
  }
  if (validate(object)) return [];
  return (validate.errors ?? []).map((e) => `${objectType}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

// Keys present in the 2026-08 fixtures that the endive types no longer have (or have as optional fields the
// sandbox leaves out on purpose). Everything else in a fixture must be present on the sandbox's object.
const FIXTURE_KEY_ALLOWLIST: Record<string, string[]> = {
  charge: ["refunds", "transfer_data", "source"],
  payment_intent: ["transfer_data"],
  customer: ["discount"],
  balance: ["connect_reserved"],
  dispute: [],
  refund: [],
};

let h: Harness;
const collected: { object: string; id?: string }[] = [];
const collect = <T extends object>(value: T): T => {
  collected.push(value as unknown as { object: string });
  return value;
};

beforeAll(async () => {
  h = await startHarness({ config: { payoutSchedule: "manual" } });
  const { stripe, control } = h;
  const customer = collect(await stripe.customers.create({ email: "fidelity@example.com", name: "Fi Delity", metadata: { a: "b" } }));
  const visa = collect(await cardIntent(stripe, "pm_card_visa", { customer: customer.id, metadata: { settle_payment_id: "fid_1" }, receipt_email: "r@example.com" }));
  collect(await stripe.paymentIntents.create({ amount: 1000, currency: "usd" }));
  collect(await cardIntent(stripe, "pm_card_visa", { capture_method: "manual" }));
  collect(await cardIntent(stripe, "pm_card_authenticationRequired", { return_url: "https://example.com/r" }));
  collect(await cardIntent(stripe, "pm_card_visa_googlePay"));
  collect(await stripe.paymentIntents.create({ amount: 1000, currency: "usd", confirm: true, payment_method: "pm_usBankAccount_success", allowed_payment_method_types: ["us_bank_account"] }));
  collect(await stripe.paymentIntents.create({ amount: 1000, currency: "eur", confirm: true, payment_method: "pm_sepaDebit_success_at", allowed_payment_method_types: ["sepa_debit"] }));
  const declined = await cardIntent(stripe, "pm_card_chargeDeclined").catch((e: Stripe.errors.StripeCardError) => e);
  collect((declined as Stripe.errors.StripeCardError).payment_intent as Stripe.PaymentIntent);
  collect(await stripe.refunds.create({ payment_intent: visa.id, amount: 100 }));
  const disputed = await cardIntent(stripe, "pm_card_createDispute");
  await control.flushScheduler();
  await control.advanceClock(400);
  await cardIntent(stripe, "pm_card_bypassPending", { amount: 50_000 });
  collect(await stripe.payouts.create({ amount: 100, currency: "usd" }));
  const payout = await control.runPayouts();
  if (payout) collect(await stripe.payouts.retrieve(payout.id));
  for (const list of [
    await stripe.paymentIntents.list({ limit: 100 }),
    await stripe.charges.list({ limit: 100 }),
    await stripe.refunds.list({ limit: 100 }),
    await stripe.disputes.list({ limit: 100 }),
    await stripe.balanceTransactions.list({ limit: 100 }),
    await stripe.payouts.list({ limit: 100 }),
    await stripe.events.list({ limit: 100 }),
    await stripe.paymentMethods.list({ limit: 100 }),
  ]) {
    for (const item of list.data) collect(item);
  }
  collect(await stripe.disputes.list({ payment_intent: disputed.id }).then((l) => l.data[0]));
  collect(await stripe.balance.retrieve());
  const endpoint = await stripe.webhookEndpoints.create({ url: "http://127.0.0.1:9/x", enabled_events: ["charge.succeeded"] });
  collect(endpoint);
  collect(await stripe.webhookEndpoints.retrieve(endpoint.id));
});
afterAll(() => h.close());

function strip<T>(value: T): T {
  // The SDK attaches lastResponse to returned objects; it is not part of the wire object.
  const { lastResponse: _lr, ...rest } = value as Record<string, unknown>;
  return rest as T;
}

describe("fidelity against stripe@23 type schemas", () => {
  it("covers every resource type the sandbox renders", () => {
    const types = new Set(collected.map((o) => o.object));
    for (const type of Object.keys(TYPE_TO_DEFINITION)) expect(types, type).toContain(type);
  });

  it("every returned object matches its generated schema (required keys, no unknown keys, nested types)", () => {
    const errors = collected.flatMap((object) => schemaErrors(strip(object)));
    expect(errors).toEqual([]);
  });

  it("every event's data.object matches the schema of its resource", () => {
    const events = collected.filter((o) => o.object === "event") as unknown as Stripe.Event[];
    expect(events.length).toBeGreaterThan(20);
    const errors = events.flatMap((event) => schemaErrors(event.data.object as { object: string }));
    expect(errors).toEqual([]);
  });

  it("the schema check can fail (tampered objects are rejected)", () => {
    const pi = strip(collected.find((o) => o.object === "payment_intent")) as Record<string, unknown>;
    expect(schemaErrors({ ...pi, object: "payment_intent", amount: "10" } as never)).not.toEqual([]);
    const { client_secret: _cs, ...missing } = pi;
    expect(schemaErrors(missing as never).join()).toMatch(/client_secret/);
    expect(schemaErrors({ ...pi, charges: { data: [] } } as never).join()).toMatch(/additional/);
  });
});

describe("key parity with Stripe's fixtures3.json", () => {
  const fixtures = (JSON.parse(readFileSync(FIXTURES_PATH, "utf8")) as { resources: Record<string, Record<string, unknown>> }).resources;
  it.each(Object.keys(TYPE_TO_DEFINITION).filter((t) => t !== "event"))("%s carries the fixture's keys", (type) => {
    const fixture = fixtures[type];
    expect(fixture).toBeDefined();
    const ours = strip(collected.find((o) => o.object === type)) as Record<string, unknown>;
    const definition = schemas.definitions[TYPE_TO_DEFINITION[type]] as { properties: Record<string, unknown> };
    const allow = new Set(FIXTURE_KEY_ALLOWLIST[type] ?? []);
    const missing = Object.keys(fixture).filter((key) => !(key in ours) && !allow.has(key) && key in definition.properties && isRequired(type, key));
    expect(missing).toEqual([]);
    const unknownToTypes = Object.keys(ours).filter((key) => !(key in definition.properties));
    expect(unknownToTypes).toEqual([]);
  });
});

function isRequired(type: string, key: string): boolean {
  const definition = schemas.definitions[TYPE_TO_DEFINITION[type]] as { required?: string[] };
  return (definition.required ?? []).includes(key);
}
