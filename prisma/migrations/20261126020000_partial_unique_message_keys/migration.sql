-- The two unique keys most messages leave NULL (an idempotency key is optional; an outbound message has
-- no provider id until it is sent) become partial: NULLs were indexed too, so every insert and every
-- status update (never HOT: the outbox indexes cover status) wrote two index entries that no lookup
-- can use. With these, a sent message writes 12 index entries instead of 17. Lookups by either key
-- (`= $n` implies NOT NULL) still use them; ON CONFLICT names the predicate to infer them.
-- schema.prisma cannot express partial indexes, so it no longer declares them (like the outbox indexes).

DROP INDEX "messages_tenant_id_idempotency_key_key";
CREATE UNIQUE INDEX "messages_tenant_id_idempotency_key_key" ON "messages" ("tenant_id", "idempotency_key") WHERE "idempotency_key" IS NOT NULL;
DROP INDEX "messages_tenant_id_provider_message_id_key";
CREATE UNIQUE INDEX "messages_tenant_id_provider_message_id_key" ON "messages" ("tenant_id", "provider_message_id") WHERE "provider_message_id" IS NOT NULL;

-- As in 20261125213000_accept_message_function, with the conflict target's predicate.
CREATE OR REPLACE FUNCTION app_accept_message(
  p_tenant_id uuid, p_id uuid, p_to text, p_body text, p_preview text, p_idempotency_key text, p_request_hash text
)
RETURNS TABLE (outcome text, message json)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);

  -- Through the connection and the tenant's active flag: the checks and the write are one statement.
  RETURN QUERY
    INSERT INTO messages AS m (tenant_id, id, connection_id, direction, from_number, to_number, contact_number, body, preview,
                               status, idempotency_key, request_hash, next_attempt_at)
    SELECT p_tenant_id, p_id, c.id, 'OUTBOUND', c.number, p_to, p_to, p_body, p_preview, 'QUEUED', p_idempotency_key, p_request_hash, now()
      FROM whatsapp_connections c JOIN tenants t ON t.id = c.tenant_id
     WHERE c.tenant_id = p_tenant_id AND c.status = 'CONNECTED' AND t.active
    ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
    RETURNING 'created', json_build_object('id', m.id, 'direction', m.direction, 'from_number', m.from_number, 'to_number', m.to_number,
      'body', m.body, 'preview', m.preview, 'status', m.status, 'error', m.error, 'provider_message_id', m.provider_message_id,
      'idempotency_key', m.idempotency_key, 'attempts', m.attempts, 'created_at', m.created_at, 'status_changed_at', m.status_changed_at);
  IF FOUND THEN RETURN; END IF;

  -- Nothing inserted: an idempotent replay, a reused key, or a tenant that cannot send.
  IF p_idempotency_key IS NOT NULL THEN
    RETURN QUERY
      SELECT CASE WHEN m.request_hash = p_request_hash THEN 'replayed' ELSE 'idempotency_conflict' END,
             json_build_object('id', m.id, 'direction', m.direction, 'from_number', m.from_number, 'to_number', m.to_number,
               'body', m.body, 'preview', m.preview, 'status', m.status, 'error', m.error, 'provider_message_id', m.provider_message_id,
               'idempotency_key', m.idempotency_key, 'attempts', m.attempts, 'created_at', m.created_at, 'status_changed_at', m.status_changed_at)
        FROM messages m WHERE m.tenant_id = p_tenant_id AND m.idempotency_key = p_idempotency_key;
    IF FOUND THEN RETURN; END IF;
  END IF;

  RETURN QUERY
    SELECT CASE WHEN t.active IS NOT TRUE THEN 'tenant_inactive' ELSE 'not_connected' END, NULL::json
      FROM (SELECT NULL) AS one LEFT JOIN tenants t ON t.id = p_tenant_id;
END
$$;
