// Builds the Next.js app into a folder named by a hash of its sources (.next-builds/<hash>), so a
// running server is never rebuilt underneath and concurrent starts of the same sources build once.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const SOURCE_DIRS = ["app", "components", "lib", "prisma", "public"];
const SOURCE_FILES = ["next.config.js", "package-lock.json", "tsconfig.json", "postcss.config.mjs"];
const BUILDS_KEPT = 6;
/** A build younger than this may still be served by another running stack (parallel test runs). */
const BUILD_MIN_AGE_TO_PRUNE_MS = 60 * 60_000;

function walk(dir: string, out: string[]): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (!/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
}

export function sourceHash(root: string): string {
  const files: string[] = [];
  for (const dir of SOURCE_DIRS) walk(path.join(root, dir), files);
  for (const file of SOURCE_FILES) if (existsSync(path.join(root, file))) files.push(path.join(root, file));
  const hash = createHash("sha256");
  for (const file of files.sort()) {
    const stat = statSync(file);
    hash.update(`${path.relative(root, file)}:${stat.size}:${stat.mtimeMs}\n`);
  }
  return hash.digest("hex").slice(0, 16);
}

async function withLock<T>(lockDir: string, fn: () => T): Promise<T> {
  for (let waited = 0; ; waited += 1000) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      if (waited > 600_000) throw new Error(`timed out waiting for ${lockDir}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/** Returns the build folder (relative to root) to pass to `next start` as NEXT_DIST_DIR. */
export async function buildIfStale(root: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<string> {
  const buildsDir = path.join(root, ".next-builds");
  mkdirSync(buildsDir, { recursive: true });
  const distDir = path.join(".next-builds", sourceHash(root));
  await withLock(path.join(buildsDir, `${path.basename(distDir)}.lock`), () => {
    if (existsSync(path.join(root, distDir, "BUILD_ID"))) return;
    log("building the web app (first start, or sources changed)…");
    const nextTsconfig = path.join(root, "tsconfig.next.json");
    if (!existsSync(nextTsconfig)) writeFileSync(nextTsconfig, JSON.stringify({ extends: "./tsconfig.json" }, null, 2) + "\n");
    const result = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
      cwd: root,
      env: { ...env, NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: distDir },
      stdio: "inherit",
    });
    if (result.status !== 0) throw new Error("next build failed");
  });
  pruneOldBuilds(buildsDir, path.basename(distDir));
  return distDir;
}

function pruneOldBuilds(buildsDir: string, keep: string): void {
  const builds = readdirSync(buildsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.endsWith(".lock") && entry.name !== keep)
    .map((entry) => ({ name: entry.name, mtime: statSync(path.join(buildsDir, entry.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of builds.slice(BUILDS_KEPT - 1).filter((build) => Date.now() - build.mtime > BUILD_MIN_AGE_TO_PRUNE_MS)) rmSync(path.join(buildsDir, old.name), { recursive: true, force: true });
}
