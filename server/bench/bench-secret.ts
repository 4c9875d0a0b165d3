/**
 * The server secret of the bench server (server.mts). Fixed: the app role's password is derived
 * from it (the raw-SQL baseline connects as that role too), and nothing here outlives the run.
 */
export const BENCH_SECRET = "switchboard-bench-secret-not-for-production-0123456789";
