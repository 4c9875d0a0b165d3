-- The work engine (server/src/jobs/): queue state moves out of the message log into a narrow `jobs`
-- table, pacing moves into the database (so several dispatchers share one pace per number), and
-- provider message ids get a look-up table of their own.
--
-- Why: every claim and outcome updated `messages` rows whose indexed columns changed (status for the
-- outbox indexes, next_attempt_at, lease_expires_at, provider_message_id), so no update was HOT and
-- each rewrote every index of the log (bench of 2026-11-26: 48,380 message updates, 0% HOT). Now a
-- send changes only unindexed message columns (status, attempts, error, provider_message_id,
-- status_changed_at), which PostgreSQL can update in place when the page has room (fillfactor).
-- The churn lands on `jobs`, a table that holds only pending work and stays small.

-- ---------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------

-- One row per pending piece of work: a message to send, later a webhook delivery to make. The row
-- is deleted when the work ends (sent, failed, given up), so the table holds the backlog only.
-- `id` is the subject's id (the message's); no foreign key, since the subject's table depends on
-- the queue: a consumer that finds its subject gone drops the job.
CREATE TABLE "jobs" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "queue" VARCHAR(32) NOT NULL,
    -- What pacing and fairness are counted by: the WhatsApp connection of a send.
    "pace_key" UUID NOT NULL,
    "run_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    -- Set while a worker holds the job (its lease); a lease that runs out goes to the consumer.
    "locked_until" TIMESTAMPTZ(3),

    CONSTRAINT "jobs_pkey" PRIMARY KEY ("tenant_id", "id"),
    CONSTRAINT "jobs_queue_known" CHECK ("queue" IN ('send_message', 'deliver_webhook'))
) WITH (fillfactor = 70, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 2000, autovacuum_vacuum_cost_delay = 0);

-- Due work per key, oldest first (claims), and the keys that have any (a loose index scan).
CREATE INDEX "jobs_due_idx" ON "jobs" ("queue", "tenant_id", "pace_key", "run_at", "id") WHERE "locked_until" IS NULL;
-- Leases to expire.
CREATE INDEX "jobs_leased_idx" ON "jobs" ("locked_until") WHERE "locked_until" IS NOT NULL;

-- Pacing per key, as a generic cell rate algorithm: the theoretical arrival time of the next unit.
-- One row per key, updated once per claim (not per message), in the claim's transaction, so every
-- dispatcher process paces against the same row.
CREATE TABLE "job_pace" (
    "tenant_id" UUID NOT NULL,
    "pace_key" UUID NOT NULL,
    "next_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "job_pace_pkey" PRIMARY KEY ("tenant_id", "pace_key")
) WITH (fillfactor = 50);

-- Provider message ids, unique per tenant: receipts and inbound deduplication look messages up here.
-- In `messages` the unique index made the update that records a send's provider id a non-HOT one.
CREATE TABLE "provider_message_refs" (
    "tenant_id" UUID NOT NULL,
    "provider_message_id" VARCHAR(128) NOT NULL,
    "message_id" UUID NOT NULL,

    CONSTRAINT "provider_message_refs_pkey" PRIMARY KEY ("tenant_id", "provider_message_id")
);
ALTER TABLE "provider_message_refs" ADD CONSTRAINT "provider_message_refs_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- RLS like every tenant table.
DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY['jobs', 'job_pace', 'provider_message_refs'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', tenant_table);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I
         USING (tenant_id = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))
         WITH CHECK (tenant_id = (SELECT NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid))',
      tenant_table);
  END LOOP;
END
$$;
GRANT SELECT, INSERT, UPDATE, DELETE ON "jobs", "job_pace", "provider_message_refs" TO switchboard_app;

-- ---------------------------------------------------------------------------------------------
-- Move the queue state out of messages
-- ---------------------------------------------------------------------------------------------

INSERT INTO jobs (tenant_id, id, queue, pace_key, run_at, attempts, locked_until)
SELECT m.tenant_id, m.id, 'send_message', m.connection_id, COALESCE(m.next_attempt_at, now()), m.attempts,
       CASE WHEN m.status = 'SENDING' THEN COALESCE(m.lease_expires_at, now()) END
  FROM messages m
 WHERE m.status IN ('QUEUED', 'SENDING') AND m.connection_id IS NOT NULL;

INSERT INTO provider_message_refs (tenant_id, provider_message_id, message_id)
SELECT m.tenant_id, m.provider_message_id, m.id FROM messages m WHERE m.provider_message_id IS NOT NULL;

