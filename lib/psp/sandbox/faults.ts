// Fault injection for the API: failures before execution, after execution (stored), latency and dropped connections.

export type FaultKind =
  | "latency"
  | "500"
  | "502"
  | "503"
  | "429"
  | "409"
  | "reset"
  | "500_after"
  | "commit_drop"
  | "truncated_body";

export interface FaultSpec {
  kind: FaultKind;
  /** Path prefix such as `/v1/payment_intents`; a `*` matches one path segment. Default: every /v1 path. */
  path?: string;
  method?: string;
  /** One-shot: apply to this many matching requests, then remove. */
  count?: number;
  /** Probability 0..1 for each matching request (used when count is absent). */
  rate?: number;
  latencyMs?: number;
  /** Value of the `Stripe-Should-Retry` header on injected error responses. */
  shouldRetry?: boolean;
  /** For commit_drop: hold the connection this long before dropping it (a client-side timeout). */
  hangMs?: number;
}

export interface Fault extends FaultSpec {
  id: string;
  hits: number;
}

export const BEFORE_EXECUTION: FaultKind[] = ["latency", "500", "502", "503", "429", "409", "reset"];

let counter = 0;

function pathMatches(pattern: string, path: string): boolean {
  if (!pattern.includes("*")) return path.startsWith(pattern);
  const patternParts = pattern.split("/");
  const pathParts = path.split("/");
  if (pathParts.length < patternParts.length) return false;
  return patternParts.every((part, index) => part === "*" || part === pathParts[index]);
}

export class FaultRegistry {
  private faults: Fault[] = [];

  add(spec: FaultSpec): Fault {
    const fault: Fault = { ...spec, id: `fault_${++counter}`, hits: 0 };
    if (fault.count === undefined && fault.rate === undefined) fault.count = 1;
    this.faults.push(fault);
    return fault;
  }

  list(): Fault[] {
    return this.faults.map((f) => ({ ...f }));
  }

  clear(): void {
    this.faults = [];
  }

  /** Picks the faults that fire for this request (at most one per kind group), consuming one-shot counts. */
  take(method: string, path: string): Fault[] {
    const fired: Fault[] = [];
    for (const fault of this.faults) {
      if (fault.method && fault.method.toUpperCase() !== method) continue;
      if (!pathMatches(fault.path ?? "/v1/", path)) continue;
      let fire = false;
      if (fault.count !== undefined) {
        if (fault.count > 0) {
          fault.count -= 1;
          fire = true;
        }
      } else if (fault.rate !== undefined) fire = Math.random() < fault.rate;
      if (!fire) continue;
      fault.hits += 1;
      const isLatency = fault.kind === "latency";
      if (!isLatency && fired.some((f) => f.kind !== "latency")) continue;
      fired.push({ ...fault });
    }
    this.faults = this.faults.filter((f) => f.count === undefined || f.count > 0);
    return fired;
  }
}
