// GET /api/v1/audit/verify — recompute this merchant's audit hash chain; reports the first broken link
import { withApi } from "@/lib/api/with-api";
import { verifyAuditChainDto } from "@/lib/compliance/verify-audit-chain";

export const GET = withApi({ auth: "secret-key", scope: { resource: "reports", access: "read" } }, async ({ merchantId }) => verifyAuditChainDto(merchantId));
