-- AlterTable
ALTER TABLE "whatsapp_connections" ADD COLUMN     "inbound_token_ciphertext" TEXT NOT NULL,
ADD COLUMN     "send_rate_per_second" INTEGER NOT NULL DEFAULT 20;

-- AlterTable
ALTER TABLE "messages" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "contact_number" VARCHAR(32) NOT NULL,
ADD COLUMN     "lease_expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "next_attempt_at" TIMESTAMPTZ(3) DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "request_hash" VARCHAR(64);

-- CreateIndex
CREATE INDEX "messages_tenant_id_contact_number_created_at_id_idx" ON "messages"("tenant_id", "contact_number", "created_at" DESC, "id" DESC);


-- ---------------------------------------------------------------------------------------------
-- Hand-written: partial indexes, search, and the dispatcher's narrow path past RLS
-- ---------------------------------------------------------------------------------------------

-- A tenant has at most one connected number at a time.
CREATE UNIQUE INDEX "whatsapp_connections_one_connected_per_tenant" ON "whatsapp_connections" ("tenant_id") WHERE "status" = 'CONNECTED';

-- The outbox: each message row is its own queue entry. Dispatchers claim due rows per connection,
-- oldest first, with FOR UPDATE SKIP LOCKED; only QUEUED rows are in the index, so it stays small.
CREATE INDEX "messages_outbox_idx" ON "messages" ("tenant_id", "connection_id", "next_attempt_at", "id") WHERE "status" = 'QUEUED';
-- Sends whose dispatcher may have died: found by lease expiry.
CREATE INDEX "messages_sending_lease_idx" ON "messages" ("lease_expires_at") WHERE "status" = 'SENDING';

-- Free-text search in the message log.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "messages_body_trgm_idx" ON "messages" USING gin ("body" gin_trgm_ops);

-- Dispatching is work for every tenant at once. Instead of a bypass, the dispatcher gets two
-- named functions running as `switchboard_dispatch` (NOLOGIN, owns nothing): one says which
-- connections have due messages (ids only), one marks sends whose dispatcher died as UNKNOWN.
-- Everything else the dispatcher does (claiming, recording outcomes) runs per tenant under RLS.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'switchboard_dispatch') THEN
    CREATE ROLE switchboard_dispatch NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO switchboard_dispatch;
GRANT SELECT, UPDATE ON "messages" TO switchboard_dispatch;
GRANT INSERT ON "message_status_events" TO switchboard_dispatch;
CREATE POLICY dispatch_read ON "messages" FOR SELECT TO switchboard_dispatch USING (true);
CREATE POLICY dispatch_expire ON "messages" FOR UPDATE TO switchboard_dispatch USING (status = 'SENDING') WITH CHECK (status = 'UNKNOWN');
CREATE POLICY dispatch_record ON "message_status_events" FOR INSERT TO switchboard_dispatch WITH CHECK (status = 'UNKNOWN');

-- Connections with due outbound messages: a loose index scan over the outbox index, so the cost
-- grows with the number of busy connections, not with the backlog.
CREATE FUNCTION dispatch_due_connections(p_limit integer)
RETURNS TABLE (tenant_id uuid, connection_id uuid)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  WITH RECURSIVE busy AS (
    (SELECT m.tenant_id, m.connection_id FROM messages m
      WHERE m.status = 'QUEUED' AND m.connection_id IS NOT NULL
      ORDER BY m.tenant_id, m.connection_id LIMIT 1)
    UNION ALL
    SELECT next.tenant_id, next.connection_id FROM busy,
      LATERAL (SELECT m.tenant_id, m.connection_id FROM messages m
                WHERE m.status = 'QUEUED' AND m.connection_id IS NOT NULL
                  AND (m.tenant_id, m.connection_id) > (busy.tenant_id, busy.connection_id)
                ORDER BY m.tenant_id, m.connection_id LIMIT 1) next
  )
  SELECT b.tenant_id, b.connection_id FROM busy b
   WHERE EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = b.tenant_id AND m.connection_id = b.connection_id
                   AND m.status = 'QUEUED' AND m.next_attempt_at <= now())
   LIMIT p_limit
$$;

-- Sends whose lease ran out without an outcome: the dispatcher died mid-call. Rapiwa takes no
-- idempotency key, so a blind retry could send twice: mark them UNKNOWN for the tenant to see.
CREATE FUNCTION dispatch_expire_leases()
RETURNS TABLE (tenant_id uuid, message_id uuid)
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  WITH expired AS (
    UPDATE messages m SET status = 'UNKNOWN', status_changed_at = now(), lease_expires_at = NULL,
           error = 'The send was interrupted: the provider may or may not have delivered it. Check with the recipient before resending.'
     WHERE m.status = 'SENDING' AND m.lease_expires_at < now()
    RETURNING m.tenant_id, m.id
  ), recorded AS (
    INSERT INTO message_status_events (tenant_id, id, message_id, status, detail)
    SELECT e.tenant_id, gen_random_uuid(), e.id, 'UNKNOWN', 'dispatcher stopped before recording the outcome' FROM expired e
  )
  SELECT e.tenant_id, e.id FROM expired e
$$;

ALTER FUNCTION dispatch_due_connections(integer) OWNER TO switchboard_dispatch;
ALTER FUNCTION dispatch_expire_leases() OWNER TO switchboard_dispatch;
REVOKE ALL ON FUNCTION dispatch_due_connections(integer), dispatch_expire_leases() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dispatch_due_connections(integer), dispatch_expire_leases() TO switchboard_app;
