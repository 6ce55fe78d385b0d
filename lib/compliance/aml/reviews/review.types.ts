// The review queue's objects and requests.
import { z } from "zod";
import { ZListQuery } from "@/lib/api/pagination";

export const ZReviewDto = z.strictObject({
  id: z.string().startsWith("rev_"),
  object: z.literal("review"),
  subject_type: z.enum(["payment", "transfer"]),
  subject_id: z.string(),
  reasons: z.array(z.object({ rule: z.string(), detail: z.string(), weight: z.number() })),
  amount: z.union([z.number(), z.string()]).nullable(),
  currency: z.string().nullable(),
  status: z.enum(["pending", "approved", "rejected"]),
  decided_by: z.string().nullable(),
  reason: z.string().nullable(),
  handler_status: z.string(),
  created: z.string(),
  decided: z.string().nullable(),
});
export type TReviewDto = z.infer<typeof ZReviewDto>;

export const ZListReviewsQuery = ZListQuery.extend({
  status: z.enum(["pending", "approved", "rejected"]).optional(),
  subject_type: z.enum(["payment", "transfer"]).optional(),
});
export type TListReviewsQuery = z.infer<typeof ZListReviewsQuery>;

export const ZDecideReviewRequest = z.strictObject({
  decision: z.enum(["approve", "reject"]),
  reason: z.string().trim().min(3).max(1000),
});
export type TDecideReviewRequest = z.infer<typeof ZDecideReviewRequest>;

export type ReviewSubjectType = "payment" | "transfer";
export type ReviewDecision = "approve" | "reject";
