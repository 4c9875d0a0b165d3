-- Relay global ids and the polling order of the message log.

-- TeamMember ids: a membership's own id. A user's id is no TeamMember id: the same user in two teams
-- would be two objects with one id. Existing memberships get one here; leaving and joining again makes
-- a new membership, so a new id.
ALTER TABLE "memberships" ADD COLUMN     "id" UUID NOT NULL DEFAULT gen_random_uuid();

-- node(id:) finds a TeamMember by it, within the tenant.
CREATE UNIQUE INDEX "memberships_tenant_id_id_key" ON "memberships"("tenant_id", "id");

-- messages(orderBy: STATUS_CHANGED_AT): oldest change first, keyset-paged on (status_changed_at, id).
-- The price: status_changed_at is indexed now, so the status updates of a send (SENDING, SENT, receipts)
-- are no longer HOT and each adds an entry to every index of messages (they were 92% HOT in the bench of
-- 2026-11-30 with fillfactor 70). Built inside the migration's transaction, which holds writes to
-- messages for as long as the build takes: on a large table, build it CONCURRENTLY by hand first.
CREATE INDEX "messages_tenant_id_status_changed_at_id_idx" ON "messages"("tenant_id", "status_changed_at", "id");

-- A conversation's id: a name-based UUID (version 8; the RFC 9562 layout with SHA-256, which PostgreSQL
-- has built in, where version 5 would need SHA-1 from pgcrypto) of the tenant and the contact number.
-- Stable, the same wherever it is computed, and different in every tenant for the same contact.
CREATE FUNCTION app_conversation_id(p_tenant_id uuid, p_contact_number text)
RETURNS uuid
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE SECURITY INVOKER SET search_path = public, pg_temp
AS $$
  SELECT encode(set_byte(set_byte(substr(h, 1, 16), 6, (get_byte(h, 6) & 15) | 128), 8, (get_byte(h, 8) & 63) | 128), 'hex')::uuid
    FROM (SELECT sha256(convert_to(p_tenant_id::text || ':' || p_contact_number, 'UTF8')) AS h) AS hashed
$$;
REVOKE ALL ON FUNCTION app_conversation_id(uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_conversation_id(uuid, text) TO switchboard_app;
