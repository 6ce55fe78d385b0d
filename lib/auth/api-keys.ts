// Secret API keys: random, shown once, stored only as a SHA-256 hash, revocable, optionally scoped.
import { createHash, randomBytes } from "node:crypto";
import { AppError } from "@/lib/api/errors";
import { recordAuditEvent, type Actor } from "@/lib/compliance/record-audit-event";
import { db, sqlPool } from "@/lib/db/client";
import { newId } from "@/lib/ids";
import type { ApiKeyDto, TCreateApiKeyRequest } from "./api-keys.types";
import type { Scopes } from "./scopes";

const SECRET_BYTES = 32;
const PREFIX_LENGTH = 12;
/** last_used_at is written at most this often per key, so authentication is not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** SHA-256 of the secret, base64url: hex digests contain long digit runs that look like card numbers to a PAN scan. */
export function hashSecret(secret: string): string {
  return createHash("sha256").update(secret).digest("base64url");
}

type ApiKeyRow = {
  id: string;
  name: string;
  kind: string;
  prefix: string;
  scopes: unknown;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};
const apiKeySelect = { id: true, name: true, kind: true, prefix: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

function toDto(row: ApiKeyRow): ApiKeyDto {
  return {
    id: row.id,
    object: "api_key",
    name: row.name,
    kind: row.kind === "restricted" ? "restricted" : "secret",
    prefix: row.prefix,
    scopes: (row.scopes as Record<string, string> | null) ?? null,
    created: row.createdAt.toISOString(),
    last_used: row.lastUsedAt?.toISOString() ?? null,
    revoked: row.revokedAt?.toISOString() ?? null,
  };
}

export async function createApiKey(
  input: TCreateApiKeyRequest & { merchantId: string; actor: Actor; mode?: "test" | "live" },
): Promise<{ apiKey: ApiKeyDto; secret: string }> {
  if (input.kind === "restricted" && !input.scopes) {
    throw new AppError("parameter_missing", "A restricted key needs scopes, e.g. { \"payments\": \"write\" }.", { param: "scopes" });
  }
  if (input.kind === "secret" && input.scopes) {
    throw new AppError("parameter_invalid", "Only restricted keys take scopes.", { param: "scopes" });
  }
  const mode = input.mode ?? "test";
  const secret = `${input.kind === "restricted" ? "rk" : "sk"}_${mode}_${randomBytes(SECRET_BYTES).toString("base64url")}`;
  const row = await db().$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: {
        id: newId("apiKey"),
        merchantId: input.merchantId,
        name: input.name,
        kind: input.kind,
        prefix: secret.slice(0, PREFIX_LENGTH),
        secretHash: hashSecret(secret),
        scopes: input.kind === "restricted" ? (input.scopes as object) : undefined,
        createdBy: input.actor.id,
      },
      select: apiKeySelect,
    });
    await recordAuditEvent(
      { merchantId: input.merchantId, actor: input.actor, action: "api_key.created", target: { type: "api_key", id: created.id }, data: { name: input.name, kind: input.kind } },
      tx,
    );
    return created;
  });
  return { apiKey: toDto(row), secret };
}

export async function listApiKeys(merchantId: string): Promise<ApiKeyDto[]> {
  const rows = await db().apiKey.findMany({ where: { merchantId }, orderBy: { createdAt: "desc" }, select: apiKeySelect, take: 200 });
  return rows.map(toDto);
}

export async function revokeApiKey(input: { merchantId: string; apiKeyId: string; actor: Actor }): Promise<ApiKeyDto> {
  return db().$transaction(async (tx) => {
    // Guarded update: only an unrevoked key of this merchant changes; a repeat returns the revoked key.
    const changed = await tx.apiKey.updateMany({
      where: { id: input.apiKeyId, merchantId: input.merchantId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const row = await tx.apiKey.findFirst({ where: { id: input.apiKeyId, merchantId: input.merchantId }, select: apiKeySelect });
    if (!row) throw new AppError("resource_missing", `No such API key: '${input.apiKeyId}'`, { param: "id" });
    if (changed.count === 1) {
      await recordAuditEvent({ merchantId: input.merchantId, actor: input.actor, action: "api_key.revoked", target: { type: "api_key", id: row.id } }, tx);
    }
    return toDto(row);
  });
}

export type AuthenticatedKey = { apiKeyId: string; merchantId: string; scopes: Scopes | null };

/** Resolves a bearer secret to its merchant; unknown, malformed or revoked keys fail the same way. */
export async function authenticateApiKey(secret: string | null): Promise<AuthenticatedKey> {
  if (!secret || !/^(sk|rk)_(test|live)_[A-Za-z0-9_-]{20,}$/.test(secret)) {
    throw new AppError("authentication_required", "Invalid API key provided. Pass a secret key as 'Authorization: Bearer sk_test_…'.");
  }
  // Every API request runs this: a named prepared statement on the pg pool (planned once per connection)
  // rather than a Prisma query, whose client-side cost was the largest single item of a transfer request.
  const { rows } = await sqlPool().query<{ id: string; merchant_id: string; kind: string; scopes: unknown; revoked_at: Date | null; last_used_at: Date | null }>({
    name: "auth_api_key_v1",
    text: `SELECT id, merchant_id, kind, scopes, revoked_at, last_used_at FROM api_keys WHERE secret_hash = $1`,
    values: [hashSecret(secret)],
  });
  const row = rows[0];
  if (!row || row.revoked_at) {
    throw new AppError("authentication_required", `Invalid API key provided: ${secret.slice(0, PREFIX_LENGTH)}…`);
  }
  const now = Date.now();
  if (!row.last_used_at || now - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
    await sqlPool().query({ name: "auth_api_key_used_v1", text: `UPDATE api_keys SET last_used_at = $2 WHERE id = $1`, values: [row.id, new Date(now)] });
  }
  return { apiKeyId: row.id, merchantId: row.merchant_id, scopes: row.kind === "restricted" ? ((row.scopes as Scopes) ?? {}) : null };
}
