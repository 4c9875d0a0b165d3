-- Webhook bodies are kept 30 days: after that an event keeps its type and time (the delivery log still
-- shows what was sent when, and each attempt's answer) but not its payload, the message it carried.
-- Across all tenants, so like the engine's other cross-tenant work: a SECURITY DEFINER function owned by
-- the NOLOGIN role switchboard_dispatch, which may only clear payloads.

CREATE INDEX "webhook_events_occurred_at_with_payload_idx" ON "webhook_events" ("occurred_at") WHERE "payload" IS NOT NULL;

GRANT SELECT, UPDATE ("payload") ON "webhook_events" TO switchboard_dispatch;
CREATE POLICY dispatch_retention_read ON "webhook_events" FOR SELECT TO switchboard_dispatch USING (true);
CREATE POLICY dispatch_retention_clear ON "webhook_events" FOR UPDATE TO switchboard_dispatch USING (true) WITH CHECK ("payload" IS NULL);

-- Clears the payloads of up to `p_limit` events older than `p_days` days, oldest first; returns how many.
CREATE FUNCTION webhooks_drop_expired_payloads(p_days integer, p_limit integer)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  cleared integer;
BEGIN
  WITH expired AS (
    SELECT e.tenant_id, e.id FROM webhook_events e
     WHERE e.payload IS NOT NULL AND e.occurred_at < now() - make_interval(days => p_days)
     ORDER BY e.occurred_at LIMIT p_limit
  )
  UPDATE webhook_events e SET payload = NULL FROM expired x WHERE e.tenant_id = x.tenant_id AND e.id = x.id;
  GET DIAGNOSTICS cleared = ROW_COUNT;
  RETURN cleared;
END
$$;

ALTER FUNCTION webhooks_drop_expired_payloads(integer, integer) OWNER TO switchboard_dispatch;
REVOKE ALL ON FUNCTION webhooks_drop_expired_payloads(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webhooks_drop_expired_payloads(integer, integer) TO switchboard_app;
