// Event payloads and the event object merchants receive (Stripe's shape plus object_version).

/** The JSON text of an API object: bigint amounts become numbers (strings beyond 2^53), Dates ISO strings. */
export function toEventJsonText(payload: unknown): string {
  return JSON.stringify(payload ?? null, (_key, value: unknown) =>
    typeof value === "bigint"
      ? value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER)
        ? Number(value)
        : value.toString()
      : value,
  );
}

/** The same as a JSON value (toEventJsonText parsed back). */
export function toEventJsonValue(payload: unknown): unknown {
  return JSON.parse(toEventJsonText(payload)) as unknown;
}

export type MerchantEventRow = {
  id: string;
  type: string;
  objectType: string;
  objectId: string;
  objectVersion: number;
  payload: unknown;
  createdAt: Date;
};

/** The event as delivered and as returned by GET /api/v1/events/:id. */
export type MerchantEventJson = {
  id: string;
  object: "event";
  type: string;
  /** ISO 8601, like every Settle timestamp. */
  created: string;
  object_version: number;
  data: { object_type: string; object_id: string; object: unknown };
};

export function toMerchantEventJson(row: MerchantEventRow): MerchantEventJson {
  return {
    id: row.id,
    object: "event",
    type: row.type,
    created: row.createdAt.toISOString(),
    object_version: row.objectVersion,
    data: { object_type: row.objectType, object_id: row.objectId, object: row.payload },
  };
}
