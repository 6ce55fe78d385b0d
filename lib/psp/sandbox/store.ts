// In-memory state of the sandbox with an append-only JSONL journal (batched writes, compacted on start and
// whenever what was appended since the last compaction outgrows both a floor and twice the live state).
import { closeSync, createWriteStream, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync, type WriteStream } from "node:fs";
import { open } from "node:fs/promises";
import path from "node:path";

export type StripeObject = Record<string, any> & { id: string; object: string };
export type Internal = Record<string, any> & { seq: number };

export interface IdempotencyEntry {
  method: string;
  path: string;
  paramsKey: string;
  status: number;
  body: string;
  requestId: string;
  createdAt: number;
  inFlight?: boolean;
}

export interface Job {
  id: string;
  at: number;
  type: string;
  ref: string;
  data?: Record<string, unknown>;
  /** Short asynchronous transitions a test may run early with the scheduler flush. */
  flushable: boolean;
}

export interface DeliveryAttempt {
  at: number;
  status: number | null;
  latencyMs: number;
  error?: string;
  response?: string;
}

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  target: string;
  url: string;
  secret: string;
  endpointId: string | null;
  status: "pending" | "held" | "delivered" | "failed" | "dropped";
  nextAt: number;
  attempts: DeliveryAttempt[];
  created: number;
  duplicateOf?: string;
  /**
   * The object chain the event belongs to (its PaymentIntent, else its own object): a target gets one chain's
   * deliveries one at a time, in order; different chains are delivered side by side. Absent on deliveries
   * journaled before chains existed (each is then its own chain).
   */
  chain?: string;
}

export interface Meta {
  seq: number;
  clockMode: "real" | "frozen" | "offset";
  clockOffsetMs: number;
  clockFrozenMs: number;
  nextPayoutRunAt: number | null;
  bankAccountId: string;
}

type Kind = "o" | "i" | "j" | "d" | "m";

const FLUSH_INTERVAL_MS = 20;
const DELIVERY_RETAIN = 5000;
/**
 * Appended bytes that trigger a compaction: at least this, and at least twice the compacted (live) size,
 * so the journal stays under ~3× the live state and each rewrite is paid for by twice its size in appends.
 */
const COMPACT_MIN_APPENDED_BYTES = 64 * 1024 * 1024;

export type StoreOptions = { compactMinAppendedBytes?: number };

export class Store {
  objects = new Map<string, StripeObject>();
  internals = new Map<string, Internal>();
  /** Ids per object type in creation order. */
  lists = new Map<string, string[]>();
  idempotency = new Map<string, IdempotencyEntry>();
  jobs = new Map<string, Job>();
  deliveries = new Map<string, Delivery>();
  /**
   * Ids of the deliveries waiting for an attempt (status "pending"), in insertion order: what the dispatcher
   * scans on every pump, instead of every retained delivery (up to 2 × DELIVERY_RETAIN).
   */
  readonly pendingDeliveries = new Set<string>();
  meta: Meta;

  private dirty = new Map<string, [Kind, string]>();
  private stream: WriteStream | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private readonly file: string | null;
  private readonly compactMinAppendedBytes: number;
  /** Bytes of the journal as last compacted, and appended since. */
  private compactedBytes = 0;
  private appendedBytes = 0;
  /** Number of compactions while running (not counting the one at start). */
  compactions = 0;
  /** While a background compaction runs: what was appended since it began (re-appended to the new file). */
  private appendedDuringCompaction: string[] | null = null;
  private compacting: Promise<void> | null = null;
  /** Bumped by reset(): a background compaction that began before it is abandoned. */
  private generation = 0;

  constructor(dataDir: string | undefined, initialMeta: () => Meta, options: StoreOptions = {}) {
    this.compactMinAppendedBytes = options.compactMinAppendedBytes ?? COMPACT_MIN_APPENDED_BYTES;
    this.meta = initialMeta();
    this.file = dataDir ? path.join(dataDir, "journal.jsonl") : null;
    if (dataDir && this.file) {
      mkdirSync(dataDir, { recursive: true });
      if (existsSync(this.file)) this.load(this.file, initialMeta);
      this.compact();
      this.stream = createWriteStream(this.file, { flags: "a" });
    }
  }

  nextSeq(): number {
    this.meta.seq += 1;
    this.touchMeta();
    return this.meta.seq;
  }

  get<T extends StripeObject = StripeObject>(id: string): T | undefined {
    return this.objects.get(id) as T | undefined;
  }

  internal(id: string): Internal {
    const x = this.internals.get(id);
    if (!x) throw new Error(`no internal record for ${id}`);
    return x;
  }

  insert(object: StripeObject, internal: Omit<Internal, "seq"> = {}): void {
    const x = { ...internal, seq: this.nextSeq() } as Internal;
    this.objects.set(object.id, object);
    this.internals.set(object.id, x);
    let list = this.lists.get(object.object);
    if (!list) {
      list = [];
      this.lists.set(object.object, list);
    }
    list.push(object.id);
    this.mark("o", object.id);
  }

