-- Rapiwa's callbacks (provider_events) name the message they concern: the message log's detail shows
-- the raw payloads of a message.
--
-- app_receive_inbound already learns, for each item, which message it is about (the incoming message it
-- stored, or found stored for a resent callback; the outbound message a receipt names). It now writes the
-- raw payloads after that, with the message's id, in the same statement: no extra round trip. Rows stored
-- before this migration stay unlinked. No foreign key, as for message_status_events: the check would cost
-- a look-up per callback, and the id comes from the rows this function just read or wrote.

ALTER TABLE "provider_events" ADD COLUMN "message_id" UUID;

CREATE INDEX "provider_events_tenant_id_message_id_idx" ON "provider_events"("tenant_id", "message_id");

CREATE OR REPLACE FUNCTION app_receive_inbound(p_tenant_id uuid, p_connection_id uuid, p_items jsonb, p_wake boolean)
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
  v_token_hash text;
  v_connection_status "ConnectionStatus";
  -- Which message each item turned out to concern (by the item's ord): its raw payload is linked to it.
  v_link_ords integer[] := '{}';
  v_link_ids uuid[] := '{}';
  v_message_ords integer[];
  v_message_ids uuid[];
  v_new_ids uuid[];
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  SELECT c.number, c.inbound_token_hash, c.status INTO v_our_number, v_token_hash, v_connection_status
    FROM whatsapp_connections c WHERE c.tenant_id = p_tenant_id AND c.id = p_connection_id;

  -- Items that came in on an inbound URL carry its token's hash: the server found the connection by it,
  -- maybe a while ago (it caches the look-up). Checked again here, in the transaction that stores them:
  -- a rotated token or a disconnected number refuses them at once, and nothing of them is kept.
  IF jsonb_path_exists(p_items, '$[*].token_hash') THEN
    RETURN QUERY
      SELECT (e ->> 'ord')::integer, 'rejected'::text, NULL::uuid, false, NULL::jsonb, NULL::uuid[]
        FROM jsonb_array_elements(p_items) AS e
       WHERE e ? 'token_hash' AND (v_connection_status IS DISTINCT FROM 'CONNECTED' OR e ->> 'token_hash' IS DISTINCT FROM v_token_hash);
    IF FOUND THEN
      p_items := COALESCE((SELECT jsonb_agg(e) FROM jsonb_array_elements(p_items) AS e
                            WHERE NOT (e ? 'token_hash') OR (v_connection_status = 'CONNECTED' AND e ->> 'token_hash' = v_token_hash)), '[]'::jsonb);
    END IF;
  END IF;

  IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_items) AS e WHERE e ->> 'kind' = 'message') THEN
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
    -- Each item's message (the one stored now, or earlier for a resent callback), kept for the links.
    WITH item AS MATERIALIZED (
      SELECT * FROM jsonb_to_recordset(p_items) AS i(ord integer, kind text, new_id uuid, provider_message_id text) WHERE i.kind = 'message'
    ), ref AS MATERIALIZED (
      SELECT r.provider_message_id, r.message_id FROM provider_message_refs r
       WHERE r.tenant_id = p_tenant_id AND r.provider_message_id = ANY (ARRAY(SELECT i.provider_message_id FROM item i))
    )
    SELECT array_agg(i.ord ORDER BY i.ord), array_agg(r.message_id ORDER BY i.ord), array_agg(i.new_id ORDER BY i.ord)
      INTO v_message_ords, v_message_ids, v_new_ids
      FROM item i JOIN ref r ON r.provider_message_id = i.provider_message_id;
    v_link_ords := v_link_ords || v_message_ords;
    v_link_ids := v_link_ids || v_message_ids;

    RETURN QUERY
      WITH found AS MATERIALIZED (
        SELECT m.* FROM messages m WHERE m.tenant_id = p_tenant_id AND m.id = ANY (v_message_ids)
      )
      SELECT l.ord, 'message'::text, f.id, f.id = l.new_id, to_jsonb(f), NULL::uuid[]
        FROM unnest(v_message_ords, v_message_ids, v_new_ids) AS l(ord, message_id, new_id) JOIN found f ON f.id = l.message_id;
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
    IF v_message_id IS NOT NULL THEN
      v_link_ords := v_link_ords || v_receipt.ord;
      v_link_ids := v_link_ids || v_message_id;
    END IF;
    RETURN QUERY SELECT v_receipt.ord, 'status'::text, v_message_id, v_applied, NULL::jsonb, NULL::uuid[];
    v_message_id := NULL;
  END LOOP;

  RETURN QUERY
    SELECT i.ord, 'unknown'::text, NULL::uuid, false, NULL::jsonb, NULL::uuid[]
      FROM jsonb_to_recordset(p_items) AS i(ord integer, kind text) WHERE i.kind = 'unknown';

  -- The raw payloads last, each with the message it turned out to concern (null: none known).
  INSERT INTO provider_events (tenant_id, id, connection_id, event_type, payload, message_id)
  SELECT p_tenant_id, i.event_id, p_connection_id, i.event_type, i.payload, l.message_id
    FROM jsonb_to_recordset(p_items) AS i(ord integer, event_id uuid, event_type text, payload jsonb)
    LEFT JOIN unnest(v_link_ords, v_link_ids) AS l(ord, message_id) ON l.ord = i.ord
   WHERE i.event_id IS NOT NULL
   ORDER BY i.ord;

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

