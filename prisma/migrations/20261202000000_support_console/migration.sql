-- The support console: Switchboard staff (platform_staff, outside every tenant) read tenants' message
-- logs only through the SECURITY DEFINER functions below, owned by the NOLOGIN role
-- switchboard_support. Each function checks the caller's support session (its reason, its 30 minutes,
-- its staff member) and writes its own audit entries (support_access_log, a tenant table the tenant's
-- owners and admins read) in the same transaction as the read, so no read goes unrecorded. The app
-- role may call the functions, read its own tenant's access log, and nothing else of these tables.

-- CreateEnum
CREATE TYPE "PlatformRole" AS ENUM ('SUPPORT', 'SUPERADMIN');

-- CreateTable
CREATE TABLE "platform_staff" (
    "user_id" UUID NOT NULL,
    "role" "PlatformRole" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "platform_staff_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "support_sessions" (
    "id" UUID NOT NULL,
    "staff_user_id" UUID NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "support_sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "support_access_log" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "support_session_id" UUID NOT NULL,
    "staff_user_id" UUID NOT NULL,
    "staff_email" VARCHAR(320) NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "action" VARCHAR(32) NOT NULL,
    "query" JSONB NOT NULL,
    "message_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "support_access_log_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE INDEX "support_sessions_staff_user_id_started_at_idx" ON "support_sessions"("staff_user_id", "started_at" DESC);

-- CreateIndex
CREATE INDEX "support_access_log_tenant_id_created_at_id_idx" ON "support_access_log"("tenant_id", "created_at" DESC, "id" DESC);

-- AddForeignKey
ALTER TABLE "platform_staff" ADD CONSTRAINT "platform_staff_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "support_sessions" ADD CONSTRAINT "support_sessions_staff_user_id_fkey" FOREIGN KEY ("staff_user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "support_access_log" ADD CONSTRAINT "support_access_log_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Roles ---------------------------------------------------------------------------------------------

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'switchboard_support') THEN
    CREATE ROLE switchboard_support NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO switchboard_support;

-- platform_staff: no tenant, no user scope. Only the owner connection (npm run staff) writes it; the
-- auth look-ups read a session's platform role, the support functions check the caller is staff.
ALTER TABLE "platform_staff" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "platform_staff" FORCE ROW LEVEL SECURITY;
GRANT SELECT ON "platform_staff" TO switchboard_auth, switchboard_support;
CREATE POLICY auth_lookup ON "platform_staff" FOR SELECT TO switchboard_auth USING (true);
CREATE POLICY support_read ON "platform_staff" FOR SELECT TO switchboard_support USING (true);

-- support_sessions: written and read by the support functions only.
ALTER TABLE "support_sessions" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "support_sessions" FORCE ROW LEVEL SECURITY;
ALTER TABLE "support_sessions" ADD CONSTRAINT "support_sessions_reason_length" CHECK (char_length("reason") BETWEEN 10 AND 500);
GRANT SELECT, INSERT, UPDATE ("expires_at") ON "support_sessions" TO switchboard_support;
CREATE POLICY support_sessions ON "support_sessions" FOR ALL TO switchboard_support USING (true) WITH CHECK (true);

