-- Idempotency keys are kept at least 24 hours (IDEMPOTENCY_KEY_RETENTION_HOURS), then forgotten: an hourly
-- job clears `idempotency_key` and `request_hash` of older messages, so the same key sends a new message.
-- The message itself stays. Across all tenants, like the webhook payload retention (20261130040000): a
-- SECURITY DEFINER function owned by the NOLOGIN role switchboard_dispatch, which may only clear keys
-- older than 24 hours.

-- Finds what to forget without walking the message log: only messages that still hold a key are in it,
-- so it stays about one window's keyed messages. Clearing a key drops the row out of this index and out
-- of the unique (tenant_id, idempotency_key) index, both partial on the key being set. The update is
-- not HOT (the key is indexed), once per keyed message, in batches.
CREATE INDEX "messages_created_at_with_idempotency_key_idx" ON "messages" ("created_at") WHERE "idempotency_key" IS NOT NULL;

-- Only the columns it reads to find a message, and the two it clears; never the text or the numbers.
GRANT SELECT ("tenant_id", "id", "created_at", "idempotency_key"), UPDATE ("idempotency_key", "request_hash") ON "messages" TO switchboard_dispatch;
-- The 24 hours the API promises are in the policies too: no caller of the function, whatever it
-- passes, can make it see or clear a younger key. (An UPDATE that reads columns must also see the row
-- it leaves behind, the key cleared: so the read policy is on age alone.)
CREATE POLICY dispatch_forget_keys_read ON "messages" FOR SELECT TO switchboard_dispatch
  USING ("created_at" < now() - interval '24 hours');
CREATE POLICY dispatch_forget_keys_clear ON "messages" FOR UPDATE TO switchboard_dispatch
  USING ("idempotency_key" IS NOT NULL AND "created_at" < now() - interval '24 hours')
  WITH CHECK ("idempotency_key" IS NULL AND "request_hash" IS NULL);

-- Forgets the idempotency keys of up to `p_limit` messages created more than `p_hours` hours ago (at
-- least 24), oldest first; returns how many. Rows a sender holds locked are left to the next batch.
CREATE FUNCTION messages_forget_idempotency_keys(p_hours integer, p_limit integer)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  cleared integer;
BEGIN
  IF p_hours IS NULL OR p_hours < 24 THEN
    RAISE EXCEPTION 'idempotency keys are kept at least 24 hours, not %', p_hours USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_limit IS NULL OR p_limit < 1 OR p_limit > 10000 THEN
    RAISE EXCEPTION 'a batch is 1 to 10000 messages, not %', p_limit USING ERRCODE = 'invalid_parameter_value';
  END IF;
  WITH expired AS (
    SELECT m.tenant_id, m.id FROM messages m
     WHERE m.idempotency_key IS NOT NULL AND m.created_at < now() - make_interval(hours => p_hours)
     ORDER BY m.created_at LIMIT p_limit
       FOR UPDATE SKIP LOCKED
  )
  UPDATE messages m SET idempotency_key = NULL, request_hash = NULL FROM expired x WHERE m.tenant_id = x.tenant_id AND m.id = x.id;
  GET DIAGNOSTICS cleared = ROW_COUNT;
  RETURN cleared;
END
$$;

ALTER FUNCTION messages_forget_idempotency_keys(integer, integer) OWNER TO switchboard_dispatch;
REVOKE ALL ON FUNCTION messages_forget_idempotency_keys(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION messages_forget_idempotency_keys(integer, integer) TO switchboard_app;

-- Unused: nothing read or wrote usage_counters; usage is summed from the messages themselves.
ALTER TABLE "usage_counters" DROP CONSTRAINT "usage_counters_tenant_id_fkey";
DROP TABLE "usage_counters";
