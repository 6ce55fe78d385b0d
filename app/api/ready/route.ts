// GET /api/ready — readiness: database reachable, migrations current, background checks healthy.
import { getReadiness } from "@/lib/ops/readiness";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await getReadiness();
  return Response.json(report, { status: report.ready ? 200 : 503, headers: { "cache-control": "no-store" } });
}
