// The circuit breaker around the PSP: after N ambiguous outcomes in a row it fails fast without calling,
// readiness reports it, and a new configuration closes it.
import { expect, test } from "vitest";

process.env.PSP_CIRCUIT_BREAKER_THRESHOLD = "2";

test("opens after two unreachable calls, fails fast without calling, shows in readiness", async () => {
  const { callPsp, configurePspGateway, getPspCircuitState } = await import("./psp-gateway");
  const { getReadiness } = await import("@/lib/ops/readiness");
  // Nothing listens on port 9 of loopback: every call is a connection error (ambiguous).
  configurePspGateway({ sandboxUrl: "http://127.0.0.1:9", maxNetworkRetries: 0, timeoutMs: 500 });
  let calls = 0;
  const call = () => callPsp("test", (stripe) => { calls++; return stripe.balance.retrieve(); }, 1);
  expect((await call()).kind).toBe("ambiguous");
  expect(getPspCircuitState().state).toBe("closed");
  expect((await call()).kind).toBe("ambiguous");
  expect(getPspCircuitState().state).toBe("open");
  const callsBefore = calls;
  const fast = await call();
  expect(fast.kind).toBe("ambiguous");
  expect(calls).toBe(callsBefore);
  const readiness = await getReadiness();
  expect(readiness.checks.psp?.ok).toBe(false);
  expect(readiness.ready).toBe(false);
  configurePspGateway(null);
  expect(getPspCircuitState().state).toBe("closed");
});
