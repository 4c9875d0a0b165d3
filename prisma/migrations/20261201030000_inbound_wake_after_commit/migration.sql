-- Provider callbacks wake the webhook engines after their commit, not with a NOTIFY inside it.
--
-- Measured on PostgreSQL 15 after the batching of 20261201000000: a quarter of the callback batches' time
-- went to waiting for the lock every notifying transaction takes at commit (Lock:object), which lines
-- those commits up one behind the other. app_receive_inbound now records events without notifying
-- (p_wake false) and returns, in a last row without an item, the endpoints that got deliveries: the server
-- wakes their engines once the batch is committed (in-process, or one gathered NOTIFY for other processes),
-- as it does for accepted messages. Other callers keep the NOTIFY (p_wake defaults to true).
--
-- Also: look-ups by key whose keys are known up front. The stored messages are returned by key look-ups. The join of 20261201000000 let the
-- planner, which cannot size a jsonb_to_recordset, hash whole tables: each batch scanned the tenant's
-- messages (1.7 ms per callback at 6,000 messages, growing with the log).

DROP FUNCTION app_record_webhook_events(uuid, text[], jsonb[]);

CREATE FUNCTION app_record_webhook_events(p_tenant_id uuid, p_types text[], p_payloads jsonb[], p_wake boolean DEFAULT true)
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
  IF p_wake THEN PERFORM app_wake_webhook_engines(p_tenant_id, v_endpoints); END IF;
  RETURN queued;
END
$$;


REVOKE ALL ON FUNCTION app_record_webhook_events(uuid, text[], jsonb[], boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_record_webhook_events(uuid, text[], jsonb[], boolean) TO switchboard_app;

DROP FUNCTION app_receive_inbound(uuid, uuid, jsonb);

CREATE FUNCTION app_receive_inbound(p_tenant_id uuid, p_connection_id uuid, p_items jsonb, p_wake boolean)
RETURNS TABLE (ord integer, handled_as text, message_id uuid, changed boolean, message jsonb, woken_endpoints uuid[])
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_our_number text;
  v_event_ords integer[] := '{}';
  v_event_types text[] := '{}';
  v_event_payloads jsonb[] := '{}';
  v_receipt record;
  v_message_id uuid;
  v_row messages;
  v_applied boolean;
  v_woken uuid[];
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);

  INSERT INTO provider_events (tenant_id, id, connection_id, event_type, payload)
  SELECT p_tenant_id, i.event_id, p_connection_id, i.event_type, i.payload
    FROM jsonb_to_recordset(p_items) AS i(ord integer, event_id uuid, event_type text, payload jsonb)
   WHERE i.event_id IS NOT NULL
   ORDER BY i.ord;

  IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_items) AS e WHERE e ->> 'kind' = 'message') THEN
    SELECT c.number INTO v_our_number FROM whatsapp_connections c WHERE c.tenant_id = p_tenant_id AND c.id = p_connection_id;
    -- The provider id is claimed first: a callback delivered twice (or twice in one batch) finds it taken.
    WITH item AS MATERIALIZED (
      SELECT DISTINCT ON (i.provider_message_id) i.*
        FROM jsonb_to_recordset(p_items) AS i(ord integer, kind text, new_id uuid, from_number text, body text, preview text, provider_message_id text)
       WHERE i.kind = 'message'
       ORDER BY i.provider_message_id, i.ord
    ), ref AS (
      INSERT INTO provider_message_refs (tenant_id, provider_message_id, message_id)
      SELECT p_tenant_id, i.provider_message_id, i.new_id FROM item i ORDER BY i.ord
      ON CONFLICT DO NOTHING
      RETURNING provider_message_id, message_id
    ), inserted AS (
      INSERT INTO messages (tenant_id, id, connection_id, direction, from_number, to_number, contact_number, body, preview, status, provider_message_id)
      SELECT p_tenant_id, r.message_id, p_connection_id, 'INBOUND', i.from_number, v_our_number, i.from_number, i.body, i.preview, 'RECEIVED', i.provider_message_id
        FROM ref r JOIN item i ON i.provider_message_id = r.provider_message_id
      RETURNING messages AS stored, messages.provider_message_id
    )
    -- The events' payloads from the rows as inserted: no second read of messages.
    SELECT v_event_ords || array_agg(i.ord ORDER BY i.ord), v_event_types || array_agg('message.received'::text ORDER BY i.ord),
           v_event_payloads || array_agg(app_message_event_payload(m.stored) ORDER BY i.ord)
      INTO v_event_ords, v_event_types, v_event_payloads
      FROM inserted m JOIN item i ON i.provider_message_id = m.provider_message_id;
    -- (array || NULL keeps the array: nothing inserted leaves them as they were.)

    -- Every look-up by key with its keys known up front (`= ANY (ARRAY(...))`): a plan cached while the
    -- tables were small must not turn one into a scan of the tenant's messages.
    RETURN QUERY
      WITH item AS MATERIALIZED (
        SELECT * FROM jsonb_to_recordset(p_items) AS i(ord integer, kind text, new_id uuid, provider_message_id text) WHERE i.kind = 'message'
      ), ref AS MATERIALIZED (
        SELECT r.provider_message_id, r.message_id FROM provider_message_refs r
         WHERE r.tenant_id = p_tenant_id AND r.provider_message_id = ANY (ARRAY(SELECT i.provider_message_id FROM item i))
      ), found AS MATERIALIZED (
        SELECT m.* FROM messages m WHERE m.tenant_id = p_tenant_id AND m.id = ANY (ARRAY(SELECT r.message_id FROM ref r))
      )
      SELECT i.ord, 'message'::text, f.id, f.id = i.new_id, to_jsonb(f), NULL::uuid[]
        FROM item i JOIN ref r ON r.provider_message_id = i.provider_message_id JOIN found f ON f.id = r.message_id;
  END IF;

  -- Receipts one by one, in order: two for one message in a batch (DELIVERED, then READ) both apply.
  FOR v_receipt IN
    SELECT * FROM jsonb_to_recordset(p_items) AS i(ord integer, kind text, status "MessageStatus", provider_message_id text, message_id uuid)
     WHERE i.kind = 'receipt' ORDER BY i.ord
  LOOP
    IF v_receipt.message_id IS NOT NULL THEN
      v_message_id := v_receipt.message_id;
    ELSE
      SELECT r.message_id INTO v_message_id FROM provider_message_refs r
       WHERE r.tenant_id = p_tenant_id AND r.provider_message_id = v_receipt.provider_message_id;
      SELECT m.id INTO v_message_id FROM messages m
       WHERE m.tenant_id = p_tenant_id AND m.id = v_message_id AND m.direction = 'OUTBOUND' AND m.connection_id = p_connection_id;
    END IF;
    v_applied := false;
    IF v_message_id IS NOT NULL THEN
      UPDATE messages m SET status = v_receipt.status, status_changed_at = now()
       WHERE m.tenant_id = p_tenant_id AND m.id = v_message_id
         AND m.status = ANY (CASE v_receipt.status WHEN 'DELIVERED' THEN '{SENT,UNKNOWN}'::"MessageStatus"[] ELSE '{SENT,DELIVERED,UNKNOWN}'::"MessageStatus"[] END)
      RETURNING m.* INTO v_row;
      v_applied := FOUND;
      IF v_applied THEN
        INSERT INTO message_status_events (tenant_id, id, message_id, status) VALUES (p_tenant_id, gen_random_uuid(), v_message_id, v_receipt.status);
        v_event_ords := v_event_ords || v_receipt.ord;
        v_event_types := v_event_types || ('message.' || lower(v_receipt.status::text));
        v_event_payloads := v_event_payloads || app_message_event_payload(v_row);
      END IF;
    END IF;
    RETURN QUERY SELECT v_receipt.ord, 'status'::text, v_message_id, v_applied, NULL::jsonb, NULL::uuid[];
    v_message_id := NULL;
  END LOOP;

  RETURN QUERY
    SELECT i.ord, 'unknown'::text, NULL::uuid, false, NULL::jsonb, NULL::uuid[]
      FROM jsonb_to_recordset(p_items) AS i(ord integer, kind text) WHERE i.kind = 'unknown';

  IF cardinality(v_event_types) > 0 THEN
    PERFORM app_record_webhook_events(p_tenant_id, array_agg(e.type ORDER BY e.ord), array_agg(e.payload ORDER BY e.ord), p_wake)
       FROM unnest(v_event_ords, v_event_types, v_event_payloads) AS e(ord, type, payload);
    IF NOT p_wake THEN
      SELECT array_agg(e.id) INTO v_woken FROM webhook_endpoints e
       WHERE e.tenant_id = p_tenant_id AND e.enabled AND (cardinality(e.event_types) = 0 OR e.event_types && v_event_types);
    END IF;
  END IF;
  -- Last, a row without an item: the endpoints that got deliveries, for the caller to wake after its commit.
  IF v_woken IS NOT NULL THEN
    RETURN QUERY SELECT NULL::integer, 'wake'::text, NULL::uuid, false, NULL::jsonb, v_woken;
  END IF;
