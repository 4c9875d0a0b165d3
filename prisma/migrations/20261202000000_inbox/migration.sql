-- The dashboard's inbox: read marks per conversation, and search over what contacts wrote.

CREATE TABLE "conversation_reads" (
    "tenant_id" UUID NOT NULL,
    "contact_number" VARCHAR(32) NOT NULL,
    "read_until" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "conversation_reads_pkey" PRIMARY KEY ("tenant_id", "contact_number")
);
ALTER TABLE "conversation_reads" ADD CONSTRAINT "conversation_reads_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

ALTER TABLE "conversation_reads" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "conversation_reads" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "conversation_reads"
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON "conversation_reads" TO switchboard_app;

-- Conversation search by text. Only INBOUND rows are indexed: they are written once (by callbacks) and
-- never updated, so the index costs the send path nothing. A trigram index over every body made each
-- dispatch update (never HOT) re-extract the body's trigrams, most of PostgreSQL's CPU per sent message
-- (migration 20261125215000); outbound text is matched by scanning the tenant's outbound rows instead.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX "messages_inbound_body_trgm_idx" ON "messages" USING gin ("body" gin_trgm_ops) WHERE "direction" = 'INBOUND';

-- Unread and received counts of a page's conversations: INBOUND rows only, never updated, so the index
-- is as free for the send path as the one above, and its scans stay index-only.
CREATE INDEX "messages_inbound_contact_created_at_idx" ON "messages" ("tenant_id", "contact_number", "created_at") WHERE "direction" = 'INBOUND';
