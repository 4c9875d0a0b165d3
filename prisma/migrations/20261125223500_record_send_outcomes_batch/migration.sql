-- Recording provider answers in batches: one statement, and so one commit, per batch of a
-- tenant's outcomes instead of per message. Per-message commits made the dispatcher wait on WAL
-- flushes (measured as WALWrite/WALSync waits on a durable PostgreSQL). Same rules as
-- app_record_send_outcome, which this replaces: tenant set transaction-locally first, runs as the
-- caller under RLS, only SENDING (or UNKNOWN: a late definite answer wins) rows change.
CREATE FUNCTION app_record_send_outcomes(p_tenant_id uuid, p_outcomes jsonb)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
DECLARE
  recorded integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  WITH outcome AS (
    SELECT * FROM jsonb_to_recordset(p_outcomes)
      AS o(id uuid, status "MessageStatus", provider_message_id text, error text, retry_in_ms double precision, detail text)
  ), updated AS (
    UPDATE messages m SET status = o.status, status_changed_at = now(), lease_expires_at = NULL,
           provider_message_id = COALESCE(o.provider_message_id, m.provider_message_id), error = o.error,
           next_attempt_at = CASE WHEN o.status = 'QUEUED' THEN now() + make_interval(secs => o.retry_in_ms / 1000) ELSE NULL END
      FROM outcome o
     WHERE m.tenant_id = p_tenant_id AND m.id = o.id AND m.status IN ('SENDING', 'UNKNOWN')
    RETURNING m.id, o.status, o.detail
  )
  INSERT INTO message_status_events (tenant_id, id, message_id, status, detail)
  SELECT p_tenant_id, gen_random_uuid(), u.id, u.status, u.detail FROM updated u;
  GET DIAGNOSTICS recorded = ROW_COUNT;
  RETURN recorded;
END
$$;

REVOKE ALL ON FUNCTION app_record_send_outcomes(uuid, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_record_send_outcomes(uuid, jsonb) TO switchboard_app;
-- Superseded by the batch version above.
DROP FUNCTION app_record_send_outcome(uuid, uuid, "MessageStatus", text, text, double precision, text);