END
$$;

REVOKE ALL ON FUNCTION app_receive_inbound(uuid, uuid, jsonb, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_receive_inbound(uuid, uuid, jsonb, boolean) TO switchboard_app;

-- The claim's deliveries and events, looked up by keys known up front (as above).
CREATE OR REPLACE FUNCTION app_claim_webhook_deliveries(p_tenant_id uuid, p_endpoint_id uuid, p_limit integer, p_lease_ms double precision)
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
    PERFORM app_park_webhook_jobs(p_tenant_id, p_endpoint_id, true);
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
    WITH delivery AS MATERIALIZED (
      SELECT d.id, d.event_id FROM webhook_deliveries d WHERE d.tenant_id = p_tenant_id AND d.id = ANY (v_ids)
    ), event AS MATERIALIZED (
      SELECT ev.id, ev.type, ev.occurred_at, ev.payload FROM webhook_events ev
       WHERE ev.tenant_id = p_tenant_id AND ev.id = ANY (ARRAY(SELECT d.event_id FROM delivery d))
    )
    SELECT d.id, c.attempts, d.event_id, ev.type::text, ev.occurred_at, ev.payload, v_endpoint.url::text, v_endpoint.secret_ciphertext,
           v_endpoint.previous_secret_ciphertext, v_endpoint.previous_secret_expires_at, v_drained
      FROM unnest(v_ids, v_attempts) AS c(id, attempts)
      JOIN delivery d ON d.id = c.id
      JOIN event ev ON ev.id = d.event_id
     ORDER BY d.id;
END
$$;
