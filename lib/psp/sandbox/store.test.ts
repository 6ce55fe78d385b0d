// The sandbox journal stays bounded while running: appends beyond max(floor, 2 × live size) trigger a
// compaction, and a store re-opened from the compacted journal has exactly the state it had.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Store, type Delivery, type Meta } from "./store";

const meta = (): Meta => ({ seq: 0, clockMode: "real", clockOffsetMs: 0, clockFrozenMs: 0, nextPayoutRunAt: null, bankAccountId: "ba_test" });
const dir = mkdtempSync(path.join(tmpdir(), "settle-store-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const flushed = () => new Promise((resolve) => setTimeout(resolve, 40));

describe("sandbox store journal", () => {
  it("compacts while running, keeps the file bounded and reloads the same state", async () => {
    const floor = 64 * 1024;
    const store = new Store(dir, meta, { compactMinAppendedBytes: floor });
    for (let i = 0; i < 200; i++) store.insert({ id: `pi_${i.toString(36)}`, object: "payment_intent", amount: 1000 + i, status: "requires_confirmation", metadata: {} });
    await flushed();
    const file = path.join(dir, "journal.jsonl");
    let largest = 0;
    for (let round = 0; round < 60; round++) {
      for (let i = 0; i < 200; i += 3) {
        const object = store.get(`pi_${i.toString(36)}`)!;
        object.metadata = { round: String(round), note: "x".repeat(50) };
        store.save(object.id);
      }
      store.putIdempotency(`key_${round}`, { method: "POST", path: "/v1/payment_intents", paramsKey: "p", status: 200, body: "{}", requestId: `req_${round}`, createdAt: round });
      await flushed();
      largest = Math.max(largest, statSync(file).size);
    }
    store.remove("pi_1");
    // Changes made while a compaction is running end up in the new journal too.
    for (let i = 0; i < 200; i += 2) store.save(`pi_${i.toString(36)}`);
    await store.close();
    expect(store.compactions).toBeGreaterThan(2);
    // Live state is ~60 KB here: the journal never grew past floor + 2 × live + one batch.
    expect(largest).toBeLessThan(floor + 3 * 80 * 1024);

    const reopened = new Store(dir, meta);
    expect(reopened.meta.seq).toBe(store.meta.seq);
    expect([...reopened.objects.keys()].sort()).toEqual([...store.objects.keys()].sort());
    expect(reopened.get("pi_1")).toBeUndefined();
    expect(reopened.get("pi_3")!.metadata).toEqual({ round: "59", note: "x".repeat(50) });
    expect(reopened.idempotency.size).toBe(60);
    expect(reopened.lists.get("payment_intent")).toEqual(store.lists.get("payment_intent"));
    await reopened.close();
  });

  it("keeps changes made while a compaction runs (snapshot in slices, appends kept aside)", async () => {
    const dir2 = mkdtempSync(path.join(tmpdir(), "settle-store-"));
    try {
      const store = new Store(dir2, meta, { compactMinAppendedBytes: 256 * 1024 });
      for (let i = 0; i < 6_000; i++) store.insert({ id: `ch_${i.toString(36)}`, object: "charge", amount: i, status: "pending", pad: "y".repeat(100) });
      await flushed(); // > 256 KB appended: a compaction starts with this flush
      // Interleave changes with the compaction's slices: updates, removals, inserts.
      for (let step = 0; step < 200; step++) {
        const object = store.get(`ch_${(step * 29).toString(36)}`);
        if (object) {
          object.status = `succeeded_${step}`;
          store.save(object.id);
        }
        store.remove(`ch_${(step * 31 + 7).toString(36)}`);
        store.insert({ id: `re_${step.toString(36)}`, object: "refund", amount: step });
        await new Promise((resolve) => setImmediate(resolve));
        if (step % 20 === 0) await flushed();
      }
      await store.close();
      expect(store.compactions).toBeGreaterThan(0);
      const reopened = new Store(dir2, meta);
      expect(Object.fromEntries(reopened.objects)).toEqual(Object.fromEntries(store.objects));
      expect(reopened.lists.get("refund")).toEqual(store.lists.get("refund"));
      expect(reopened.meta).toEqual(store.meta);
      await reopened.close();
    } finally {
      rmSync(dir2, { recursive: true, force: true });
    }
  });
});

describe("sandbox store: the pending-delivery index the dispatcher scans", () => {
  it("holds exactly the pending deliveries through status changes, pruning, a reload and a reset", async () => {
    const indexDir = mkdtempSync(path.join(tmpdir(), "settle-store-index-"));
    try {
      const store = new Store(indexDir, meta);
      const delivery = (i: number, status: Delivery["status"]): Delivery => ({
        id: `whdel_${i.toString(36)}`, eventId: `evt_${i.toString(36)}`, eventType: "payment_intent.succeeded", target: "config_0", url: "http://127.0.0.1:9/x",
        secret: "whsec_x", endpointId: null, status, nextAt: i, attempts: [], created: i,
      });
      const pendingByScan = () => [...store.deliveries.values()].filter((d) => d.status === "pending").map((d) => d.id).sort();
      // More than twice the retained number, so pruning runs; every third one stays pending.
      for (let i = 0; i < 10_500; i++) store.putDelivery(delivery(i, i % 3 === 0 ? "pending" : "delivered"));
      const held = delivery(20_000, "held");
      store.putDelivery(held);
      expect([...store.pendingDeliveries].sort()).toEqual(pendingByScan());
      expect(store.pendingDeliveries.size).toBe(3_500);
      // Changed in place and put again, as the dispatcher does.
      const first = store.deliveries.get("whdel_0")!;
      first.status = "delivered";
      store.putDelivery(first);
      held.status = "pending";
      store.putDelivery(held);
      expect(store.pendingDeliveries.has("whdel_0")).toBe(false);
      expect(store.pendingDeliveries.has(held.id)).toBe(true);
      expect([...store.pendingDeliveries].sort()).toEqual(pendingByScan());
      await store.close();
      const reopened = new Store(indexDir, meta);
      expect([...reopened.pendingDeliveries].sort()).toEqual([...store.pendingDeliveries].sort());
      reopened.reset(meta);
      expect(reopened.pendingDeliveries.size).toBe(0);
      await reopened.close();
    } finally {
      rmSync(indexDir, { recursive: true, force: true });
    }
  });
});
