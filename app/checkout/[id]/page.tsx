import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { CheckoutForm } from "@/components/checkout-form";
import { CheckoutSummary } from "@/components/checkout-summary";
import { getCheckoutPage, getStripeJsConfig } from "@/lib/checkout";

export const metadata: Metadata = { title: "Checkout", robots: { index: false, follow: false } };
export const dynamic = "force-dynamic";

export default async function CheckoutPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, requestHeaders] = await Promise.all([params, headers()]);
  const view = await getCheckoutPage(id, requestHeaders.get("accept-language"));
  if (!view) notFound();
  const stripeJs = getStripeJsConfig();
  const nonce = requestHeaders.get("x-nonce") ?? undefined;
  const payment = view.payment;
  const phase =
    view.status === "complete" ? "succeeded"
    : view.status === "expired" ? "expired"
    : payment?.status === "review" ? "review"
    : payment && ["failed", "canceled"].includes(payment.status) ? "declined"
    : "loading";
  // The next attempt number: a new one after a failed (or no) payment, else continue the current one.
  const attempt = !payment || ["failed", "canceled"].includes(payment.status) ? view.attempt + 1 : view.attempt;
  return (
    <div className="min-h-screen bg-slate-50">
      {/* Sandbox: the PSP's Stripe.js shim as a classic script before the form, so loadStripe finds window.Stripe (spec §7.1). */}
      {stripeJs.shimScriptUrl && phase === "loading" && <script src={stripeJs.shimScriptUrl} nonce={nonce} />}
      <main id="main" className="mx-auto grid max-w-4xl gap-6 px-4 py-6 sm:py-10 md:grid-cols-2 md:gap-10">
        <CheckoutSummary view={view} />
        <section aria-label="Payment" className="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
          <CheckoutForm
            sessionId={view.id}
            total={view.total}
            publishableKey={stripeJs.publishableKey}
            shimScriptUrl={stripeJs.shimScriptUrl}
            sandbox={stripeJs.sandbox}
            walletOffered={view.walletOffered}
            expiresAt={view.expiresAt}
            successUrl={view.successUrl}
            initialAttempt={attempt}
            initialPhase={phase}
            initialMessage={payment?.message ?? null}
            initialReceiptUrl={payment?.receiptUrl ?? null}
          />
        </section>
      </main>
    </div>
  );
}
