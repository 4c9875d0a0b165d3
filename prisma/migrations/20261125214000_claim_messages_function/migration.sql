-- The dispatcher's claim in one round trip: due QUEUED messages of one connection, oldest first,
-- skipping rows another dispatcher holds, marked SENDING with a lease before anything is sent.
-- Sets the tenant transaction-locally first and runs as the caller, under RLS.
CREATE FUNCTION app_claim_messages(p_tenant_id uuid, p_connection_id uuid, p_limit integer, p_lease_ms double precision)
RETURNS TABLE (id uuid, to_number text, body text, attempts integer, provider "WhatsAppProvider", api_key_ciphertext text,
               connection_status "ConnectionStatus", send_rate_per_second integer)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  RETURN QUERY
    WITH due AS (
      SELECT m.tenant_id, m.id FROM messages m
       WHERE m.tenant_id = p_tenant_id AND m.connection_id = p_connection_id AND m.status = 'QUEUED' AND m.next_attempt_at <= now()
       ORDER BY m.next_attempt_at, m.id LIMIT p_limit FOR UPDATE SKIP LOCKED
    )
    UPDATE messages m SET status = 'SENDING', attempts = m.attempts + 1, status_changed_at = now(),
           lease_expires_at = now() + make_interval(secs => p_lease_ms / 1000)
      FROM due, whatsapp_connections c
     WHERE m.tenant_id = due.tenant_id AND m.id = due.id AND c.tenant_id = m.tenant_id AND c.id = m.connection_id
    RETURNING m.id, m.to_number::text, m.body, m.attempts, c.provider, c.api_key_ciphertext, c.status, c.send_rate_per_second;
END
$$;

REVOKE ALL ON FUNCTION app_claim_messages(uuid, uuid, integer, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_claim_messages(uuid, uuid, integer, double precision) TO switchboard_app;
