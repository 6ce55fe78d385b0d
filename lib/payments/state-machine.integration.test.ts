// The state machine holds in code and in the database: same pairs, guarded updates, illegal changes refused.
import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { AppError } from "@/lib/api/errors";
import { db, sqlPool } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import { makeMerchant } from "@/tests/fixtures";
import { allTransitionPairs, PAYMENT_STATUSES, PAYMENT_TRANSITIONS, type PaymentStatus } from "./state-machine";
import { transitionPayment } from "./transition-payment";

const actor = { type: "system", id: "test" } as const;

async function insertPayment(merchantId: string, status: PaymentStatus = "initiated") {
  const id = newId("payment");
  await db().payment.create({
    data: {
      id, merchantId, amount: 1000n, currency: "USD", status, captureMethod: "automatic", paymentMethodType: "card",
      paymentMethod: "pm_card_visa", idempotencyKey: randomBytes(8).toString("hex"),
      receiptNumber: randomBytes(6).toString("hex"), receiptToken: randomBytes(16).toString("hex"),
    },
  });
  return id;
}

test("the database allows exactly the transitions the code defines", async () => {
  const { rows } = await sqlPool().query<{ from_status: string; to_status: string }>("select from_status, to_status from payment_status_transitions");
  const database = rows.map((row) => `${row.from_status}->${row.to_status}`).sort();
  const code = allTransitionPairs().map(([from, to]) => `${from}->${to}`).sort();
  expect(database).toEqual(code);
});

describe("every illegal transition is refused by the database itself", () => {
  const illegal = PAYMENT_STATUSES.flatMap((from) =>
    PAYMENT_STATUSES.filter((to) => to !== from && !PAYMENT_TRANSITIONS[from].includes(to)).map((to) => [from, to] as const),
  );
  test(`${illegal.length} illegal pairs`, async () => {
    const { merchantId } = await makeMerchant();
    for (const [from, to] of illegal) {
      const id = await insertPayment(merchantId, from);
      await expect(sqlPool().query("update payments set status = $2 where id = $1", [id, to])).rejects.toThrow(/invalid_state_transition/);
      const row = await db().payment.findUniqueOrThrow({ where: { id } });
      expect(row.status).toBe(from);
    }
  });
});

describe("transitionPayment", () => {
  test("walks the happy path, writing one history row and one audit row per step, versions increasing", async () => {
    const { merchantId } = await makeMerchant();
    const id = await insertPayment(merchantId);
    const path: [PaymentStatus[], PaymentStatus][] = [[["initiated"], "pending"], [["pending"], "authorized"], [["authorized"], "captured"], [["captured"], "settled"]];
    for (const [from, to] of path) {
      const result = await db().$transaction((tx) => transitionPayment(tx, { merchantId, paymentId: id, from, to, actor }));
      expect(result.changed).toBe(true);
      expect(result.payment.status).toBe(to);
    }
    const events = await db().paymentEvent.findMany({ where: { paymentId: id }, orderBy: { id: "asc" } });
    expect(events.map((e) => `${e.fromStatus}->${e.toStatus}@${e.version}`)).toEqual([
      "initiated->pending@2", "pending->authorized@3", "authorized->captured@4", "captured->settled@5",
    ]);
    const payment = await db().payment.findUniqueOrThrow({ where: { id } });
    expect(payment.capturedAt).not.toBeNull();
    expect(payment.settledAt).not.toBeNull();
    expect(await db().auditEvent.count({ where: { targetId: id } })).toBe(4);
  });

  test("repeating a finished transition is a no-op; a stale or illegal one raises invalid_state_transition and changes nothing", async () => {
    const { merchantId } = await makeMerchant();
    const id = await insertPayment(merchantId, "authorized");
    await db().$transaction((tx) => transitionPayment(tx, { merchantId, paymentId: id, from: ["authorized"], to: "canceled", actor }));
    const again = await db().$transaction((tx) => transitionPayment(tx, { merchantId, paymentId: id, from: ["authorized"], to: "canceled", actor }));
    expect(again.changed).toBe(false);
    const capture = db().$transaction((tx) => transitionPayment(tx, { merchantId, paymentId: id, from: ["authorized"], to: "captured", actor }));
    await expect(capture).rejects.toMatchObject({ code: "invalid_state_transition" });
    await expect(
      db().$transaction((tx) => transitionPayment(tx, { merchantId, paymentId: id, from: ["captured"], to: "pending", actor })),
    ).rejects.toBeInstanceOf(AppError);
    const row = await db().payment.findUniqueOrThrow({ where: { id } });
    expect(row.status).toBe("canceled");
    expect(await db().paymentEvent.count({ where: { paymentId: id } })).toBe(1);
  });

  test("another merchant's payment is not found", async () => {
    const a = await makeMerchant("A");
    const b = await makeMerchant("B");
    const id = await insertPayment(a.merchantId);
    await expect(
      db().$transaction((tx) => transitionPayment(tx, { merchantId: b.merchantId, paymentId: id, from: ["initiated"], to: "pending", actor })),
    ).rejects.toMatchObject({ code: "resource_missing" });
  });

  test("concurrent captures of one authorization: exactly one wins", async () => {
    const { merchantId } = await makeMerchant();
    const id = await insertPayment(merchantId, "authorized");
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => db().$transaction((tx) => transitionPayment(tx, { merchantId, paymentId: id, from: ["authorized"], to: "captured", actor }))),
    );
    const changed = results.filter((r) => r.status === "fulfilled" && r.value.changed).length;
    expect(changed).toBe(1);
    expect(await db().paymentEvent.count({ where: { paymentId: id, toStatus: "captured" } })).toBe(1);
  });
});

test("the amount CHECK refuses refunding more than captured", async () => {
  const { merchantId } = await makeMerchant();
  const id = await insertPayment(merchantId, "captured");
  await sqlPool().query("update payments set amount_captured = 1000, amount_refund_reserved = 1000, amount_refunded = 1000 where id = $1", [id]);
  await expect(sqlPool().query("update payments set amount_refunded = 1001, amount_refund_reserved = 1001 where id = $1", [id])).rejects.toThrow(/payments_amounts_valid/);
});
