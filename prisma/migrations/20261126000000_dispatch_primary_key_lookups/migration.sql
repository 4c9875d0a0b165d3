-- The claim and the outcome recording updated messages through a join the planner was free to
-- order. With statistics from a small table (and plpgsql's cached generic plan) it scanned every
-- message of the tenant and joined by filter: 30-90 ms per claim once a tenant had a few thousand
-- messages, which capped dispatch near 200 messages/s (auto_explain, bench of 2026-11-26).
-- Both now collect the ids first and update by primary key (tenant_id, id) = ANY(ids), a plan
-- that does not depend on statistics. Behaviour is unchanged.

CREATE OR REPLACE FUNCTION app_claim_messages(p_tenant_id uuid, p_connection_id uuid, p_limit integer, p_lease_ms double precision)
RETURNS TABLE (id uuid, to_number text, body text, attempts integer, provider "WhatsAppProvider", api_key_ciphertext text,
               connection_status "ConnectionStatus", send_rate_per_second integer)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  due_ids uuid[];
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  SELECT array_agg(due.id) INTO due_ids FROM (
    SELECT m.id FROM messages m
     WHERE m.tenant_id = p_tenant_id AND m.connection_id = p_connection_id AND m.status = 'QUEUED' AND m.next_attempt_at <= now()
     ORDER BY m.next_attempt_at, m.id LIMIT p_limit FOR UPDATE SKIP LOCKED
  ) AS due;
  IF due_ids IS NULL THEN RETURN; END IF;
  RETURN QUERY
    UPDATE messages m SET status = 'SENDING', attempts = m.attempts + 1, status_changed_at = now(),
           lease_expires_at = now() + make_interval(secs => p_lease_ms / 1000)
      FROM whatsapp_connections c
     WHERE m.tenant_id = p_tenant_id AND m.id = ANY (due_ids) AND c.tenant_id = p_tenant_id AND c.id = p_connection_id
    RETURNING m.id, m.to_number::text, m.body, m.attempts, c.provider, c.api_key_ciphertext, c.status, c.send_rate_per_second;
END
$$;

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
    UPDATE messages m SET status = o.status, status_changed_at = now(), lease_expires_at = NULL,
           provider_message_id = COALESCE(o.provider_message_id, m.provider_message_id), error = o.error,
           next_attempt_at = CASE WHEN o.status = 'QUEUED' THEN now() + make_interval(secs => o.retry_in_ms / 1000) ELSE NULL END
      FROM outcome o
     WHERE m.tenant_id = p_tenant_id AND m.id = ANY (ARRAY(SELECT id FROM outcome)) AND m.id = o.id AND m.status IN ('SENDING', 'UNKNOWN')
    RETURNING m.id, o.status, o.detail
  )
  INSERT INTO message_status_events (tenant_id, id, message_id, status, detail)
  SELECT p_tenant_id, gen_random_uuid(), u.id, u.status, u.detail FROM updated u;
  GET DIAGNOSTICS recorded = ROW_COUNT;
  RETURN recorded;
END
$$;
