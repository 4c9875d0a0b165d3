-- Webhooks to tenants: events recorded with the change they report, one delivery per matching endpoint,
-- delivered by the work engine (queue `deliver_webhook`, keyed by endpoint), every attempt kept.

-- ---------------------------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------------------------

ALTER TABLE "webhook_endpoints"
  ADD COLUMN "description" VARCHAR(500) NOT NULL DEFAULT '',
  ADD COLUMN "previous_secret_ciphertext" TEXT,
  ADD COLUMN "previous_secret_expires_at" TIMESTAMPTZ(3);

CREATE TABLE "webhook_events" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "type" VARCHAR(64) NOT NULL,
    "payload" JSONB,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "webhook_events_pkey" PRIMARY KEY ("tenant_id", "id")
);
ALTER TABLE "webhook_events" ADD CONSTRAINT "webhook_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Nothing ever wrote a delivery before this migration (the table was modelled, not used).
DELETE FROM "webhook_deliveries";
ALTER TABLE "webhook_deliveries"
  DROP COLUMN "payload",
  ADD COLUMN "event_id" UUID NOT NULL,
  ALTER COLUMN "event_type" TYPE VARCHAR(64),
  ALTER COLUMN "next_attempt_at" DROP DEFAULT,
  ADD COLUMN "last_duration_ms" INTEGER,
  ALTER COLUMN "last_error" TYPE VARCHAR(500);
ALTER TABLE "webhook_deliveries" RENAME COLUMN "last_response_body" TO "last_response_snippet";
ALTER TABLE "webhook_deliveries" ALTER COLUMN "last_response_snippet" TYPE VARCHAR(1000);
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_tenant_id_event_id_fkey" FOREIGN KEY ("tenant_id", "event_id") REFERENCES "webhook_events"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "webhook_delivery_attempts" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "delivery_id" UUID NOT NULL,
    "attempted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "response_status" INTEGER,
    "duration_ms" INTEGER,
    "response_snippet" VARCHAR(1000),
    "error" VARCHAR(500),

    CONSTRAINT "webhook_delivery_attempts_pkey" PRIMARY KEY ("tenant_id", "id")
);
CREATE INDEX "webhook_delivery_attempts_tenant_id_delivery_id_attempted_at_idx" ON "webhook_delivery_attempts"("tenant_id", "delivery_id", "attempted_at");
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "webhook_delivery_attempts" ADD CONSTRAINT "webhook_delivery_attempts_tenant_id_delivery_id_fkey" FOREIGN KEY ("tenant_id", "delivery_id") REFERENCES "webhook_deliveries"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;

DO $$
DECLARE
  tenant_table text;
BEGIN
  FOREACH tenant_table IN ARRAY ARRAY['webhook_events', 'webhook_delivery_attempts'] LOOP
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
GRANT SELECT, INSERT, UPDATE, DELETE ON "webhook_events", "webhook_delivery_attempts" TO switchboard_app;

