// GET/POST /api/v1/risk/settings — review and block thresholds and rule configuration.
import { withApi } from "@/lib/api/with-api";
import { getRiskSettingsDto, updateRiskSettings, ZUpdateRiskSettingsRequest } from "@/lib/fraud/risk-settings";

export const GET = withApi({ auth: "secret-key", scope: { resource: "payments", access: "read" } }, async ({ merchantId }) => getRiskSettingsDto(merchantId));

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "payments", access: "write" }, body: ZUpdateRiskSettingsRequest, idempotency: "external" },
  async ({ merchantId, actor, body }) => updateRiskSettings({ merchantId, actor, ...body }),
);
