// GET /api/v1/audit/verify — recompute this merchant's audit hash chain in full; reports the first broken link
import { withApi } from "@/lib/api/with-api";
import { verifyAuditChainDto } from "@/lib/compliance/audit-chain-checkpoint";

export const GET = withApi({ auth: "secret-key", scope: { resource: "reports", access: "read" } }, async ({ merchantId }) => verifyAuditChainDto(merchantId));