-- ---------------------------------------------------------------------------------------------
-- Recording events (SECURITY INVOKER, under the caller's RLS scope, set here as in every app_* function)
-- ---------------------------------------------------------------------------------------------

-- A time-ordered UUID (version 7 layout): the millisecond of `p_at`, then `p_seq` in the 12 bits that
-- follow, then random bits. Ids made in one statement with one `p_at` sort in `p_seq` order, which is how
-- each endpoint's deliveries are claimed in the order their events happened (PostgreSQL 15 has no uuidv7()).
CREATE FUNCTION app_uuid_v7(p_at timestamptz, p_seq bigint)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  v_bytes bytea := uuid_send(gen_random_uuid());
  v_ms bigint := floor(extract(epoch FROM p_at) * 1000)::bigint;
  v_seq integer := (p_seq % 4096)::integer;
BEGIN
  FOR i IN 0..5 LOOP
    v_bytes := set_byte(v_bytes, i, ((v_ms >> ((5 - i) * 8)) & 255)::integer);
  END LOOP;
  v_bytes := set_byte(v_bytes, 6, 112 | (v_seq >> 8));
  v_bytes := set_byte(v_bytes, 7, v_seq & 255);
  RETURN encode(v_bytes, 'hex')::uuid;
END
$$;

-- Tells the webhook engines (in whichever process) that these endpoints have deliveries due: one NOTIFY
-- per call, sent at commit. Only for tenants with webhook endpoints, and per statement, not per message.
CREATE FUNCTION app_wake_webhook_engines(p_tenant_id uuid, p_endpoint_ids uuid[])
RETURNS void
LANGUAGE sql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  SELECT pg_notify('switchboard_jobs', json_agg(json_build_object('queue', 'deliver_webhook', 'tenantId', p_tenant_id, 'paceKey', e))::text)
    FROM unnest(p_endpoint_ids) AS e
  HAVING count(*) > 0
$$;

-- Events of one tenant: each (type, payload) that at least one enabled endpoint wants becomes an event,
-- one delivery per such endpoint, and a job per delivery, in the caller's transaction. A tenant with no
-- enabled endpoint pays one index look-up. Returns the number of deliveries queued.
CREATE FUNCTION app_record_webhook_events(p_tenant_id uuid, p_types text[], p_payloads jsonb[])
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  queued integer;
  v_endpoints uuid[];
  v_at timestamptz := clock_timestamp();
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  IF p_types IS NULL OR NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = p_tenant_id AND e.enabled) THEN
    RETURN 0;
  END IF;
  WITH event AS MATERIALIZED (
    SELECT app_uuid_v7(v_at, t.ord) AS id, t.type, t.payload, t.ord
      FROM unnest(p_types, p_payloads) WITH ORDINALITY AS t(type, payload, ord)
     WHERE EXISTS (SELECT 1 FROM webhook_endpoints e
                    WHERE e.tenant_id = p_tenant_id AND e.enabled AND (cardinality(e.event_types) = 0 OR t.type = ANY (e.event_types)))
  ), stored AS (
    INSERT INTO webhook_events (tenant_id, id, type, payload) SELECT p_tenant_id, ev.id, ev.type, ev.payload FROM event ev
  ), delivery AS MATERIALIZED (
    -- Ids in event order, so each endpoint's deliveries go out in the order their events happened.
    SELECT app_uuid_v7(v_at, ev.ord) AS id, e.id AS endpoint_id, ev.id AS event_id, ev.type
      FROM event ev JOIN webhook_endpoints e
        ON e.tenant_id = p_tenant_id AND e.enabled AND (cardinality(e.event_types) = 0 OR ev.type = ANY (e.event_types))
  ), created AS (
    INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, status, next_attempt_at)
    SELECT p_tenant_id, d.id, d.endpoint_id, d.event_id, d.type, 'PENDING', now() FROM delivery d
  ), queued_jobs AS (
    INSERT INTO jobs (tenant_id, id, queue, pace_key) SELECT p_tenant_id, d.id, 'deliver_webhook', d.endpoint_id FROM delivery d RETURNING pace_key
  )
  SELECT count(*), array_agg(DISTINCT pace_key) INTO queued, v_endpoints FROM queued_jobs;
  PERFORM app_wake_webhook_engines(p_tenant_id, v_endpoints);
  RETURN queued;
END
$$;

-- A message's event payload: its row as it is now (the server maps rows to the API's Message shape in
-- one place, message-row.ts).
CREATE FUNCTION app_message_event_payload(m messages)
RETURNS jsonb
LANGUAGE sql STABLE SECURITY INVOKER SET search_path = public, pg_temp
AS $$ SELECT jsonb_build_object('message', to_jsonb(m)) $$;

