// Steps every entry point needs before touching the database: a generated Prisma client.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export function ensurePrismaClient(root: string): void {
  const generated = path.join(root, "lib/generated/prisma/client.ts");
  const schemaDir = path.join(root, "prisma/schema");
  const newestSchema = Math.max(...readdirSync(schemaDir).map((name) => statSync(path.join(schemaDir, name)).mtimeMs));
  if (existsSync(generated) && statSync(generated).mtimeMs >= newestSchema) return;
  const result = spawnSync(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "scripts/prisma-generate.ts"), "--quiet"], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error("prisma generate failed");
}
