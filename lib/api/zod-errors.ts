// Turns a zod failure into the one AppError a client should see, with Stripe-style `param` names.
import type { z } from "zod";
import { AppError } from "./errors";

/** ["metadata", "order"] → "metadata[order]"; ["items", 0, "amount"] → "items[0][amount]" */
export function paramName(path: readonly PropertyKey[]): string {
  const [head, ...rest] = path.map(String);
  return (head ?? "") + rest.map((part) => `[${part}]`).join("");
}

export function zodToAppError(error: z.ZodError): AppError {
  const issue = error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const key = issue.keys[0]!;
    const param = paramName([...issue.path, key]);
    return new AppError("parameter_unknown", `Received unknown parameter: ${param}`, { param });
  }
  const param = paramName(issue.path);
  const missing = issue.code === "invalid_type" && /received undefined/.test(issue.message);
  if (missing) return new AppError("parameter_missing", `Missing required param: ${param}.`, { param });
  return new AppError("parameter_invalid", param ? `Invalid ${param}: ${issue.message}` : issue.message, { param: param || undefined });
}
