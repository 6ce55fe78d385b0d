// The chaos harness's API client: payments, refunds and wallet transfers with an Idempotency-Key per
// operation, retried under the SAME key on 5xx/429/409-in-progress/connection errors/timeouts until the
// operation's deadline. Every operation ends ok (2xx), failed (a definitive 4xx) or unknown.
// The control variant (broken: true) sends a NEW key on each retry — what a client without idempotency
// does — so a request that committed but whose answer was lost is executed twice.
import { randomBytes } from "node:crypto";

export type OpKind = "transfer" | "payment" | "refund";
export type Outcome = "ok" | "failed" | "unknown";

export type Operation = {
  n: number;
  kind: OpKind;
  /** The operation's identity (also sent as metadata.chaos_op where the API takes metadata). */
  opId: string;
  /** Every Idempotency-Key sent for it (one in the correct client; one per attempt in the broken one). */
  keys: string[];
  body: Record<string, unknown>;
  outcome: Outcome;
  status: number | null;
  objectId: string | null;
  attempts: number;
  startedAt: number;
  endedAt: number;
  lastError?: string;
  /** Set when an unknown outcome was later resolved by replaying its key. */
  resolvedBy?: "replay";
  errorCode?: string;
};

export type ClientOptions = {
  baseUrl: () => string;
  secret: string;
  broken?: boolean;
  /** Per-attempt timeout. */
  attemptTimeoutMs?: number;
  /** How long an operation keeps retrying before it is recorded as unknown. */
  opDeadlineMs?: number;
};

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);
/** 409s that mean "not yet", not "never": another attempt with this key is still running, or a lock wait timed out. */
const RETRYABLE_CODES = new Set(["idempotency_key_in_use", "lock_timeout"]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const runTag = randomBytes(3).toString("hex");

export class ChaosClient {
  readonly operations: Operation[] = [];
  private counter = 0;
  constructor(readonly options: ClientOptions) {}

  private path(kind: OpKind): string {
    return kind === "transfer" ? "/api/v1/transfers" : kind === "payment" ? "/api/v1/payments" : "/api/v1/refunds";
  }

  newOperation(kind: OpKind, body: Record<string, unknown>): Operation {
    const n = ++this.counter;
    const opId = `chaos_${runTag}_${kind}_${n}`;
    const withMeta = kind === "refund" ? body : { ...body, metadata: { chaos_op: opId } };
    const op: Operation = { n, kind, opId, keys: [opId], body: withMeta, outcome: "unknown", status: null, objectId: null, attempts: 0, startedAt: Date.now(), endedAt: 0 };
    this.operations.push(op);
    return op;
  }

  /** One HTTP attempt with a given key: a definitive answer, or null when it must be retried. */
  async attempt(op: Operation, key: string): Promise<{ status: number; body: Record<string, any> } | null> {
    op.attempts++;
    const timeoutMs = this.options.attemptTimeoutMs ?? 15_000;
    // An AbortController we hold ourselves plus a hard race: a fetch must never outlive its timeout
    // (a run once hung on a fetch whose AbortSignal.timeout() never fired).
    const controller = new AbortController();
    const timers: NodeJS.Timeout[] = [];
    try {
      const work = (async () => {
        const response = await fetch(`${this.options.baseUrl()}${this.path(op.kind)}`, {
          method: "POST",
          headers: { authorization: `Bearer ${this.options.secret}`, "content-type": "application/json", "idempotency-key": key, "x-forwarded-for": `10.9.${op.n % 250}.${1 + (op.n % 249)}` },
          body: JSON.stringify(op.body),
          signal: controller.signal,
        });
        return { response, text: await response.text() };
      })();
      const hard = new Promise<never>((_, reject) => {
        timers.push(setTimeout(() => controller.abort(), timeoutMs));
        timers.push(setTimeout(() => reject(Object.assign(new Error("client timeout"), { name: "TimeoutError" })), timeoutMs + 1_000));
      });
      work.catch(() => {});
      const { response, text } = await Promise.race([work, hard]);
      let body: Record<string, any> = {};
      try {
        body = JSON.parse(text);
      } catch {
        body = { raw: text.slice(0, 200) };
      }
      op.status = response.status;
      if (RETRYABLE_STATUS.has(response.status) || RETRYABLE_CODES.has(body?.error?.code)) {
        op.lastError = `HTTP ${response.status} ${body?.error?.code ?? ""}`.trim();
        return null;
      }
      return { status: response.status, body };
    } catch (error) {
      op.lastError = ["TimeoutError", "AbortError"].includes((error as Error).name) ? "client timeout" : `${(error as Error).message} ${(error as { cause?: { code?: string } }).cause?.code ?? ""}`.trim();
      return null;
    } finally {
      for (const timer of timers) clearTimeout(timer);
    }
  }

  private settle(op: Operation, answer: { status: number; body: Record<string, any> }): void {
    op.status = answer.status;
    if (answer.status >= 200 && answer.status < 300) {
      op.outcome = "ok";
      op.objectId = String(answer.body.id ?? "");
    } else {
      op.outcome = "failed";
      op.errorCode = answer.body?.error?.code;
      // A declined payment still exists (status failed) and carries an id in the error message.
      const match = String(answer.body?.error?.message ?? "").match(/\b(pay_[a-z0-9]+)\b/);
      if (match) op.objectId = match[1]!;
    }
    op.endedAt = Date.now();
  }

  async run(op: Operation, stopAt: number): Promise<Operation> {
    const deadline = Math.min(stopAt, Date.now() + (this.options.opDeadlineMs ?? 30_000));
    let backoffMs = 100;
    for (;;) {
      let key = op.keys[0]!;
      if (this.options.broken && op.attempts > 0) {
        key = `${op.opId}_retry${op.attempts}`;
        op.keys.push(key);
      }
      const answer = await this.attempt(op, key);
      if (answer) {
        this.settle(op, answer);
        return op;
      }
      if (Date.now() + backoffMs > deadline) break;
      await sleep(backoffMs);
      backoffMs = Math.min(2_000, backoffMs * 2);
    }
    op.outcome = "unknown";
    op.endedAt = Date.now();
    return op;
  }

  /** After the faults: replays every unknown operation with its (first) key until it is definitive. */
  async resolveUnknowns(deadlineMs: number): Promise<void> {
    const unknown = this.operations.filter((op) => op.outcome === "unknown");
    await Promise.all(
      unknown.map(async (op) => {
        const stopAt = Date.now() + deadlineMs;
        while (Date.now() < stopAt) {
          const answer = await this.attempt(op, op.keys.at(-1)!);
          if (answer) {
            this.settle(op, answer);
            op.resolvedBy = "replay";
            return;
          }
          await sleep(1_000);
        }
      }),
    );
  }
}
