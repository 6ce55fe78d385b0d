// Whether the merchant's audit hash chain verifies, and up to where.
import type { ChainVerification } from "@/lib/compliance/verify-audit-chain";

export function AuditChainStatus({ verification }: { verification: ChainVerification }) {
  const { ok, verifiedUpToSeq, verifiedCount, unsealedCount, brokenAt } = verification;
  return (
    <section
      aria-labelledby="chain-heading"
      data-testid="chain-status"
      className={`mb-6 rounded-xl border p-4 text-sm ${ok ? "border-emerald-300 bg-emerald-50" : "border-red-300 bg-red-50"}`}
    >
      <h2 id="chain-heading" className={`font-semibold ${ok ? "text-emerald-900" : "text-red-900"}`}>
        {ok ? "Audit chain intact" : "Audit chain broken"}
      </h2>
      {ok ? (
        <p className="mt-1 text-emerald-900">
          {verifiedUpToSeq === null ? "Nothing sealed yet." : `Verified up to seq ${verifiedUpToSeq} (${verifiedCount} sealed entries).`}{" "}
          {unsealedCount > 0 && `${unsealedCount} newer ${unsealedCount === 1 ? "entry is" : "entries are"} waiting to be sealed (every few seconds).`}
        </p>
      ) : (
        <p className="mt-1 text-red-900">
          Broken at seq {brokenAt!.seq.toString()} (<code>{brokenAt!.id}</code>): {brokenAt!.reason.replaceAll("_", " ")}. Entries up to seq{" "}
          {verifiedUpToSeq?.toString() ?? "—"} are intact. Investigate before trusting later entries.
        </p>
      )}
    </section>
  );
}
