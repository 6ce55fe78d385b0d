// The signed-in dashboard user, re-read from the database on every request so a role change or a
// disabled account takes effect at once (the cookie only carries the user id).
import { getServerSession } from "next-auth";
import { db } from "@/lib/db/client";
import { authOptions } from "./auth-options";
import type { Role } from "./roles";

export type DashboardUser = { id: string; email: string; name: string; role: Role; merchantId: string; merchantName: string };

export async function getDashboardUser(): Promise<DashboardUser | null> {
  const session = (await getServerSession(authOptions())) as { userId?: string } | null;
  if (!session?.userId) return null;
  const user = await db().user.findUnique({
    where: { id: session.userId },
    select: { id: true, email: true, name: true, role: true, merchantId: true, disabledAt: true, merchant: { select: { name: true } } },
  });
  if (!user || user.disabledAt) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, merchantId: user.merchantId, merchantName: user.merchant.name };
}
