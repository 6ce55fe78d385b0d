// Email + password sign-in for the dashboard, throttled per email and per IP, every attempt audited.
import { AppError } from "@/lib/api/errors";
import { recordAuditEvent } from "@/lib/compliance/record-audit-event";
import { db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import type { Role } from "./roles";
import { verifyPassword } from "./passwords";

export type SignedInUser = { id: string; email: string; name: string; merchantId: string; role: Role };

// Compared against when the email is unknown, so response time does not reveal which emails exist.
const DUMMY_HASH = "scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

export async function signIn(input: { email: string; password: string; ip: string; userAgent?: string | null }): Promise<SignedInUser | null> {
  const env = getEnv();
  const email = input.email.trim().toLowerCase();
  const since = new Date(Date.now() - env.SIGN_IN_WINDOW_MINUTES * 60_000);
  const [byEmail, byIp] = await Promise.all([
    db().signInAttempt.count({ where: { email, succeeded: false, createdAt: { gte: since } } }),
    db().signInAttempt.count({ where: { ip: input.ip, succeeded: false, createdAt: { gte: since } } }),
  ]);
  if (byEmail >= env.SIGN_IN_FAILURES_MAX || byIp >= env.SIGN_IN_FAILURES_MAX * 4) {
    throw new AppError("rate_limited", `Too many failed sign-ins. Try again in ${env.SIGN_IN_WINDOW_MINUTES} minutes.`);
  }
  const user = await db().user.findUnique({
    where: { email },
    select: { id: true, email: true, name: true, merchantId: true, role: true, passwordHash: true, disabledAt: true },
  });
  const valid = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  const succeeded = Boolean(user && valid && !user.disabledAt);
  await db().signInAttempt.create({ data: { email, ip: input.ip, succeeded } });
  await recordAuditEvent({
    merchantId: user?.merchantId ?? null,
    actor: { type: "user", id: user?.id ?? `unknown:${email}`, ip: input.ip, userAgent: input.userAgent },
    action: succeeded ? "user.signed_in" : "user.sign_in_failed",
    target: user ? { type: "user", id: user.id } : undefined,
  });
  if (!succeeded || !user) return null;
  await db().user.update({ where: { id: user.id }, data: { lastSignInAt: new Date() }, select: { id: true } });
  return { id: user.id, email: user.email, name: user.name, merchantId: user.merchantId, role: user.role };
}
