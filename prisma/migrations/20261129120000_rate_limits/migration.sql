-- CreateTable
CREATE TABLE "rate_limits" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);


-- ---------------------------------------------------------------------------------------------
-- Hand-written: the brute-force brakes' counters move from each process's memory to PostgreSQL, so
-- several server processes count against the same limits (server/src/modules/auth/rate-limits.ts).
-- The layout is rate-limiter-flexible's own (key, points, expire in Unix ms); the server is told the
-- table exists and never creates it.
-- ---------------------------------------------------------------------------------------------

-- No RLS: the rows hold counters keyed by a client address, an email-and-address pair or a tenant id,
-- no tenant data, and they are read and written before anyone is authenticated (log-in, sign-up).
-- The app role needs DELETE too: a correct password clears its pair, and expired rows are swept.
GRANT SELECT, INSERT, UPDATE, DELETE ON "rate_limits" TO switchboard_app;