  /** Records that an object (or its internal record) changed. */
  save(id: string): void {
    this.mark("o", id);
  }

  remove(id: string): void {
    const object = this.objects.get(id);
    if (!object) return;
    this.objects.delete(id);
    this.internals.delete(id);
    const list = this.lists.get(object.object);
    if (list) list.splice(list.indexOf(id), 1);
    this.mark("o", id);
  }

  putIdempotency(key: string, entry: IdempotencyEntry | null): void {
    if (entry) this.idempotency.set(key, entry);
    else this.idempotency.delete(key);
    if (!entry?.inFlight) this.mark("i", key);
  }

  putJob(job: Job): void {
    this.jobs.set(job.id, job);
    this.mark("j", job.id);
  }

  deleteJob(id: string): void {
    if (this.jobs.delete(id)) this.mark("j", id);
  }

  putDelivery(delivery: Delivery): void {
    this.deliveries.set(delivery.id, delivery);
    this.indexDelivery(delivery.id, delivery);
    this.mark("d", delivery.id);
    if (this.deliveries.size > DELIVERY_RETAIN * 2) this.pruneDeliveries();
  }

  private indexDelivery(id: string, delivery: Delivery | undefined): void {
    if (delivery?.status === "pending") this.pendingDeliveries.add(id);
    else this.pendingDeliveries.delete(id);
  }

  touchMeta(): void {
    this.mark("m", "meta");
  }

  reset(initialMeta: () => Meta): void {
    this.objects.clear();
    this.internals.clear();
    this.lists.clear();
    this.idempotency.clear();
    this.jobs.clear();
    this.deliveries.clear();
    this.pendingDeliveries.clear();
    const seq = this.meta.seq;
    this.meta = { ...initialMeta(), seq };
    this.dirty.clear();
    this.generation++;
    if (this.file && this.stream) {
      this.stream.end();
      this.compact();
      this.stream = createWriteStream(this.file, { flags: "a" });
    }
  }

  private pruneDeliveries(): void {
    let excess = this.deliveries.size - DELIVERY_RETAIN;
    for (const [id, delivery] of this.deliveries) {
      if (excess <= 0) break;
      if (delivery.status === "delivered" || delivery.status === "failed") {
        this.deliveries.delete(id);
        this.pendingDeliveries.delete(id);
        this.mark("d", id);
        excess--;
      }
    }
  }

