-- Webhook throughput: outcomes recorded without a temporary table, deliveries claimed ahead per endpoint, provider callbacks stored in batches.
--
-- The first version gathered each batch of outcomes in a temporary table ON COMMIT DELETE ROWS. Every
-- commit truncated it, which invalidated the plans PL/pgSQL had cached for the function's statements:
-- each call planned about ten statements again. Measured on PostgreSQL 15 (fsync on), recording took
-- about 8 ms and ~5 ms of PostgreSQL CPU per delivery, capping one endpoint at about 120 deliveries/s.
-- The outcomes now go through one materialized CTE, as the send outcomes do, and an endpoint's health
-- is written only when it changes (a succeeding endpoint's row is no longer updated per delivery).
--
-- Parking the jobs of a disabled endpoint is app_park_webhook_jobs' job alone: the claim (endpoint found
-- disabled) and the outcomes (endpoint disabled by a 410 or 5 days of failures) now call it.

CREATE OR REPLACE FUNCTION app_record_webhook_outcomes(p_tenant_id uuid, p_outcomes jsonb)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  recorded integer;
  v_succeeded uuid[];
  v_failed uuid[];
  v_disable_reasons jsonb;
  v_endpoint uuid;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  WITH input AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset(p_outcomes)
      AS o(id uuid, status "WebhookDeliveryStatus", retry_in_ms double precision, response_status integer, duration_ms integer,
           snippet text, error text, disable_reason text)
  ), outcome AS MATERIALIZED (
    -- `= ANY (ARRAY(...))` keeps the look-ups on the primary keys whatever the planner guesses of the input's size.
    SELECT o.id, o.status, o.retry_in_ms, o.response_status, o.duration_ms, left(o.snippet, 1000) AS snippet, left(o.error, 500) AS error,
           left(o.disable_reason, 200) AS disable_reason, d.endpoint_id, j.attempts
      FROM input o
      JOIN webhook_deliveries d ON d.tenant_id = p_tenant_id AND d.id = ANY (ARRAY(SELECT id FROM input)) AND d.id = o.id
      LEFT JOIN jobs j ON j.tenant_id = p_tenant_id AND j.id = ANY (ARRAY(SELECT id FROM input)) AND j.id = o.id
  ), attempt AS (
    INSERT INTO webhook_delivery_attempts (tenant_id, id, delivery_id, response_status, duration_ms, response_snippet, error)
    SELECT p_tenant_id, gen_random_uuid(), o.id, o.response_status, o.duration_ms, o.snippet, o.error FROM outcome o
  ), updated AS (
    UPDATE webhook_deliveries d SET status = o.status, attempts = COALESCE(o.attempts, d.attempts + 1), last_attempt_at = now(),
           last_response_status = o.response_status, last_duration_ms = o.duration_ms, last_response_snippet = o.snippet, last_error = o.error,
           next_attempt_at = CASE WHEN o.status = 'PENDING' THEN now() + make_interval(secs => o.retry_in_ms / 1000) END
      FROM outcome o
     WHERE d.tenant_id = p_tenant_id AND d.id = ANY (ARRAY(SELECT id FROM outcome)) AND d.id = o.id
    RETURNING d.id
  ), finished AS (
    DELETE FROM jobs j WHERE j.tenant_id = p_tenant_id AND j.id = ANY (ARRAY(SELECT id FROM outcome WHERE status <> 'PENDING'))
  ), retried AS (
    UPDATE jobs j SET run_at = now() + make_interval(secs => o.retry_in_ms / 1000), locked_until = NULL
      FROM outcome o
     WHERE j.tenant_id = p_tenant_id AND j.id = ANY (ARRAY(SELECT id FROM outcome WHERE status = 'PENDING')) AND j.id = o.id
  )
  SELECT (SELECT count(*) FROM updated),
         array_agg(DISTINCT o.endpoint_id) FILTER (WHERE o.status = 'SUCCEEDED'),
         array_agg(DISTINCT o.endpoint_id) FILTER (WHERE o.status <> 'SUCCEEDED'),
         jsonb_object_agg(o.endpoint_id, o.disable_reason) FILTER (WHERE o.disable_reason IS NOT NULL)
    INTO recorded, v_succeeded, v_failed, v_disable_reasons
    FROM outcome o;

  -- Endpoint health: a success ends a failing streak; the first failure after a success starts one.
  IF v_succeeded IS NOT NULL THEN
    UPDATE webhook_endpoints e SET failing_since = NULL WHERE e.tenant_id = p_tenant_id AND e.id = ANY (v_succeeded) AND e.failing_since IS NOT NULL;
  END IF;
  IF v_failed IS NULL THEN
    RETURN recorded;
  END IF;
  UPDATE webhook_endpoints e SET failing_since = now()
   WHERE e.tenant_id = p_tenant_id AND e.id = ANY (v_failed) AND e.failing_since IS NULL AND NOT (e.id = ANY (COALESCE(v_succeeded, '{}')));
  -- Disabled: a 410 Gone, or every delivery failing for 5 days. Its pending deliveries are parked.
  FOR v_endpoint IN
    UPDATE webhook_endpoints e SET enabled = false, updated_at = now(),
           disabled_reason = COALESCE(v_disable_reasons ->> e.id::text,
                                      'Every delivery failed for 5 days; fix the endpoint, then enable it again to deliver what is pending.')
     WHERE e.tenant_id = p_tenant_id AND e.enabled AND e.id = ANY (v_failed)
       AND (e.failing_since < now() - interval '5 days' OR v_disable_reasons ? e.id::text)
    RETURNING e.id
  LOOP
    PERFORM app_park_webhook_jobs(p_tenant_id, v_endpoint, true);
  END LOOP;
  RETURN recorded;
