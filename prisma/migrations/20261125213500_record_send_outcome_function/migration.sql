-- The dispatcher records every provider answer: one round trip instead of four (BEGIN and the
-- tenant, UPDATE, INSERT of the history row, COMMIT). Like app_accept_message it sets the tenant
-- transaction-locally first and runs as the caller, under RLS.
CREATE FUNCTION app_record_send_outcome(
  p_tenant_id uuid, p_message_id uuid, p_status "MessageStatus", p_provider_message_id text, p_error text,
  p_retry_in_ms double precision, p_detail text
)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  -- UNKNOWN too: a late but definite answer beats "unknown".
  UPDATE messages SET status = p_status, status_changed_at = now(), lease_expires_at = NULL,
         provider_message_id = COALESCE(p_provider_message_id, provider_message_id), error = p_error,
         next_attempt_at = CASE WHEN p_status = 'QUEUED' THEN now() + make_interval(secs => p_retry_in_ms / 1000) ELSE NULL END
   WHERE tenant_id = p_tenant_id AND id = p_message_id AND status IN ('SENDING', 'UNKNOWN');
  IF NOT FOUND THEN RETURN false; END IF;
  INSERT INTO message_status_events (tenant_id, id, message_id, status, detail)
  VALUES (p_tenant_id, gen_random_uuid(), p_message_id, p_status, p_detail);
  RETURN true;
END
$$;

REVOKE ALL ON FUNCTION app_record_send_outcome(uuid, uuid, "MessageStatus", text, text, double precision, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_record_send_outcome(uuid, uuid, "MessageStatus", text, text, double precision, text) TO switchboard_app;