  private mark(kind: Kind, id: string): void {
    if (!this.file) return;
    this.dirty.set(`${kind}:${id}`, [kind, id]);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = null;
        this.writeDirty();
      }, FLUSH_INTERVAL_MS);
      this.flushTimer.unref();
    }
  }

  private line(kind: Kind, id: string): string {
    switch (kind) {
      case "o": {
        const v = this.objects.get(id) ?? null;
        return JSON.stringify({ k: "o", id, v, x: v ? this.internals.get(id) : null });
      }
      case "i":
        return JSON.stringify({ k: "i", id, v: this.idempotency.get(id) ?? null });
      case "j":
        return JSON.stringify({ k: "j", id, v: this.jobs.get(id) ?? null });
      case "d":
        return JSON.stringify({ k: "d", id, v: this.deliveries.get(id) ?? null });
      case "m":
        return JSON.stringify({ k: "m", id, v: this.meta });
    }
  }

  private writeDirty(): void {
    if (!this.stream || this.dirty.size === 0) return;
    const lines: string[] = [];
    for (const [kind, id] of this.dirty.values()) lines.push(this.line(kind, id));
    this.dirty.clear();
    const text = `${lines.join("\n")}\n`;
    this.stream.write(text);
    this.appendedDuringCompaction?.push(text);
    this.appendedBytes += Buffer.byteLength(text);
    if (!this.compacting && this.appendedBytes > Math.max(this.compactMinAppendedBytes, 2 * this.compactedBytes)) {
      this.compacting = this.compactInBackground()
        .catch((error) => console.error(`[psp-sandbox] journal compaction failed (the journal is intact, retrying later): ${error}`))
        .finally(() => {
          this.compacting = null;
          this.appendedDuringCompaction = null;
        });
    }
  }

  /**
   * Rewrites the journal from memory without stopping the sandbox: the snapshot is serialised in slices
   * (yielding to requests in between) and written to a side file, while appends keep going to the current
   * journal and are also kept aside; then the side file gets those appends, is fsynced and replaces the
   * journal. Replaying the side file gives the snapshot, then every change made since it began (a record
   * serialised after a change is only newer; later lines of the same key win on load). A crash before the
   * rename leaves the old journal, which has everything.
   */
  private async compactInBackground(): Promise<void> {
    const file = this.file!;
    const generation = this.generation;
    this.appendedDuringCompaction = [];
    this.appendedBytes = 0;
    const keys = this.liveKeys();
    const tmp = `${file}.compacting`;
    const handle = await open(tmp, "w");
    try {
      let bytes = 0;
      const SLICE = 2_000;
      for (let start = 0; start < keys.length; start += SLICE) {
        const text = `${keys.slice(start, start + SLICE).map(([kind, id]) => this.line(kind, id)).join("\n")}\n`;
        bytes += Buffer.byteLength(text);
        await handle.write(text);
      }
      await handle.sync(); // the bulk, off the event loop
      if (!this.stream || generation !== this.generation) return; // closed or reset meanwhile: the journal is complete without us
      // Synchronous from here to the switch, so nothing can be appended in between: the changes made
      // since the snapshot began, fsync (only that delta is still unwritten), rename, new stream.
      if (this.flushTimer) {
        clearTimeout(this.flushTimer);
        this.flushTimer = null;
      }
      this.writeDirty();
      const since = this.appendedDuringCompaction.join("");
      if (since) writeSync(handle.fd, since);
      fsyncSync(handle.fd);
      renameSync(tmp, file);
      const old = this.stream;
      this.stream = createWriteStream(file, { flags: "a" });
      old.end();
      this.compactedBytes = bytes;
      this.appendedBytes = Buffer.byteLength(since);
      this.compactions++;
    } finally {
      await handle.close();
    }
  }

  /** Every live record's journal key (in-flight idempotency entries are not journaled). */
  private liveKeys(): [Kind, string][] {
    const keys: [Kind, string][] = [["m", "meta"]];
    for (const list of this.lists.values()) for (const id of list) keys.push(["o", id]);
    for (const [key, entry] of this.idempotency) if (!entry.inFlight) keys.push(["i", key]);
    for (const id of this.jobs.keys()) keys.push(["j", id]);
    for (const id of this.deliveries.keys()) keys.push(["d", id]);
    return keys;
  }

  async close(): Promise<void> {
    await this.compacting;
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    this.writeDirty();
    const stream = this.stream;
    this.stream = null;
    if (stream) await new Promise<void>((resolve) => stream.end(resolve));
  }

  private load(file: string, initialMeta: () => Meta): void {
    const text = readFileSync(file, "utf8");
    const records: { id: string; v: StripeObject; x: Internal }[] = [];
    const objectIndex = new Map<string, number>();
    for (const raw of text.split("\n")) {
      if (!raw) continue;
      let entry: { k: Kind; id: string; v: any; x?: Internal };
      try {
        entry = JSON.parse(raw);
      } catch {
        continue; // a torn final line after a crash
      }
      switch (entry.k) {
        case "o":
          if (entry.v) {
            const index = objectIndex.get(entry.id);
            const record = { id: entry.id, v: entry.v, x: entry.x as Internal };
            if (index === undefined) {
              objectIndex.set(entry.id, records.length);
              records.push(record);
            } else records[index] = record;
          } else if (objectIndex.has(entry.id)) {
            records[objectIndex.get(entry.id) as number] = { id: entry.id, v: null as never, x: null as never };
          }
          break;
        case "i":
          if (entry.v) this.idempotency.set(entry.id, entry.v);
          else this.idempotency.delete(entry.id);
          break;
        case "j":
          if (entry.v) this.jobs.set(entry.id, entry.v);
          else this.jobs.delete(entry.id);
          break;
        case "d":
          if (entry.v) this.deliveries.set(entry.id, entry.v);
          else this.deliveries.delete(entry.id);
          this.indexDelivery(entry.id, entry.v ?? undefined);
          break;
        case "m":
          this.meta = { ...initialMeta(), ...entry.v };
          break;
      }
    }
    const live = records.filter((r) => r.v).sort((a, b) => a.x.seq - b.x.seq);
    for (const record of live) {
      this.objects.set(record.id, record.v);
      this.internals.set(record.id, record.x);
      let list = this.lists.get(record.v.object);
      if (!list) {
        list = [];
        this.lists.set(record.v.object, list);
      }
      list.push(record.id);
    }
  }

  /** Rewrites the journal as one line per live record (atomic rename). */
  private compact(): void {
    if (!this.file) return;
    const lines = this.liveKeys().map(([kind, id]) => this.line(kind, id));
    const tmp = `${this.file}.tmp`;
    const text = `${lines.join("\n")}\n`;
    // Durable before the rename replaces the old journal (a crash then leaves one complete file or the other).
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    this.compactedBytes = Buffer.byteLength(text);
    this.appendedBytes = 0;
  }

  /** Synchronous variant for process exit paths. */
  flushSync(): void {
    if (!this.file || this.dirty.size === 0) return;
    const lines: string[] = [];
    for (const [kind, id] of this.dirty.values()) lines.push(this.line(kind, id));
    this.dirty.clear();
    writeFileSync(this.file, `${lines.join("\n")}\n`, { flag: "a" });
  }
}