-- ---------------------------------------------------------------------------------------------
-- Message status changes become events: the send outcomes and the lease expiry (SENT, FAILED, UNKNOWN)
-- ---------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION app_record_send_outcomes(p_tenant_id uuid, p_outcomes jsonb)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  recorded integer;
  v_hooks boolean;
  v_types text[];
  v_payloads jsonb[];
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  v_hooks := EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = p_tenant_id AND e.enabled);
  WITH outcome AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset(p_outcomes)
      AS o(id uuid, status "MessageStatus", provider_message_id text, error text, retry_in_ms double precision, detail text)
  ), updated AS (
    UPDATE messages m SET status = o.status, status_changed_at = now(),
           provider_message_id = COALESCE(o.provider_message_id, m.provider_message_id), error = o.error
      FROM outcome o
     WHERE m.tenant_id = p_tenant_id AND m.id = ANY (ARRAY(SELECT id FROM outcome)) AND m.id = o.id AND m.status IN ('SENDING', 'UNKNOWN')
    RETURNING m, o.detail, o.provider_message_id AS new_provider_message_id, o.retry_in_ms
  ), finished AS (
    DELETE FROM jobs j WHERE j.tenant_id = p_tenant_id AND j.id = ANY (ARRAY(SELECT id FROM outcome WHERE status <> 'QUEUED'))
  ), retried AS (
    INSERT INTO jobs AS j (tenant_id, id, queue, pace_key, run_at, attempts)
    SELECT p_tenant_id, (u.m).id, 'send_message', (u.m).connection_id, now() + make_interval(secs => u.retry_in_ms / 1000), (u.m).attempts
      FROM updated u
     WHERE (u.m).status = 'QUEUED' AND (u.m).connection_id IS NOT NULL
    ON CONFLICT (tenant_id, id) DO UPDATE SET run_at = excluded.run_at, locked_until = NULL
  ), refs AS (
    INSERT INTO provider_message_refs (tenant_id, provider_message_id, message_id)
    SELECT p_tenant_id, u.new_provider_message_id, (u.m).id FROM updated u WHERE u.new_provider_message_id IS NOT NULL
    ON CONFLICT DO NOTHING
  ), history AS (
    INSERT INTO message_status_events (tenant_id, id, message_id, status, detail)
    SELECT p_tenant_id, gen_random_uuid(), (u.m).id, (u.m).status, u.detail FROM updated u
  )
  SELECT count(*),
         array_agg('message.' || lower((u.m).status::text) ORDER BY (u.m).id) FILTER (WHERE v_hooks AND (u.m).status IN ('SENT', 'FAILED', 'UNKNOWN')),
         array_agg(app_message_event_payload(u.m) ORDER BY (u.m).id) FILTER (WHERE v_hooks AND (u.m).status IN ('SENT', 'FAILED', 'UNKNOWN'))
    INTO recorded, v_types, v_payloads
    FROM updated u;
  IF v_types IS NOT NULL THEN PERFORM app_record_webhook_events(p_tenant_id, v_types, v_payloads); END IF;
  RETURN recorded;
END
$$;