-- support_access_log: a tenant table. The tenant reads its own rows (RLS on app.tenant_id, SELECT
-- only: nobody updates or deletes the record); only the support functions insert.
ALTER TABLE "support_access_log" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "support_access_log" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "support_access_log" FOR SELECT
  USING ("tenant_id" = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
CREATE POLICY support_write ON "support_access_log" FOR INSERT TO switchboard_support WITH CHECK (true);
GRANT SELECT ON "support_access_log" TO switchboard_app;
GRANT INSERT ON "support_access_log" TO switchboard_support;

-- What the support functions read, across tenants: reads only, the columns they show.
-- The read policies users and tenants have for everyone (a member's team, an invitee's tenants) are
-- evaluated for this role too and need these columns; they match nothing here, since the support
-- functions never set app.user_id or app.tenant_id.
GRANT SELECT ("tenant_id", "user_id") ON "memberships" TO switchboard_support;
GRANT SELECT ("tenant_id", "email", "accepted_at", "declined_at", "revoked_at") ON "team_invitations" TO switchboard_support;
GRANT SELECT ("id", "email") ON "users" TO switchboard_support;
CREATE POLICY support_read_staff ON "users" FOR SELECT TO switchboard_support
  USING (EXISTS (SELECT 1 FROM platform_staff s WHERE s.user_id = users.id));
GRANT SELECT ("id", "company_name") ON "tenants" TO switchboard_support;
CREATE POLICY support_read ON "tenants" FOR SELECT TO switchboard_support USING (true);
GRANT SELECT ON "messages" TO switchboard_support;
CREATE POLICY support_read ON "messages" FOR SELECT TO switchboard_support USING (true);
GRANT SELECT ("tenant_id", "message_id", "status", "detail", "occurred_at") ON "message_status_events" TO switchboard_support;
CREATE POLICY support_read ON "message_status_events" FOR SELECT TO switchboard_support USING (true);
GRANT SELECT ON "provider_message_refs" TO switchboard_support;
CREATE POLICY support_read ON "provider_message_refs" FOR SELECT TO switchboard_support USING (true);
GRANT SELECT ("tenant_id", "id", "event_id", "endpoint_id", "event_type", "status", "attempts", "created_at", "last_attempt_at", "last_response_status")
  ON "webhook_deliveries" TO switchboard_support;
CREATE POLICY support_read ON "webhook_deliveries" FOR SELECT TO switchboard_support USING (true);
GRANT SELECT ("tenant_id", "id", "payload", "occurred_at") ON "webhook_events" TO switchboard_support;
CREATE POLICY support_read ON "webhook_events" FOR SELECT TO switchboard_support USING (true);

-- Text search across tenants: ILIKE '%...%' (3+ characters) through trigrams. It costs the send path
-- a GIN entry per message version: measured in the README's benchmark section.
CREATE INDEX IF NOT EXISTS messages_body_trgm_idx ON messages USING gin (body gin_trgm_ops);

-- Authentication learns a session's platform role with the session itself (one look-up per request).
DROP FUNCTION auth_resolve_session(text, uuid);
CREATE FUNCTION auth_resolve_session(p_token_hash text, p_tenant_id uuid)
RETURNS TABLE (session_id uuid, user_id uuid, expires_at timestamptz, tenant_id uuid, role "MembershipRole", tenant_active boolean, platform_role "PlatformRole")
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT s.id, s.user_id, s.expires_at, m.tenant_id, m.role, t.active, ps.role
    FROM sessions s
    LEFT JOIN LATERAL (
      SELECT mm.tenant_id, mm.role FROM memberships mm
       WHERE mm.user_id = s.user_id AND (p_tenant_id IS NULL OR mm.tenant_id = p_tenant_id)
       ORDER BY mm.created_at, mm.tenant_id LIMIT 1
    ) m ON true
    LEFT JOIN tenants t ON t.id = m.tenant_id
    LEFT JOIN platform_staff ps ON ps.user_id = s.user_id
   WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL AND s.expires_at > now()
$$;
ALTER FUNCTION auth_resolve_session(text, uuid) OWNER TO switchboard_auth;
REVOKE ALL ON FUNCTION auth_resolve_session(text, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_resolve_session(text, uuid) TO switchboard_app;

-- A staff member's platform role at log-in (null for everyone else).
CREATE FUNCTION auth_platform_role(p_user_id uuid)
RETURNS "PlatformRole"
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT s.role FROM platform_staff s WHERE s.user_id = p_user_id $$;
ALTER FUNCTION auth_platform_role(uuid) OWNER TO switchboard_auth;
REVOKE ALL ON FUNCTION auth_platform_role(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_platform_role(uuid) TO switchboard_app;

-- Support sessions ----------------------------------------------------------------------------------
-- SQLSTATEs the server maps to errors: SB101 no valid session (FORBIDDEN), SB102 not staff
-- (FORBIDDEN), SB103 bad input (BAD_USER_INPUT, the field in the DETAIL).

CREATE FUNCTION support_start_session(p_staff_user_id uuid, p_reason text)
RETURNS TABLE (session_id uuid, reason text, started_at timestamptz, expires_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM platform_staff s WHERE s.user_id = p_staff_user_id) THEN
    RAISE EXCEPTION 'Only Switchboard support staff can start a support session.' USING ERRCODE = 'SB102';
  END IF;
  IF p_reason IS NULL OR char_length(btrim(p_reason)) NOT BETWEEN 10 AND 500 THEN
    RAISE EXCEPTION 'Give the reason for this support session: 10 to 500 characters (e.g. the ticket and what the customer asked).'
      USING ERRCODE = 'SB103', DETAIL = 'reason';
  END IF;
  RETURN QUERY
    INSERT INTO support_sessions AS s (id, staff_user_id, reason, started_at, expires_at)
    VALUES (gen_random_uuid(), p_staff_user_id, btrim(p_reason), now(), now() + interval '30 minutes')
    RETURNING s.id, s.reason::text, s.started_at, s.expires_at;
END
$$;

-- The caller's live session, or SB101. Every staff read starts here; not callable by the app role.
CREATE FUNCTION support_session_of(p_session_id uuid, p_staff_user_id uuid)
RETURNS support_sessions
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  v_session support_sessions;
BEGIN
  SELECT s.* INTO v_session FROM support_sessions s
   WHERE s.id = p_session_id AND s.staff_user_id = p_staff_user_id AND s.expires_at > now()
     AND EXISTS (SELECT 1 FROM platform_staff ps WHERE ps.user_id = s.staff_user_id);
  IF NOT FOUND THEN
    RAISE EXCEPTION 'This support session is not yours, has ended or does not exist: start a new one with a reason.' USING ERRCODE = 'SB101';
  END IF;
  RETURN v_session;
END
$$;

-- Ends a session at once (the console's "end session"); refuses as above.
CREATE FUNCTION support_end_session(p_session_id uuid, p_staff_user_id uuid)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
  PERFORM support_session_of(p_session_id, p_staff_user_id);
  UPDATE support_sessions s SET expires_at = now() WHERE s.id = p_session_id;
END
$$;

-- One audit row per tenant whose data a read showed.
CREATE FUNCTION support_record_access(p_session support_sessions, p_tenant_ids uuid[], p_action text, p_query jsonb, p_message_id uuid)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  INSERT INTO support_access_log (tenant_id, id, support_session_id, staff_user_id, staff_email, reason, action, query, message_id)
  SELECT t.tenant_id, gen_random_uuid(), p_session.id, p_session.staff_user_id, u.email, p_session.reason, p_action, p_query, p_message_id
    FROM (SELECT DISTINCT unnest(p_tenant_ids) AS tenant_id) t
    CROSS JOIN (SELECT users.email FROM users WHERE users.id = p_session.staff_user_id) u
$$;

-- Search ----------------------------------------------------------------------------------------------

-- The statement support_search_messages runs for a filter (a jsonb of contact, providerMessageId,
-- messageId, text, tenantId, statuses, direction, createdAfter, createdBefore), newest first, keyset
-- after ($3, $4), $2 rows. Parameters: $1 the filter, $2 the limit, $3/$4 the cursor, $5 the ILIKE
-- pattern. Its own function so a test can EXPLAIN exactly this text. With text: one scan of the
-- trigram index across tenants. Without: per tenant (LATERAL) on the indexes that lead with tenant_id,
-- so a number or a date range costs one index probe per tenant, never a scan of every message.
CREATE FUNCTION support_search_sql(p_filter jsonb)
RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp
AS $$
DECLARE
  v_where text[] := ARRAY[]::text[];
  v_inner text;
BEGIN
  IF p_filter ? 'contact' THEN v_where := array_append(v_where, 'm.contact_number = ($1->>''contact'')'); END IF;
  IF p_filter ? 'messageId' THEN v_where := array_append(v_where, 'm.id = ($1->>''messageId'')::uuid'); END IF;
  IF p_filter ? 'direction' THEN v_where := array_append(v_where, 'm.direction = ($1->>''direction'')::"MessageDirection"'); END IF;
  IF p_filter ? 'statuses' THEN
    v_where := array_append(v_where, 'm.status = ANY (ARRAY(SELECT jsonb_array_elements_text($1->''statuses''))::"MessageStatus"[])');
  END IF;
  IF p_filter ? 'createdAfter' THEN v_where := array_append(v_where, 'm.created_at >= ($1->>''createdAfter'')::timestamptz'); END IF;
  IF p_filter ? 'createdBefore' THEN v_where := array_append(v_where, 'm.created_at < ($1->>''createdBefore'')::timestamptz'); END IF;
  IF p_filter ? 'providerMessageId' THEN
    v_where := array_append(v_where, 'm.provider_message_id = ($1->>''providerMessageId'')');
  END IF;
  v_where := array_append(v_where, '($3::timestamptz IS NULL OR (m.created_at, m.id) < ($3::timestamptz, $4::uuid))');

  IF p_filter ? 'text' THEN
    IF p_filter ? 'tenantId' THEN v_where := array_append(v_where, 'm.tenant_id = ($1->>''tenantId'')::uuid'); END IF;
    RETURN 'SELECT m.tenant_id, m.id, m.created_at FROM messages m WHERE m.body ILIKE $5 AND '
      || array_to_string(v_where, ' AND ') || ' ORDER BY m.created_at DESC, m.id DESC LIMIT $2';
  END IF;

  IF p_filter ? 'providerMessageId' THEN
    -- Through the provider's ids by tenant (primary key), then the message by its key.
    v_where := array_append(v_where, 'm.id IN (SELECT r.message_id FROM provider_message_refs r WHERE r.tenant_id = t.id AND r.provider_message_id = ($1->>''providerMessageId''))');
  END IF;
  v_inner := 'SELECT m.tenant_id, m.id, m.created_at FROM messages m WHERE m.tenant_id = t.id AND '
    || array_to_string(v_where, ' AND ') || ' ORDER BY m.created_at DESC, m.id DESC LIMIT $2';
  RETURN 'SELECT x.tenant_id, x.id, x.created_at FROM tenants t CROSS JOIN LATERAL (' || v_inner || ') x'
    || CASE WHEN p_filter ? 'tenantId' THEN ' WHERE t.id = ($1->>''tenantId'')::uuid' ELSE '' END
    || ' ORDER BY x.created_at DESC, x.id DESC LIMIT $2';
END
$$;

-- The history, attempts and webhook deliveries of some messages, as support sees them (no body).
CREATE FUNCTION support_message_details(p_keys jsonb)
RETURNS TABLE (
  tenant_id uuid, company_name text, id uuid, direction "MessageDirection", status "MessageStatus", contact_number text,
  from_number text, to_number text, provider_message_id text, error text, attempts integer, created_at timestamptz,
  status_changed_at timestamptz, history jsonb, webhook_deliveries jsonb, body text
)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  WITH k AS MATERIALIZED (
    SELECT (e->>'tenantId')::uuid AS tenant_id, (e->>'id')::uuid AS id, o AS ord FROM jsonb_array_elements(p_keys) WITH ORDINALITY AS x(e, o)
  ), m AS MATERIALIZED (
    SELECT msg.*, k.ord FROM k JOIN messages msg ON msg.tenant_id = k.tenant_id AND msg.id = k.id
  ), d AS (
    -- Events name their message in the payload (cleared after the retention period: then none show).
    SELECT ev.tenant_id, (ev.payload #>> '{message,id}')::uuid AS message_id,
           jsonb_agg(jsonb_build_object('id', wd.id, 'eventType', wd.event_type, 'status', wd.status, 'attempts', wd.attempts,
             'createdAt', wd.created_at, 'lastAttemptAt', wd.last_attempt_at, 'lastResponseStatus', wd.last_response_status)
             ORDER BY wd.created_at, wd.id) AS deliveries
      FROM webhook_events ev
      JOIN webhook_deliveries wd ON wd.tenant_id = ev.tenant_id AND wd.event_id = ev.id
     WHERE ev.payload IS NOT NULL
       AND ev.occurred_at >= (SELECT min(m.created_at) FROM m)
       AND ev.tenant_id = ANY (ARRAY(SELECT DISTINCT m.tenant_id FROM m))
       AND (ev.payload #>> '{message,id}') = ANY (ARRAY(SELECT m.id::text FROM m))
       AND wd.created_at >= (SELECT min(m.created_at) FROM m)
     GROUP BY 1, 2
  )
  SELECT m.tenant_id, t.company_name::text, m.id, m.direction, m.status, m.contact_number::text, m.from_number::text, m.to_number::text,
         m.provider_message_id::text, m.error, m.attempts, m.created_at, m.status_changed_at,
         COALESCE((SELECT jsonb_agg(jsonb_build_object('status', e.status, 'detail', e.detail, 'at', e.occurred_at) ORDER BY e.occurred_at)
                     FROM message_status_events e WHERE e.tenant_id = m.tenant_id AND e.message_id = m.id), '[]'::jsonb),
         COALESCE(d.deliveries, '[]'::jsonb),
         m.body
    FROM m JOIN tenants t ON t.id = m.tenant_id
    LEFT JOIN d ON d.tenant_id = m.tenant_id AND d.message_id = m.id
   ORDER BY m.ord
$$;

-- A page of messages matching the filter, across tenants, without their text; audited: one row per
-- tenant shown, with the filter, in this transaction. p_limit rows at most, and whether more follow.
CREATE FUNCTION support_search_messages(p_session_id uuid, p_staff_user_id uuid, p_filter jsonb, p_limit integer, p_after_created_at timestamptz, p_after_id uuid)
RETURNS TABLE (
  tenant_id uuid, company_name text, id uuid, direction "MessageDirection", status "MessageStatus", contact_number text,
  from_number text, to_number text, provider_message_id text, error text, attempts integer, created_at timestamptz,
  status_changed_at timestamptz, history jsonb, webhook_deliveries jsonb, has_more boolean
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  v_session support_sessions := support_session_of(p_session_id, p_staff_user_id);
  v_pattern text;
  v_keys jsonb;
  v_count integer;
BEGIN
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'Ask for 1 to 100 messages per page.' USING ERRCODE = 'SB103', DETAIL = 'first';
  END IF;
  IF p_filter ? 'text' THEN
    IF char_length(p_filter->>'text') < 3 THEN
      RAISE EXCEPTION 'Search text needs at least 3 characters.' USING ERRCODE = 'SB103', DETAIL = 'filter.text';
    END IF;
    v_pattern := '%' || replace(replace(replace(p_filter->>'text', '\', '\\'), '%', '\%'), '_', '\_') || '%';
  END IF;

  EXECUTE 'SELECT COALESCE(jsonb_agg(jsonb_build_object(''tenantId'', p.tenant_id, ''id'', p.id) ORDER BY p.created_at DESC, p.id DESC), ''[]''), count(*) FROM ('
    || support_search_sql(p_filter) || ') p'
    INTO v_keys, v_count
    USING p_filter, p_limit + 1, p_after_created_at, p_after_id, v_pattern;

  IF v_count > p_limit THEN v_keys := v_keys - p_limit; END IF;
  PERFORM support_record_access(v_session, ARRAY(SELECT (e->>'tenantId')::uuid FROM jsonb_array_elements(v_keys) e), 'SEARCH', p_filter, NULL);

  RETURN QUERY
    SELECT d.tenant_id, d.company_name, d.id, d.direction, d.status, d.contact_number, d.from_number, d.to_number, d.provider_message_id,
           d.error, d.attempts, d.created_at, d.status_changed_at, d.history, d.webhook_deliveries, v_count > p_limit
      FROM support_message_details(v_keys) d;
END
$$;

-- One message with its text, by id, whichever tenant it belongs to; audited (OPEN_MESSAGE).
CREATE FUNCTION support_open_message(p_session_id uuid, p_staff_user_id uuid, p_message_id uuid)
RETURNS TABLE (
  tenant_id uuid, company_name text, id uuid, direction "MessageDirection", status "MessageStatus", contact_number text,
  from_number text, to_number text, provider_message_id text, error text, attempts integer, created_at timestamptz,
  status_changed_at timestamptz, history jsonb, webhook_deliveries jsonb, body text
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  v_session support_sessions := support_session_of(p_session_id, p_staff_user_id);
  v_tenant_id uuid;
BEGIN
  -- By primary key in each tenant: one index probe per tenant.
  SELECT x.tenant_id INTO v_tenant_id
    FROM tenants t CROSS JOIN LATERAL (SELECT m.tenant_id FROM messages m WHERE m.tenant_id = t.id AND m.id = p_message_id) x
   LIMIT 1;
  IF v_tenant_id IS NULL THEN RETURN; END IF;
  PERFORM support_record_access(v_session, ARRAY[v_tenant_id], 'OPEN_MESSAGE', jsonb_build_object('messageId', p_message_id), p_message_id);
  RETURN QUERY SELECT * FROM support_message_details(jsonb_build_array(jsonb_build_object('tenantId', v_tenant_id, 'id', p_message_id)));
END
$$;

ALTER FUNCTION support_start_session(uuid, text) OWNER TO switchboard_support;
ALTER FUNCTION support_session_of(uuid, uuid) OWNER TO switchboard_support;
ALTER FUNCTION support_end_session(uuid, uuid) OWNER TO switchboard_support;
ALTER FUNCTION support_record_access(support_sessions, uuid[], text, jsonb, uuid) OWNER TO switchboard_support;
ALTER FUNCTION support_search_sql(jsonb) OWNER TO switchboard_support;
ALTER FUNCTION support_message_details(jsonb) OWNER TO switchboard_support;
ALTER FUNCTION support_search_messages(uuid, uuid, jsonb, integer, timestamptz, uuid) OWNER TO switchboard_support;
ALTER FUNCTION support_open_message(uuid, uuid, uuid) OWNER TO switchboard_support;

-- The app role calls the four entry points; the helpers (which neither check a session nor audit)
-- run only inside them.
REVOKE ALL ON FUNCTION support_start_session(uuid, text), support_session_of(uuid, uuid), support_end_session(uuid, uuid),
  support_record_access(support_sessions, uuid[], text, jsonb, uuid), support_search_sql(jsonb), support_message_details(jsonb),
  support_search_messages(uuid, uuid, jsonb, integer, timestamptz, uuid), support_open_message(uuid, uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION support_start_session(uuid, text), support_end_session(uuid, uuid),
  support_search_messages(uuid, uuid, jsonb, integer, timestamptz, uuid), support_open_message(uuid, uuid, uuid) TO switchboard_app;
