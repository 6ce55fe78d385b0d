import { startLocalPostgres } from "/work/main/scripts/lib/local-postgres.ts";
const pg = await startLocalPostgres({ dataDir: "/work/main/.data/postgres", port: 54320 });
console.log("up", pg.adminUrl);
process.on("SIGTERM", async () => { await pg.stop(); process.exit(0); });
setInterval(() => {}, 1 << 30);
