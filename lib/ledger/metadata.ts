// Metadata is a small JSON object of the caller's own keys; bigints inside it are stored as strings.
export function metadataJson(metadata: Record<string, unknown> | undefined): string {
  return JSON.stringify(metadata ?? {}, (_key, value) => (typeof value === "bigint" ? value.toString() : value));
}
