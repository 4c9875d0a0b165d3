-- CreateTable
CREATE TABLE "provider_events" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "connection_id" UUID NOT NULL,
    "event_type" VARCHAR(100) NOT NULL,
    "payload" JSONB NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_events_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE INDEX "provider_events_tenant_id_received_at_idx" ON "provider_events"("tenant_id", "received_at" DESC);

-- AddForeignKey
ALTER TABLE "provider_events" ADD CONSTRAINT "provider_events_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "provider_events" ADD CONSTRAINT "provider_events_tenant_id_connection_id_fkey" FOREIGN KEY ("tenant_id", "connection_id") REFERENCES "whatsapp_connections"("tenant_id", "id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------------------------
-- Hand-written: RLS for the new table, and the look-up that routes a callback to its tenant
-- ---------------------------------------------------------------------------------------------
ALTER TABLE "provider_events" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "provider_events" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "provider_events"
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
-- Provider callbacks are a record of what arrived: the application adds, never edits.
GRANT SELECT, INSERT ON "provider_events" TO switchboard_app;

-- A provider callback carries only the secret token of its inbound URL; this finds the connection
-- (and so the tenant) it belongs to, and nothing else.
GRANT SELECT ON "whatsapp_connections" TO switchboard_auth;
CREATE POLICY auth_lookup ON "whatsapp_connections" FOR SELECT TO switchboard_auth USING (true);

CREATE FUNCTION inbound_connection_for_token(p_token_hash text)
RETURNS TABLE (tenant_id uuid, connection_id uuid, number text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT c.tenant_id, c.id, c.number::text FROM whatsapp_connections c WHERE c.inbound_token_hash = p_token_hash $$;

ALTER FUNCTION inbound_connection_for_token(text) OWNER TO switchboard_auth;
REVOKE ALL ON FUNCTION inbound_connection_for_token(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbound_connection_for_token(text) TO switchboard_app;
