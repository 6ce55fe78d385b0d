// Whether the merchant's audit hash chain verifies, and up to where: from the verifier's checkpoint plus the
// entries after it, which this page view verifies itself (lib/compliance/audit-chain-checkpoint.ts).
import type { ChainVerification } from "@/lib/compliance/verify-audit-chain";
import type { StoredCheckpoint } from "@/lib/compliance/audit-chain-checkpoint";

export function AuditChainStatus({ verification }: { verification: ChainVerification & { checkpoint?: StoredCheckpoint | null } }) {
  const { ok, verifiedUpToSeq, verifiedCount, unsealedCount, brokenAt, complete, checkpoint } = verification;
  const point = checkpoint?.point ?? null;
  const tailVerified = verifiedCount - (point?.count ?? 0);
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
          {unsealedCount > 0 && `${unsealedCount} newer ${unsealedCount === 1 ? "entry is" : "entries are"} waiting to be sealed (every few seconds).`}{" "}
          {!complete && "More entries are waiting for the verifier (every 5 minutes)."}
        </p>
      ) : brokenAt!.reason === "checkpoint_mismatch" ? (
        <p className="mt-1 text-red-900">
          The entry at seq {brokenAt!.seq.toString()} no longer matches what the last verification saw. Run a full verification (
          <code>audit:verify</code> or <code>GET /api/v1/audit/verify</code>) to pinpoint the first broken link.
        </p>
      ) : (
        <p className="mt-1 text-red-900">
          Broken at seq {brokenAt!.seq.toString()} (<code>{brokenAt!.id}</code>): {brokenAt!.reason.replaceAll("_", " ")}. Entries up to seq{" "}
          {verifiedUpToSeq?.toString() ?? "—"} are intact. Investigate before trusting later entries.
        </p>
      )}
      {checkpoint !== undefined && (
        <p data-testid="chain-checkpoint" className={`mt-1 text-xs ${ok ? "text-emerald-800" : "text-red-800"}`}>
          {point
            ? `Checkpoint: seq ${point.seq} (${checkpoint!.fullVerifiedAt ? `whole chain last verified ${checkpoint!.fullVerifiedAt.toISOString().slice(0, 16).replace("T", " ")} UTC` : "not yet verified in full"}); ${Math.max(0, tailVerified)} newer ${tailVerified === 1 ? "entry" : "entries"} verified on this view.`
            : "No checkpoint yet: the whole chain was verified on this view."}
        </p>
      )}
    </section>
  );
}
