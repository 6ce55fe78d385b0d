"use client";
import { ClientForm } from "./client-form";
// The pay part of the checkout page: Stripe.js Elements (the PSP sandbox's shim in sandbox mode, already on
// the page as a classic script, so loadStripe finds window.Stripe and never calls js.stripe.com), the
// attempt/confirm/sync round trip, and the states a customer can see. Card details go from the PSP's
// iframe to the PSP only; Settle's server sees the PaymentIntent, never the card.
import { loadStripe } from "@stripe/stripe-js/pure";
import type { Stripe, StripeCardElement, StripeElements } from "@stripe/stripe-js";
import { useCallback, useEffect, useRef, useState } from "react";

type Method = "card" | "bank_debit" | "settle_wallet";
type Phase = "loading" | "ready" | "processing" | "declined" | "succeeded" | "review" | "expired" | "unavailable";

type AttemptResult = {
  attempt: number;
  payment: string;
  next: "confirm" | "processing" | "succeeded" | "declined" | "review";
  client_secret: string | null;
  message: string | null;
  receipt_url: string | null;
};

export type CheckoutFormProps = {
  sessionId: string;
  total: string;
  publishableKey: string;
  shimScriptUrl: string | null;
  sandbox: boolean;
  walletOffered: boolean;
  expiresAt: string;
  successUrl: string | null;
  initialAttempt: number;
  initialPhase: Phase;
  initialMessage: string | null;
  initialReceiptUrl: string | null;
};

/** Sandbox bank accounts (the PSP sandbox's test PaymentMethods): real bank debit needs Stripe's own UI. */
const SANDBOX_BANK_ACCOUNTS = [
  { value: "pm_usBankAccount_success", label: "Test bank ••6789 (succeeds)" },
  { value: "pm_usBankAccount_processing", label: "Test bank ••0009 (stays processing)" },
  { value: "pm_usBankAccount_insufficientFunds", label: "Test bank ••2227 (insufficient funds)" },
];
const POLL_INTERVAL_MS = 3_000;
const POLLS_MAX = 40;

async function post<T>(path: string, body: unknown): Promise<T> {
  const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const payload = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(payload?.error?.message ?? "Something went wrong. Try again.");
    (error as Error & { status?: number }).status = response.status;
    throw error;
  }
  return payload as T;
}

function ensureShim(url: string): Promise<void> {
  if (typeof window === "undefined" || (window as { Stripe?: unknown }).Stripe) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const existing = document.querySelector<HTMLScriptElement>(`script[src="${url}"]`);
    const script = existing ?? document.createElement("script");
    script.addEventListener("load", () => resolve());
    script.addEventListener("error", () => reject(new Error("The payment form could not be loaded.")));
    if (!existing) {
      script.src = url;
      document.head.appendChild(script);
    }
  });
}