DROP INDEX "messages_outbox_idx";
DROP INDEX "messages_sending_lease_idx";
DROP INDEX "messages_tenant_id_provider_message_id_key";
ALTER TABLE "messages" DROP COLUMN "next_attempt_at", DROP COLUMN "lease_expires_at";
-- Room on each page for the two or three updates a message gets soon after it is written (SENDING,
-- SENT, receipts), so they can stay on the page (HOT). Applies to pages written from now on.
ALTER TABLE "messages" SET (fillfactor = 80);

-- The old dispatch paths.
DROP POLICY dispatch_read ON "messages";
DROP POLICY dispatch_expire ON "messages";
DROP POLICY dispatch_record ON "message_status_events";
REVOKE SELECT, UPDATE ON "messages" FROM switchboard_dispatch;
REVOKE INSERT ON "message_status_events" FROM switchboard_dispatch;
DROP FUNCTION dispatch_due_connections(integer);
DROP FUNCTION dispatch_expire_leases();
DROP FUNCTION app_claim_messages(uuid, uuid, integer, double precision);
DROP FUNCTION app_accept_message(uuid, uuid, text, text, text, text, text);

-- ---------------------------------------------------------------------------------------------
-- The engine's cross-tenant questions (ids only; the work itself runs per tenant under RLS)
-- ---------------------------------------------------------------------------------------------

GRANT SELECT ON "jobs" TO switchboard_dispatch;
CREATE POLICY dispatch_read ON "jobs" FOR SELECT TO switchboard_dispatch USING (true);

-- Keys with work due within `p_horizon_ms`, and in how long the earliest is due: a loose index scan
-- over jobs_due_idx, so the cost grows with the number of busy keys, not with the backlog.
CREATE FUNCTION jobs_due_keys(p_limit integer, p_horizon_ms double precision)
RETURNS TABLE (queue text, tenant_id uuid, pace_key uuid, due_in_ms double precision)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  WITH RECURSIVE keys AS (
    (SELECT j.queue, j.tenant_id, j.pace_key FROM jobs j WHERE j.locked_until IS NULL
      ORDER BY j.queue, j.tenant_id, j.pace_key LIMIT 1)
    UNION ALL
    SELECT next.queue, next.tenant_id, next.pace_key FROM keys,
      LATERAL (SELECT j.queue, j.tenant_id, j.pace_key FROM jobs j
                WHERE j.locked_until IS NULL AND (j.queue, j.tenant_id, j.pace_key) > (keys.queue, keys.tenant_id, keys.pace_key)
                ORDER BY j.queue, j.tenant_id, j.pace_key LIMIT 1) next
  )
  SELECT k.queue::text, k.tenant_id, k.pace_key, greatest(0, extract(epoch FROM first.run_at - now()) * 1000)::double precision
    FROM keys k,
         LATERAL (SELECT j.run_at FROM jobs j
                   WHERE j.queue = k.queue AND j.tenant_id = k.tenant_id AND j.pace_key = k.pace_key AND j.locked_until IS NULL
                   ORDER BY j.run_at LIMIT 1) first
   WHERE first.run_at <= now() + make_interval(secs => p_horizon_ms / 1000)
   LIMIT p_limit
$$;

