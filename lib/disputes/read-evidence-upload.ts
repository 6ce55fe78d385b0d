// Reads an evidence upload's multipart form: exactly the parts `file` and optionally `field`.
import { AppError } from "@/lib/api/errors";
import { type EvidenceFileField, ZEvidenceFileField } from "./evidence-file.types";

export async function readEvidenceUpload(form: FormData): Promise<{ field: EvidenceFileField; filename: string | null; bytes: Uint8Array | null }> {
  for (const name of form.keys()) {
    if (name !== "file" && name !== "field") throw new AppError("parameter_unknown", `Received unknown parameter: ${name}`, { param: name });
  }
  if (form.getAll("file").length > 1) throw new AppError("parameter_invalid", "Upload one file per request.", { param: "file" });
  const field = ZEvidenceFileField.safeParse(form.get("field") ?? undefined);
  if (!field.success) throw new AppError("parameter_invalid", `field must be one of the evidence file fields (receipt, customer_communication, …).`, { param: "field" });
  const file = form.get("file");
  if (file === null) return { field: field.data, filename: null, bytes: null };
  if (typeof file === "string") throw new AppError("parameter_invalid", "'file' must be a file part (with a filename), not text.", { param: "file" });
  return { field: field.data, filename: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}