CREATE OR REPLACE FUNCTION app_expire_sends(p_tenant_id uuid, p_ids uuid[])
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  expired integer;
  v_payloads jsonb[];
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  WITH gone AS (
    DELETE FROM jobs j WHERE j.tenant_id = p_tenant_id AND j.id = ANY (p_ids) AND j.locked_until < now() RETURNING j.id
  ), unknown AS (
    UPDATE messages m SET status = 'UNKNOWN', status_changed_at = now(),
           error = 'The send was interrupted: the provider may or may not have delivered it. Check with the recipient before resending.'
     WHERE m.tenant_id = p_tenant_id AND m.id = ANY (ARRAY(SELECT id FROM gone)) AND m.status = 'SENDING'
    RETURNING m
  ), history AS (
    INSERT INTO message_status_events (tenant_id, id, message_id, status, detail)
    SELECT p_tenant_id, gen_random_uuid(), (u.m).id, 'UNKNOWN', 'dispatcher stopped before recording the outcome' FROM unknown u
  )
  SELECT count(*), array_agg(app_message_event_payload(u.m) ORDER BY (u.m).id) INTO expired, v_payloads FROM unknown u;
  IF expired > 0 THEN PERFORM app_record_webhook_events(p_tenant_id, array_fill('message.unknown'::text, ARRAY[expired]), v_payloads); END IF;
  RETURN expired;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Delivering (the work engine's `deliver_webhook` consumer)
-- ---------------------------------------------------------------------------------------------

-- Leases due deliveries of one endpoint (one at a time by default: `p_limit` is the engine's), oldest
-- event first, with what the attempt needs. A disabled or deleted endpoint's jobs are parked (run_at
-- infinity) or dropped instead: enabling it again brings them back.
CREATE FUNCTION app_claim_webhook_deliveries(p_tenant_id uuid, p_endpoint_id uuid, p_limit integer, p_lease_ms double precision)
RETURNS TABLE (id uuid, attempts integer, event_id uuid, event_type text, occurred_at timestamptz, payload jsonb, url text,
               secret_ciphertext text, previous_secret_ciphertext text, previous_secret_expires_at timestamptz, drained boolean)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  v_endpoint record;
  v_ids uuid[];
  v_attempts integer[];
  v_drained boolean;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  SELECT e.url, e.enabled, e.secret_ciphertext, e.previous_secret_ciphertext, e.previous_secret_expires_at INTO v_endpoint
    FROM webhook_endpoints e WHERE e.tenant_id = p_tenant_id AND e.id = p_endpoint_id;
  IF NOT FOUND THEN
    DELETE FROM jobs j WHERE j.tenant_id = p_tenant_id AND j.queue = 'deliver_webhook' AND j.pace_key = p_endpoint_id AND j.locked_until IS NULL;
    RETURN;
  END IF;
  IF NOT v_endpoint.enabled THEN
    UPDATE jobs j SET run_at = 'infinity' WHERE j.tenant_id = p_tenant_id AND j.queue = 'deliver_webhook' AND j.pace_key = p_endpoint_id AND j.locked_until IS NULL;
    RETURN;
  END IF;

  SELECT array_agg(c.job_id) FILTER (WHERE c.job_id IS NOT NULL), array_agg(c.job_attempts) FILTER (WHERE c.job_id IS NOT NULL), bool_or(c.drained)
    INTO v_ids, v_attempts, v_drained
    FROM jobs_claim('deliver_webhook', p_tenant_id, p_endpoint_id, p_limit, p_lease_ms, NULL) AS c;
  IF v_ids IS NULL THEN
    RETURN QUERY SELECT NULL::uuid, NULL::integer, NULL::uuid, NULL::text, NULL::timestamptz, NULL::jsonb, NULL::text, NULL::text, NULL::text, NULL::timestamptz, true;
    RETURN;
  END IF;

  RETURN QUERY
    SELECT d.id, c.attempts, d.event_id, ev.type::text, ev.occurred_at, ev.payload, v_endpoint.url::text, v_endpoint.secret_ciphertext,
           v_endpoint.previous_secret_ciphertext, v_endpoint.previous_secret_expires_at, v_drained
      FROM unnest(v_ids, v_attempts) AS c(id, attempts)
      JOIN webhook_deliveries d ON d.tenant_id = p_tenant_id AND d.id = c.id
      JOIN webhook_events ev ON ev.tenant_id = p_tenant_id AND ev.id = d.event_id
     ORDER BY d.id;
END
$$;

-- Attempt outcomes, group-committed: each {id, status (PENDING: retry, SUCCEEDED, FAILED), retry_in_ms,
-- response_status, duration_ms, snippet, error, disable_reason}. Keeps the attempt, updates the delivery,
-- ends or reschedules its job, and keeps the endpoint's health: a success clears `failing_since`; an
-- endpoint failing for 5 days, or answering 410 Gone, is disabled with its reason and its jobs parked.
CREATE FUNCTION app_record_webhook_outcomes(p_tenant_id uuid, p_outcomes jsonb)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  recorded integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  CREATE TEMP TABLE IF NOT EXISTS pg_temp.webhook_outcome (
    id uuid, status "WebhookDeliveryStatus", retry_in_ms double precision, response_status integer, duration_ms integer,
    snippet text, error text, disable_reason text, endpoint_id uuid, attempts integer
  ) ON COMMIT DELETE ROWS;
  INSERT INTO pg_temp.webhook_outcome (id, status, retry_in_ms, response_status, duration_ms, snippet, error, disable_reason, endpoint_id, attempts)
  SELECT o.id, o.status, o.retry_in_ms, o.response_status, o.duration_ms, left(o.snippet, 1000), left(o.error, 500), left(o.disable_reason, 200), d.endpoint_id, j.attempts
    FROM jsonb_to_recordset(p_outcomes)
      AS o(id uuid, status "WebhookDeliveryStatus", retry_in_ms double precision, response_status integer, duration_ms integer, snippet text, error text, disable_reason text)
    JOIN webhook_deliveries d ON d.tenant_id = p_tenant_id AND d.id = o.id
    LEFT JOIN jobs j ON j.tenant_id = p_tenant_id AND j.id = o.id;

  INSERT INTO webhook_delivery_attempts (tenant_id, id, delivery_id, response_status, duration_ms, response_snippet, error)
  SELECT p_tenant_id, gen_random_uuid(), o.id, o.response_status, o.duration_ms, o.snippet, o.error FROM pg_temp.webhook_outcome o;

  UPDATE webhook_deliveries d SET status = o.status, attempts = COALESCE(o.attempts, d.attempts + 1), last_attempt_at = now(),
         last_response_status = o.response_status, last_duration_ms = o.duration_ms, last_response_snippet = o.snippet, last_error = o.error,
         next_attempt_at = CASE WHEN o.status = 'PENDING' THEN now() + make_interval(secs => o.retry_in_ms / 1000) END
    FROM pg_temp.webhook_outcome o WHERE d.tenant_id = p_tenant_id AND d.id = o.id;
  GET DIAGNOSTICS recorded = ROW_COUNT;

  DELETE FROM jobs j USING pg_temp.webhook_outcome o WHERE j.tenant_id = p_tenant_id AND j.id = o.id AND o.status <> 'PENDING';
  UPDATE jobs j SET run_at = now() + make_interval(secs => o.retry_in_ms / 1000), locked_until = NULL
    FROM pg_temp.webhook_outcome o WHERE j.tenant_id = p_tenant_id AND j.id = o.id AND o.status = 'PENDING';

  -- Endpoint health: the latest outcome per endpoint decides.
  UPDATE webhook_endpoints e SET failing_since = NULL
   WHERE e.tenant_id = p_tenant_id AND e.id IN (SELECT o.endpoint_id FROM pg_temp.webhook_outcome o WHERE o.status = 'SUCCEEDED');
  UPDATE webhook_endpoints e SET failing_since = now()
   WHERE e.tenant_id = p_tenant_id AND e.failing_since IS NULL
     AND e.id IN (SELECT o.endpoint_id FROM pg_temp.webhook_outcome o WHERE o.status <> 'SUCCEEDED')
     AND e.id NOT IN (SELECT o.endpoint_id FROM pg_temp.webhook_outcome o WHERE o.status = 'SUCCEEDED');
  WITH disabled AS (
    UPDATE webhook_endpoints e SET enabled = false, updated_at = now(),
           disabled_reason = COALESCE((SELECT o.disable_reason FROM pg_temp.webhook_outcome o WHERE o.endpoint_id = e.id AND o.disable_reason IS NOT NULL LIMIT 1),
                                      'Every delivery failed for 5 days; fix the endpoint, then enable it again to deliver what is pending.')
     WHERE e.tenant_id = p_tenant_id AND e.enabled
       AND e.id IN (SELECT o.endpoint_id FROM pg_temp.webhook_outcome o)
       AND (e.failing_since < now() - interval '5 days'
            OR e.id IN (SELECT o.endpoint_id FROM pg_temp.webhook_outcome o WHERE o.disable_reason IS NOT NULL))
    RETURNING e.id
  )
  UPDATE jobs j SET run_at = 'infinity'
    FROM disabled WHERE j.tenant_id = p_tenant_id AND j.queue = 'deliver_webhook' AND j.pace_key = disabled.id AND j.locked_until IS NULL;
  RETURN recorded;
END
$$;

-- A delivery whose worker stopped mid-attempt: unlike a send, delivering twice is what webhook-id
-- deduplication is for, so it is simply due again.
CREATE FUNCTION app_expire_webhook_deliveries(p_tenant_id uuid, p_ids uuid[])
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  expired integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  UPDATE jobs j SET locked_until = NULL, run_at = now()
   WHERE j.tenant_id = p_tenant_id AND j.id = ANY (p_ids) AND j.queue = 'deliver_webhook' AND j.locked_until < now();
  GET DIAGNOSTICS expired = ROW_COUNT;
  RETURN expired;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- What a tenant can ask for
-- ---------------------------------------------------------------------------------------------

-- Delivers an event again: the delivery is PENDING and due now (same webhook-id), whatever it was.
-- `p_endpoint_id` with `p_since`: every FAILED delivery of that endpoint created since then.
CREATE FUNCTION app_redeliver_webhooks(p_tenant_id uuid, p_delivery_ids uuid[], p_endpoint_id uuid, p_since timestamptz)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  queued integer;
  v_endpoints uuid[];
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  WITH again AS (
    UPDATE webhook_deliveries d SET status = 'PENDING', next_attempt_at = now()
     WHERE d.tenant_id = p_tenant_id
       AND (d.id = ANY (p_delivery_ids) OR (d.endpoint_id = p_endpoint_id AND d.status = 'FAILED' AND d.created_at >= p_since))
       AND (d.status <> 'PENDING' OR d.id = ANY (p_delivery_ids))
    RETURNING d.id, d.endpoint_id
  )
  , queued_jobs AS (
    INSERT INTO jobs AS j (tenant_id, id, queue, pace_key, attempts)
    SELECT p_tenant_id, a.id, 'deliver_webhook', a.endpoint_id, 0 FROM again a
    ON CONFLICT (tenant_id, id) DO UPDATE SET run_at = now() WHERE j.locked_until IS NULL
    RETURNING j.pace_key
  )
  SELECT count(*), array_agg(DISTINCT pace_key) INTO queued, v_endpoints FROM queued_jobs;
  PERFORM app_wake_webhook_engines(p_tenant_id, v_endpoints);
  RETURN queued;
END
$$;

-- A signed `test` event to one endpoint, whatever its event filter.
CREATE FUNCTION app_queue_test_webhook(p_tenant_id uuid, p_endpoint_id uuid)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  v_event uuid := app_uuid_v7(clock_timestamp(), 0);
  v_delivery uuid := app_uuid_v7(clock_timestamp(), 1);
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  INSERT INTO webhook_events (tenant_id, id, type, payload) VALUES (p_tenant_id, v_event, 'test', '{}'::jsonb);
  INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, status, next_attempt_at)
  VALUES (p_tenant_id, v_delivery, p_endpoint_id, v_event, 'test', 'PENDING', now());
  INSERT INTO jobs (tenant_id, id, queue, pace_key) VALUES (p_tenant_id, v_delivery, 'deliver_webhook', p_endpoint_id);
  PERFORM app_wake_webhook_engines(p_tenant_id, ARRAY[p_endpoint_id]);
  RETURN v_delivery;
