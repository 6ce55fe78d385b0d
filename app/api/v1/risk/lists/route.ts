// GET/POST/DELETE /api/v1/risk/lists — the merchant's fraud allow and block lists.
import { withApi } from "@/lib/api/with-api";
import { addRiskListEntry, listRiskListEntries, removeRiskListEntry } from "@/lib/fraud/manage-risk-lists";
import { ZCreateRiskListEntryRequest, ZDeleteRiskListEntryRequest, ZListRiskListEntriesQuery } from "@/lib/fraud/risk-lists.types";

export const GET = withApi({ auth: "secret-key", scope: { resource: "payments", access: "read" }, query: ZListRiskListEntriesQuery }, async ({ merchantId, query }) =>
  listRiskListEntries(merchantId, query),
);

export const POST = withApi(
  { auth: "secret-key", scope: { resource: "payments", access: "write" }, body: ZCreateRiskListEntryRequest, idempotency: "external" },
  async ({ merchantId, actor, body }) => addRiskListEntry({ merchantId, actor, ...body }),
);

export const DELETE = withApi(
  { auth: "secret-key", scope: { resource: "payments", access: "write" }, body: ZDeleteRiskListEntryRequest },
  async ({ merchantId, actor, body }) => removeRiskListEntry({ merchantId, actor, id: body.id }),
);