export function CheckoutForm(props: CheckoutFormProps) {
  const [phase, setPhase] = useState<Phase>(props.initialPhase);
  const [message, setMessage] = useState<string | null>(props.initialMessage);
  const [receiptUrl, setReceiptUrl] = useState<string | null>(props.initialReceiptUrl);
  const [method, setMethod] = useState<Method>("card");
  const [bankAccount, setBankAccount] = useState(SANDBOX_BANK_ACCOUNTS[0]!.value);
  const [cardError, setCardError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const attemptRef = useRef(props.initialAttempt);
  const lock = useRef(false);
  const stripeRef = useRef<Stripe | null>(null);
  const elementsRef = useRef<StripeElements | null>(null);
  const cardRef = useRef<StripeCardElement | null>(null);
  const mountRef = useRef<HTMLDivElement>(null);
  const statusRef = useRef<HTMLDivElement>(null);

  const showResult = useCallback((result: AttemptResult) => {
    if (result.next === "succeeded") {
      setPhase("succeeded");
      setReceiptUrl(result.receipt_url);
      setMessage(null);
    } else if (result.next === "declined") {
      // The next press of Pay is a new attempt (a new payment); this one is finished.
      attemptRef.current = result.attempt + 1;
      setPhase("declined");
      setMessage(result.message);
    } else if (result.next === "review") {
      setPhase("review");
      setMessage(result.message);
    } else if (result.next === "processing") {
      setPhase("processing");
      setMessage(result.message);
    } else {
      attemptRef.current = result.attempt;
      setPhase("ready");
    }
  }, []);

  // Load Stripe.js and mount the card element once.
  useEffect(() => {
    if (!["ready", "declined", "loading"].includes(props.initialPhase)) return;
    let cancelled = false;
    (async () => {
      try {
        if (props.shimScriptUrl) await ensureShim(props.shimScriptUrl);
        const stripe = await loadStripe(props.publishableKey);
        if (cancelled) return;
        if (!stripe) throw new Error("The payment form could not be loaded.");
        stripeRef.current = stripe;
        const elements = stripe.elements();
        elementsRef.current = elements;
        const card = elements.create("card");
        cardRef.current = card;
        card.on("change", (event) => setCardError(event.error?.message ?? null));
        card.on("ready", () => {
          if (!cancelled) setPhase((current) => (current === "loading" ? "ready" : current));
        });
        if (mountRef.current) card.mount(mountRef.current);
      } catch (error) {
        if (!cancelled) {
          setPhase("unavailable");
          setMessage((error as Error).message);
        }
      }
    })();
    return () => {
      cancelled = true;
      cardRef.current?.destroy();
    };
  }, [props.initialPhase, props.publishableKey, props.shimScriptUrl]);

  // The session's time runs out while the page is open.
  useEffect(() => {
    const remainingMs = new Date(props.expiresAt).getTime() - Date.now();
    if (remainingMs > 2 ** 31 - 1) return;
    const timer = setTimeout(() => setPhase((current) => (current === "succeeded" || current === "processing" ? current : "expired")), Math.max(0, remainingMs));
    return () => clearTimeout(timer);
  }, [props.expiresAt]);

  // A payment that is still processing (bank debit): check again every few seconds.
  useEffect(() => {
    if (phase !== "processing") return;
    let polls = 0;
    const timer = setInterval(async () => {
      polls++;
      if (polls > POLLS_MAX) return clearInterval(timer);
      try {
        const result = await post<AttemptResult>(`/api/checkout/sessions/${props.sessionId}/sync`, { attempt: attemptRef.current });
        if (result.next !== "processing") {
          clearInterval(timer);
          showResult(result);
        }
      } catch {
        // keep waiting; the next poll tries again
      }
    }, POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [phase, props.sessionId, showResult]);

  // Move focus to the outcome so screen-reader and keyboard users land on it.
  useEffect(() => {
    if (["declined", "succeeded", "processing", "review", "expired"].includes(phase)) statusRef.current?.focus();
  }, [phase]);

  async function pay(event: React.FormEvent) {
    event.preventDefault();
    if (lock.current) return; // a second click while the first is on its way does nothing
    lock.current = true;
    setBusy(true);
    setMessage(null);
    try {
      const stripe = stripeRef.current;
      if (method === "card") {
        if (!stripe || !elementsRef.current || !cardRef.current) throw new Error("The payment form is still loading.");
        const { error } = await elementsRef.current.submit();
        if (error) {
          setCardError(error.message ?? "Check your card details.");
          return;
        }
      }
      const attempt = await post<AttemptResult>(`/api/checkout/sessions/${props.sessionId}/attempts`, { attempt: attemptRef.current, method });
      attemptRef.current = attempt.attempt;
      if (attempt.next !== "confirm" || !attempt.client_secret) return showResult(attempt);
      if (!stripe) throw new Error("The payment form is still loading.");
      const confirmation =
        method === "card"
          ? await stripe.confirmCardPayment(attempt.client_secret, { payment_method: { card: cardRef.current! } })
          : await stripe.confirmCardPayment(attempt.client_secret, { payment_method: bankAccount });
      const validation = confirmation.error?.type === "validation_error";
      if (validation) {
        setPhase("ready");
        setCardError(confirmation.error?.message ?? "Check your card details.");
        return;
      }
      // Whatever the browser heard, the server re-reads the truth from the PSP.
      const synced = await post<AttemptResult>(`/api/checkout/sessions/${props.sessionId}/sync`, { attempt: attempt.attempt });
      if (synced.next === "confirm") {
        setPhase("declined");
        setMessage(confirmation.error?.message ?? "The payment was not completed. Try again.");
        return;
      }
      showResult(synced);
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 409 && /expired/i.test((error as Error).message)) setPhase("expired");
      else setMessage((error as Error).message);
    } finally {
      lock.current = false;
      setBusy(false);
    }
  }

  if (phase === "succeeded") {
    return (
      <div ref={statusRef} tabIndex={-1} role="status" data-testid="checkout-success" className="rounded-xl border border-emerald-300 bg-emerald-50 p-5 outline-none">
        <p className="text-lg font-semibold text-emerald-900">Payment successful</p>
        <p className="mt-1 text-sm text-emerald-900">Thank you. {props.total} has been paid.</p>
        <div className="mt-4 flex flex-wrap gap-3">
          {receiptUrl && (
            <a href={receiptUrl} className="rounded-md bg-emerald-700 px-4 py-2 text-sm font-semibold text-white hover:bg-emerald-800">View your receipt</a>
          )}
          {props.successUrl && (
            <a href={props.successUrl} className="rounded-md border border-emerald-700 px-4 py-2 text-sm font-semibold text-emerald-900 hover:bg-emerald-100">Return to the shop</a>
          )}
        </div>
      </div>
    );
  }
  if (phase === "expired") {
    return (
      <div ref={statusRef} tabIndex={-1} role="status" data-testid="checkout-expired" className="rounded-xl border border-slate-300 bg-slate-100 p-5 outline-none">
        <p className="text-lg font-semibold text-slate-900">This checkout has expired</p>
        <p className="mt-1 text-sm text-slate-700">Nothing was charged. Ask the merchant for a new payment link.</p>
      </div>
    );
  }
  if (phase === "review") {
    return (
      <div ref={statusRef} tabIndex={-1} role="status" className="rounded-xl border border-amber-300 bg-amber-50 p-5 outline-none">
        <p className="text-lg font-semibold text-amber-900">Payment under review</p>
        <p className="mt-1 text-sm text-amber-900">{message}</p>
      </div>
    );
  }

  const processing = phase === "processing";
  return (
    <ClientForm onSubmit={pay} aria-labelledby="pay-heading" className="space-y-4" noValidate>
      <h2 id="pay-heading" className="text-base font-semibold text-slate-900">Payment details</h2>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Pay with</legend>
        <div className="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-3">
          {([["card", "Card"], ...(props.sandbox ? [["bank_debit", "Bank debit"]] : []), ...(props.walletOffered ? [["settle_wallet", "Settle wallet"]] : [])] as [Method, string][]).map(
            ([value, label]) => (
              <label key={value} className={`flex cursor-pointer items-center gap-2 rounded-md border px-3 py-2 text-sm ${method === value ? "border-brand-600 bg-brand-50" : "border-slate-300 bg-white"}`}>
                <input type="radio" name="method" value={value} checked={method === value} onChange={() => setMethod(value)} disabled={busy} />
                {label}
              </label>
            ),
          )}
        </div>
      </fieldset>

      <div hidden={method !== "card"}>
        <p id="card-label" className="text-sm font-medium text-slate-700">Card</p>
        <div ref={mountRef} aria-labelledby="card-label" data-testid="checkout-card-element" className={`mt-1 min-h-32 rounded-md border border-slate-300 bg-white p-1 ${props.sandbox ? "[&_iframe]:h-[184px]!" : ""}`} />
        {phase === "loading" && <p className="mt-1 text-sm text-slate-600">Loading the secure card form…</p>}
        {cardError && <p role="alert" className="mt-1 text-sm text-red-700">{cardError}</p>}
      </div>
      {method === "bank_debit" && (
        <div>
          <label htmlFor="bank-account" className="block text-sm font-medium text-slate-700">Bank account (sandbox test accounts)</label>
          <select id="bank-account" value={bankAccount} onChange={(e) => setBankAccount(e.target.value)} disabled={busy}
            className="mt-1 w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
            {SANDBOX_BANK_ACCOUNTS.map((account) => <option key={account.value} value={account.value}>{account.label}</option>)}
          </select>
          <p className="mt-1 text-xs text-slate-600">Bank debits take a few days to clear; you will see &ldquo;processing&rdquo; until then.</p>
        </div>
      )}
      {method === "settle_wallet" && <p className="text-sm text-slate-700">The amount is taken from your Settle wallet balance at once.</p>}

      <div ref={statusRef} tabIndex={-1} className="outline-none" aria-live="polite">
        {phase === "declined" && message && (
          <p role="alert" data-testid="checkout-declined" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{message} <span className="font-medium">You can try again.</span></p>
        )}
        {busy && phase !== "processing" && <p role="status" className="sr-only">Processing your payment…</p>}
        {phase === "processing" && (
          <p role="status" data-testid="checkout-processing" className="rounded-md bg-brand-50 px-3 py-2 text-sm text-brand-700">{message ?? "Processing your payment…"}</p>
        )}
        {phase === "unavailable" && message && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{message}</p>}
        {phase === "ready" && message && <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">{message}</p>}
      </div>

      <button type="submit" disabled={busy || processing || phase === "loading" || phase === "unavailable"} aria-disabled={busy || processing}
        className="w-full rounded-md bg-brand-600 px-4 py-3 text-base font-semibold text-white hover:bg-brand-700 disabled:cursor-not-allowed disabled:opacity-60">
        {busy || processing ? "Processing…" : phase === "declined" ? `Try again · ${props.total}` : `Pay ${props.total}`}
      </button>
      <p className="text-center text-xs text-slate-600">Card details are sent directly to our payment provider and never stored by the merchant.</p>
    </ClientForm>
  );
}
