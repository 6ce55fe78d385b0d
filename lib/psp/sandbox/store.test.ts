// The sandbox journal stays bounded while running: appends beyond max(floor, 2 × live size) trigger a
// compaction, and a store re-opened from the compacted journal has exactly the state it had.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Store, type Meta } from "./store";

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
});