END
$$;

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
    SELECT d.id, c.attempts, d.event_id, ev.type::text, ev.occurred_at, ev.payload, v_endpoint.url::text, v_endpoint.secret_ciphertext,
           v_endpoint.previous_secret_ciphertext, v_endpoint.previous_secret_expires_at, v_drained
      FROM unnest(v_ids, v_attempts) AS c(id, attempts)
      JOIN webhook_deliveries d ON d.tenant_id = p_tenant_id AND d.id = c.id
      JOIN webhook_events ev ON ev.tenant_id = p_tenant_id AND ev.id = d.event_id
     ORDER BY d.id;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- What a connection's provider tells us (incoming messages, delivery and read receipts), stored in one
-- statement and one transaction per batch: the server gathers the callbacks of a connection that
-- arrive while its previous batch is being written (group commit, as for accepted messages). Before,
-- each callback took two transactions (the raw payload, then the message) and its own NOTIFY.
--
-- p_items: [{ ord, kind: 'message' | 'receipt' | 'unknown',
--             event_id, event_type, payload           -- the raw callback, kept in provider_events (optional)
--             new_id, from_number, body, preview, provider_message_id     -- kind 'message'
--             status: 'DELIVERED' | 'READ', provider_message_id or message_id }]   -- kind 'receipt'
-- Returns per item: how it was handled, the message it concerns (if any), whether this item changed
-- it (a new message stored, a receipt applied), and for messages the row as stored (to_jsonb).
-- An incoming message is stored once per provider message id (a resent callback returns the first);
-- a receipt by provider id only moves an outbound message of this connection, and only forward.
-- Events go to the tenant's webhook endpoints in the items' order, in the same transaction.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION app_receive_inbound(p_tenant_id uuid, p_connection_id uuid, p_items jsonb)
RETURNS TABLE (ord integer, handled_as text, message_id uuid, changed boolean, message jsonb)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
#variable_conflict use_column
DECLARE
  v_our_number text;
  v_inserted uuid[];
  v_event_ords integer[] := '{}';
  v_event_types text[] := '{}';
  v_event_payloads jsonb[] := '{}';
  v_receipt record;
  v_message_id uuid;
  v_row messages;
  v_applied boolean;
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
      RETURNING messages.*
    )
    SELECT array_agg(m.id) INTO v_inserted FROM inserted m;
    IF v_inserted IS NOT NULL THEN
      SELECT v_event_ords || array_agg(i.ord ORDER BY i.ord), v_event_types || array_agg('message.received'::text ORDER BY i.ord),
             v_event_payloads || array_agg(app_message_event_payload(m) ORDER BY i.ord)
        INTO v_event_ords, v_event_types, v_event_payloads
        FROM messages m
        JOIN jsonb_to_recordset(p_items) AS i(ord integer, new_id uuid) ON i.new_id = m.id
       WHERE m.tenant_id = p_tenant_id AND m.id = ANY (v_inserted);
    END IF;

    RETURN QUERY
      SELECT i.ord, 'message'::text, m.id, m.id = i.new_id, to_jsonb(m)
        FROM jsonb_to_recordset(p_items) AS i(ord integer, kind text, new_id uuid, provider_message_id text)
        JOIN provider_message_refs r ON r.tenant_id = p_tenant_id AND r.provider_message_id = i.provider_message_id
        JOIN messages m ON m.tenant_id = p_tenant_id AND m.id = r.message_id
       WHERE i.kind = 'message';
  END IF;

  -- Receipts one by one, in order: two for one message in a batch (DELIVERED, then READ) both apply.
  FOR v_receipt IN
    SELECT * FROM jsonb_to_recordset(p_items) AS i(ord integer, kind text, status "MessageStatus", provider_message_id text, message_id uuid)
     WHERE i.kind = 'receipt' ORDER BY i.ord
  LOOP
    IF v_receipt.message_id IS NOT NULL THEN
      v_message_id := v_receipt.message_id;
    ELSE
      SELECT m.id INTO v_message_id
        FROM provider_message_refs r JOIN messages m ON m.tenant_id = r.tenant_id AND m.id = r.message_id
       WHERE r.tenant_id = p_tenant_id AND r.provider_message_id = v_receipt.provider_message_id
         AND m.direction = 'OUTBOUND' AND m.connection_id = p_connection_id;
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
    RETURN QUERY SELECT v_receipt.ord, 'status'::text, v_message_id, v_applied, NULL::jsonb;
    v_message_id := NULL;
  END LOOP;

  RETURN QUERY
    SELECT i.ord, 'unknown'::text, NULL::uuid, false, NULL::jsonb
      FROM jsonb_to_recordset(p_items) AS i(ord integer, kind text) WHERE i.kind = 'unknown';

  IF cardinality(v_event_types) > 0 THEN
    PERFORM app_record_webhook_events(p_tenant_id, array_agg(e.type ORDER BY e.ord), array_agg(e.payload ORDER BY e.ord))
       FROM unnest(v_event_ords, v_event_types, v_event_payloads) AS e(ord, type, payload);
  END IF;
END
$$;

REVOKE ALL ON FUNCTION app_receive_inbound(uuid, uuid, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_receive_inbound(uuid, uuid, jsonb) TO switchboard_app;

-- Deliveries claimed ahead (an endpoint's next few, sent one after another) that were not attempted
-- before their lease would end, or when the worker stopped: due again, their claim's attempt not counted.
CREATE FUNCTION app_release_webhook_jobs(p_tenant_id uuid, p_ids uuid[])
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  released integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  UPDATE jobs j SET locked_until = NULL, attempts = greatest(j.attempts - 1, 0)
   WHERE j.tenant_id = p_tenant_id AND j.id = ANY (p_ids) AND j.queue = 'deliver_webhook' AND j.locked_until IS NOT NULL;
  GET DIAGNOSTICS released = ROW_COUNT;
  RETURN released;
END
$$;

REVOKE ALL ON FUNCTION app_release_webhook_jobs(uuid, uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_release_webhook_jobs(uuid, uuid[]) TO switchboard_app;
