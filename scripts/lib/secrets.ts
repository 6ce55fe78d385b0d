// Development secrets generated once per machine and kept in .data/secrets.json, so `npm start`
// needs no configuration and a second start keeps sessions and encrypted data readable.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export type LocalSecrets = { AUTH_SECRET: string; ENCRYPTION_KEK: string; AUDIT_HMAC_KEY: string };

export function loadOrCreateSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, "secrets.json");
  const current: Partial<LocalSecrets> = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const secrets: LocalSecrets = {
    AUTH_SECRET: current.AUTH_SECRET ?? randomBytes(32).toString("base64url"),
    ENCRYPTION_KEK: current.ENCRYPTION_KEK ?? randomBytes(32).toString("base64"),
    AUDIT_HMAC_KEY: current.AUDIT_HMAC_KEY ?? randomBytes(32).toString("base64"),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
