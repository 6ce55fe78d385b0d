// GET /api/v1/checkout/sessions/:id — another merchant's session is a 404, exactly like a missing one.
import { AppError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { toCheckoutSessionDto } from "./checkout-session-dto";
import type { TCheckoutSessionDto } from "./checkout-session.types";

export async function getCheckoutSession(merchantId: string, sessionId: string): Promise<TCheckoutSessionDto> {
  const row = await db().checkoutSession.findFirst({ where: { id: sessionId, merchantId } });
  if (!row) throw new AppError("resource_missing", `No such checkout session: '${sessionId}'`, { param: "id" });
  return toCheckoutSessionDto(row);
}
