// The audit actor for a dashboard page render (server components have headers, not a Request).
import type { Actor } from "./record-audit-event";

export function userActorFromHeaders(userId: string, headers: Headers): Actor {
  return {
    type: "user",
    id: userId,
    ip: headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || null,
    userAgent: headers.get("user-agent"),
  };
}