END
$$;

-- Enabling an endpoint brings its parked deliveries back; disabling parks them.
CREATE FUNCTION app_park_webhook_jobs(p_tenant_id uuid, p_endpoint_id uuid, p_parked boolean)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  moved integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  UPDATE jobs j SET run_at = CASE WHEN p_parked THEN 'infinity'::timestamptz ELSE now() END
   WHERE j.tenant_id = p_tenant_id AND j.queue = 'deliver_webhook' AND j.pace_key = p_endpoint_id AND j.locked_until IS NULL;
  GET DIAGNOSTICS moved = ROW_COUNT;
  IF NOT p_parked AND moved > 0 THEN PERFORM app_wake_webhook_engines(p_tenant_id, ARRAY[p_endpoint_id]); END IF;
  RETURN moved;
END
$$;

REVOKE ALL ON FUNCTION app_wake_webhook_engines(uuid, uuid[]), app_uuid_v7(timestamptz, bigint), app_record_webhook_events(uuid, text[], jsonb[]), app_message_event_payload(messages),
  app_claim_webhook_deliveries(uuid, uuid, integer, double precision), app_record_webhook_outcomes(uuid, jsonb),
  app_expire_webhook_deliveries(uuid, uuid[]), app_redeliver_webhooks(uuid, uuid[], uuid, timestamptz), app_queue_test_webhook(uuid, uuid),
  app_park_webhook_jobs(uuid, uuid, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_wake_webhook_engines(uuid, uuid[]), app_uuid_v7(timestamptz, bigint), app_record_webhook_events(uuid, text[], jsonb[]), app_message_event_payload(messages),
  app_claim_webhook_deliveries(uuid, uuid, integer, double precision), app_record_webhook_outcomes(uuid, jsonb),
  app_expire_webhook_deliveries(uuid, uuid[]), app_redeliver_webhooks(uuid, uuid[], uuid, timestamptz), app_queue_test_webhook(uuid, uuid),
  app_park_webhook_jobs(uuid, uuid, boolean) TO switchboard_app;