-- Jobs whose worker stopped holding them (its lease ran out): handed to their queue's consumer.
CREATE FUNCTION jobs_expired_leases(p_limit integer)
RETURNS TABLE (queue text, tenant_id uuid, id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT j.queue::text, j.tenant_id, j.id FROM jobs j WHERE j.locked_until < now() ORDER BY j.locked_until LIMIT p_limit
$$;

ALTER FUNCTION jobs_due_keys(integer, double precision) OWNER TO switchboard_dispatch;
ALTER FUNCTION jobs_expired_leases(integer) OWNER TO switchboard_dispatch;
REVOKE ALL ON FUNCTION jobs_due_keys(integer, double precision), jobs_expired_leases(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jobs_due_keys(integer, double precision), jobs_expired_leases(integer) TO switchboard_app;

-- ---------------------------------------------------------------------------------------------
-- Claiming, per tenant under RLS (SECURITY INVOKER)
-- ---------------------------------------------------------------------------------------------

-- Leases up to `p_limit` due jobs of one key, oldest first, as far as the key's pace allows
-- (`p_rate` per second with a burst of one second's worth; NULL: unpaced). Returns the jobs and,
-- on every row, when the pace allows the next one and whether the key ran out of due work (a row
-- with a NULL job when nothing was claimed).
CREATE FUNCTION jobs_claim(p_queue text, p_tenant_id uuid, p_pace_key uuid, p_limit integer, p_lease_ms double precision, p_rate double precision)
RETURNS TABLE (job_id uuid, job_attempts integer, pace_wait_ms double precision, drained boolean)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  v_step interval;
  v_tolerance interval;
  v_now timestamptz;
  v_next timestamptz;
  v_allowed integer := p_limit;
  v_ids uuid[];
  v_claimed integer;
  v_wait double precision := 0;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  IF p_rate IS NOT NULL AND p_rate > 0 THEN
    v_step := make_interval(secs => 1 / p_rate);
    v_tolerance := v_step * (greatest(p_rate, 1) - 1);
    INSERT INTO job_pace (tenant_id, pace_key, next_at) VALUES (p_tenant_id, p_pace_key, clock_timestamp()) ON CONFLICT DO NOTHING;
    PERFORM 1 FROM job_pace p WHERE p.tenant_id = p_tenant_id AND p.pace_key = p_pace_key FOR UPDATE;
    -- The time the sends are paced by is taken once the row is ours, not when the transaction began:
    -- a claim that waited (for the lock, for the CPU) must not count its sends as started earlier.
    v_now := clock_timestamp();
    SELECT greatest(p.next_at, v_now) INTO v_next FROM job_pace p WHERE p.tenant_id = p_tenant_id AND p.pace_key = p_pace_key;
    v_allowed := least(p_limit, floor(extract(epoch FROM v_now + v_tolerance - v_next) * p_rate)::integer + 1);
    IF v_allowed <= 0 THEN
      RETURN QUERY SELECT NULL::uuid, NULL::integer, extract(epoch FROM v_next - v_tolerance - v_now)::double precision * 1000, false;
      RETURN;
    END IF;
  END IF;

  SELECT array_agg(due.id) INTO v_ids FROM (
    SELECT j.id FROM jobs j
     WHERE j.queue = p_queue AND j.tenant_id = p_tenant_id AND j.pace_key = p_pace_key AND j.locked_until IS NULL AND j.run_at <= now()
     ORDER BY j.run_at, j.id LIMIT v_allowed FOR UPDATE SKIP LOCKED
  ) AS due;
  v_claimed := coalesce(cardinality(v_ids), 0);

  IF v_step IS NOT NULL AND v_claimed > 0 THEN
    v_next := v_next + v_step * v_claimed;
    UPDATE job_pace p SET next_at = v_next WHERE p.tenant_id = p_tenant_id AND p.pace_key = p_pace_key;
    v_wait := greatest(0, extract(epoch FROM v_next - v_tolerance - v_now) * 1000);
  END IF;

  IF v_claimed = 0 THEN
    RETURN QUERY SELECT NULL::uuid, NULL::integer, v_wait, true;
    RETURN;
  END IF;
  RETURN QUERY
    UPDATE jobs j SET locked_until = now() + make_interval(secs => p_lease_ms / 1000), attempts = j.attempts + 1
     WHERE j.tenant_id = p_tenant_id AND j.id = ANY (v_ids)
    RETURNING j.id, j.attempts, v_wait, v_claimed < v_allowed;
END
$$;

-- The send queue's claim: leases due sends of one connection at its pace and marks their messages
-- SENDING (durably, before any provider call), returning what the call needs. Jobs whose message is
-- no longer QUEUED (or gone) are dropped. A connection that is not CONNECTED is not paced: its
-- messages fail without a call.
CREATE FUNCTION app_claim_sends(p_tenant_id uuid, p_connection_id uuid, p_limit integer, p_lease_ms double precision)
RETURNS TABLE (id uuid, to_number text, body text, attempts integer, provider "WhatsAppProvider", api_key_ciphertext text,
               connection_status "ConnectionStatus", pace_wait_ms double precision, drained boolean)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  v_connection record;
  v_ids uuid[];
  v_attempts integer[];
  v_wait double precision;
  v_drained boolean;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  SELECT c.provider, c.api_key_ciphertext, c.status, c.send_rate_per_second INTO v_connection
    FROM whatsapp_connections c WHERE c.tenant_id = p_tenant_id AND c.id = p_connection_id;

  SELECT array_agg(claimed.job_id) FILTER (WHERE claimed.job_id IS NOT NULL),
         array_agg(claimed.job_attempts) FILTER (WHERE claimed.job_id IS NOT NULL),
         min(claimed.pace_wait_ms), bool_or(claimed.drained)
    INTO v_ids, v_attempts, v_wait, v_drained
    FROM jobs_claim('send_message', p_tenant_id, p_connection_id, p_limit, p_lease_ms,
                    CASE WHEN v_connection.status = 'CONNECTED' THEN v_connection.send_rate_per_second END) AS claimed;

  IF v_ids IS NULL THEN
    RETURN QUERY SELECT NULL::uuid, NULL::text, NULL::text, NULL::integer, NULL::"WhatsAppProvider", NULL::text, NULL::"ConnectionStatus", v_wait, v_drained;
    RETURN;
  END IF;

  -- A job whose message is not QUEUED any more has nothing to send.
  DELETE FROM jobs j WHERE j.tenant_id = p_tenant_id AND j.id = ANY (v_ids)
     AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = p_tenant_id AND m.id = j.id AND m.status = 'QUEUED');

  RETURN QUERY
    UPDATE messages m SET status = 'SENDING', attempts = claimed.attempts, status_changed_at = now()
      FROM unnest(v_ids, v_attempts) AS claimed(id, attempts)
     WHERE m.tenant_id = p_tenant_id AND m.id = ANY (v_ids) AND m.id = claimed.id AND m.status = 'QUEUED'
    RETURNING m.id, m.to_number::text, m.body, m.attempts, v_connection.provider, v_connection.api_key_ciphertext::text,
              v_connection.status, v_wait, v_drained;
  IF NOT FOUND THEN
    RETURN QUERY SELECT NULL::uuid, NULL::text, NULL::text, NULL::integer, NULL::"WhatsAppProvider", NULL::text, NULL::"ConnectionStatus", v_wait, v_drained;
  END IF;
END
$$;

-- Provider answers, group-committed (one statement for many sends of a tenant): the message's status,
-- its history, its provider id, and the job (rescheduled for a retry, else finished). A late outcome
-- may still correct a send its lease expiry marked UNKNOWN.
CREATE OR REPLACE FUNCTION app_record_send_outcomes(p_tenant_id uuid, p_outcomes jsonb)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  recorded integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  WITH outcome AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset(p_outcomes)
      AS o(id uuid, status "MessageStatus", provider_message_id text, error text, retry_in_ms double precision, detail text)
  ), updated AS (
    UPDATE messages m SET status = o.status, status_changed_at = now(),
           provider_message_id = COALESCE(o.provider_message_id, m.provider_message_id), error = o.error
      FROM outcome o
     WHERE m.tenant_id = p_tenant_id AND m.id = ANY (ARRAY(SELECT id FROM outcome)) AND m.id = o.id AND m.status IN ('SENDING', 'UNKNOWN')
    RETURNING m.id, m.connection_id, o.status, o.detail, o.provider_message_id, o.retry_in_ms
  ), finished AS (
    DELETE FROM jobs j WHERE j.tenant_id = p_tenant_id AND j.id = ANY (ARRAY(SELECT id FROM outcome WHERE status <> 'QUEUED'))
  ), retried AS (
    INSERT INTO jobs AS j (tenant_id, id, queue, pace_key, run_at, attempts)
    SELECT p_tenant_id, u.id, 'send_message', u.connection_id, now() + make_interval(secs => u.retry_in_ms / 1000), m.attempts
      FROM updated u JOIN messages m ON m.tenant_id = p_tenant_id AND m.id = u.id
     WHERE u.status = 'QUEUED' AND u.connection_id IS NOT NULL
    ON CONFLICT (tenant_id, id) DO UPDATE SET run_at = excluded.run_at, locked_until = NULL
  ), refs AS (
    INSERT INTO provider_message_refs (tenant_id, provider_message_id, message_id)
    SELECT p_tenant_id, u.provider_message_id, u.id FROM updated u WHERE u.provider_message_id IS NOT NULL
    ON CONFLICT DO NOTHING
  )
  INSERT INTO message_status_events (tenant_id, id, message_id, status, detail)
  SELECT p_tenant_id, gen_random_uuid(), u.id, u.status, u.detail FROM updated u;
  GET DIAGNOSTICS recorded = ROW_COUNT;
  RETURN recorded;
END
$$;

-- Sends whose lease ran out without an outcome: the dispatcher stopped mid-call. Rapiwa takes no
-- idempotency key, so a blind retry could send twice: they become UNKNOWN for the tenant to see.
CREATE FUNCTION app_expire_sends(p_tenant_id uuid, p_ids uuid[])
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  expired integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  WITH gone AS (
    DELETE FROM jobs j WHERE j.tenant_id = p_tenant_id AND j.id = ANY (p_ids) AND j.locked_until < now() RETURNING j.id
  ), unknown AS (
    UPDATE messages m SET status = 'UNKNOWN', status_changed_at = now(),
           error = 'The send was interrupted: the provider may or may not have delivered it. Check with the recipient before resending.'
     WHERE m.tenant_id = p_tenant_id AND m.id = ANY (ARRAY(SELECT id FROM gone)) AND m.status = 'SENDING'
    RETURNING m.id
  )
  INSERT INTO message_status_events (tenant_id, id, message_id, status, detail)
  SELECT p_tenant_id, gen_random_uuid(), u.id, 'UNKNOWN', 'dispatcher stopped before recording the outcome' FROM unknown u;
  GET DIAGNOSTICS expired = ROW_COUNT;
  RETURN expired;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Accepting, in batches: one statement (one commit) for several sendMessage calls of a tenant
-- ---------------------------------------------------------------------------------------------

-- Each request is {ord, id, to, body, preview, idempotency_key, request_hash}; each gets its own
-- outcome row: created, replayed, idempotency_conflict, tenant_inactive or not_connected, with the
-- message as row_to_json of its row (the server maps rows in one place: message-row.ts). The
-- message and its job are written by the same statement. Two requests of one batch with the same
-- idempotency key: the first creates, the second replays it (or conflicts), as if one after the other.
CREATE FUNCTION app_accept_messages(p_tenant_id uuid, p_requests jsonb)
RETURNS TABLE (ord integer, outcome text, connection_id uuid, message json)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  v_connection_id uuid;
  v_number text;
  v_active boolean;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  SELECT t.active INTO v_active FROM tenants t WHERE t.id = p_tenant_id;
  SELECT c.id, c.number INTO v_connection_id, v_number FROM whatsapp_connections c WHERE c.tenant_id = p_tenant_id AND c.status = 'CONNECTED';

  IF v_active IS NOT TRUE OR v_connection_id IS NULL THEN
    RETURN QUERY SELECT r.ord, CASE WHEN v_active IS NOT TRUE THEN 'tenant_inactive' ELSE 'not_connected' END, NULL::uuid, NULL::json
      FROM jsonb_to_recordset(p_requests) AS r(ord integer);
    RETURN;
  END IF;

  RETURN QUERY
    WITH request AS MATERIALIZED (
      SELECT * FROM jsonb_to_recordset(p_requests)
        AS r(ord integer, id uuid, "to" text, body text, preview text, idempotency_key text, request_hash text)
    ), inserted AS (
      INSERT INTO messages AS m (tenant_id, id, connection_id, direction, from_number, to_number, contact_number, body, preview,
                                 status, idempotency_key, request_hash)
      SELECT p_tenant_id, r.id, v_connection_id, 'OUTBOUND', v_number, r."to", r."to", r.body, r.preview, 'QUEUED', r.idempotency_key, r.request_hash
        FROM request r ORDER BY r.ord
      ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
      RETURNING m.*
    ), queued AS (
      INSERT INTO jobs (tenant_id, id, queue, pace_key) SELECT p_tenant_id, i.id, 'send_message', v_connection_id FROM inserted i
    )
    SELECT r.ord, 'created', v_connection_id, row_to_json(i) FROM request r JOIN inserted i ON i.id = r.id;

  -- Not inserted: an idempotency key used before (by an earlier statement or an earlier request of
  -- this batch). The same recipient and text replay the original; anything else is a conflict.
  RETURN QUERY
    WITH request AS (
      SELECT * FROM jsonb_to_recordset(p_requests) AS r(ord integer, id uuid, idempotency_key text, request_hash text)
    )
    SELECT r.ord, CASE WHEN m.request_hash = r.request_hash THEN 'replayed' ELSE 'idempotency_conflict' END, m.connection_id, row_to_json(m)
      FROM request r JOIN messages m ON m.tenant_id = p_tenant_id AND m.idempotency_key = r.idempotency_key
     WHERE r.idempotency_key IS NOT NULL AND m.id <> r.id;
END
$$;

REVOKE ALL ON FUNCTION jobs_claim(text, uuid, uuid, integer, double precision, double precision), app_claim_sends(uuid, uuid, integer, double precision),
  app_expire_sends(uuid, uuid[]), app_accept_messages(uuid, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jobs_claim(text, uuid, uuid, integer, double precision, double precision), app_claim_sends(uuid, uuid, integer, double precision),
  app_expire_sends(uuid, uuid[]), app_accept_messages(uuid, jsonb) TO switchboard_app;
