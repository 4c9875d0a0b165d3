-- The migrated database's schema as PostgreSQL describes it, printed from its catalogs by
-- `npm run schema:sql -w server` (server/src/db/schema-sql.ts). Generated: do not edit; a test fails
-- when it is stale. The migrations in prisma/migrations/ are what runs; this is for reading.

-- ================================================================================================
-- Extensions
-- ================================================================================================

CREATE EXTENSION pg_trgm;

-- ================================================================================================
-- Schema privileges
-- ================================================================================================

GRANT USAGE ON SCHEMA public TO PUBLIC;
GRANT USAGE ON SCHEMA public TO switchboard_app;
GRANT USAGE ON SCHEMA public TO switchboard_auth;
GRANT USAGE ON SCHEMA public TO switchboard_dispatch;

-- ================================================================================================
-- Enum types
-- ================================================================================================

CREATE TYPE "ApiKeyScope" AS ENUM ('MESSAGES_SEND', 'MESSAGES_READ', 'USAGE_READ', 'TENANT_ADMIN');
CREATE TYPE "ConnectionStatus" AS ENUM ('CONNECTED', 'DISCONNECTED');
CREATE TYPE "MembershipRole" AS ENUM ('OWNER', 'ADMIN', 'MEMBER');
CREATE TYPE "MessageDirection" AS ENUM ('OUTBOUND', 'INBOUND');
CREATE TYPE "MessageStatus" AS ENUM ('QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'RECEIVED', 'SENDING', 'UNKNOWN');
CREATE TYPE "Plan" AS ENUM ('STARTER', 'GROWTH', 'SCALE');
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');
CREATE TYPE "WhatsAppProvider" AS ENUM ('RAPIWA', 'SANDBOX');

-- ================================================================================================
-- Tables, with their indexes, triggers, row-level security, policies and grants
-- ================================================================================================

CREATE TABLE api_keys (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  name character varying(100) NOT NULL,
  prefix character varying(32) NOT NULL,
  secret_hash character varying(64) NOT NULL,
  scopes "ApiKeyScope"[],
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  last_used_at timestamp(3) with time zone,
  revoked_at timestamp(3) with time zone,
  CONSTRAINT api_keys_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT api_keys_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE UNIQUE INDEX api_keys_prefix_key ON public.api_keys USING btree (prefix);
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY auth_lookup ON api_keys FOR SELECT TO switchboard_auth
  USING (true);
CREATE POLICY auth_touch ON api_keys FOR UPDATE TO switchboard_auth
  USING (true)
  WITH CHECK (true);
CREATE POLICY tenant_isolation ON api_keys FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE api_keys TO switchboard_app;
GRANT SELECT ON TABLE api_keys TO switchboard_auth;
GRANT UPDATE (last_used_at) ON TABLE api_keys TO switchboard_auth;

CREATE TABLE audit_logs (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  actor character varying(100) NOT NULL,
  action character varying(100) NOT NULL,
  target character varying(200),
  details jsonb,
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT audit_logs_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT audit_logs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX audit_logs_tenant_id_created_at_idx ON public.audit_logs USING btree (tenant_id, created_at DESC);
ALTER TABLE audit_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_logs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_logs FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT INSERT, SELECT ON TABLE audit_logs TO switchboard_app;

CREATE TABLE memberships (
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  role "MembershipRole" NOT NULL,
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT memberships_pkey PRIMARY KEY (tenant_id, user_id),
  CONSTRAINT memberships_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX memberships_user_id_idx ON public.memberships USING btree (user_id);
CREATE CONSTRAINT TRIGGER memberships_keep_an_owner AFTER DELETE OR UPDATE ON memberships DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (old.role = 'OWNER'::"MembershipRole") EXECUTE FUNCTION memberships_keep_an_owner();
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY auth_lookup ON memberships FOR SELECT TO switchboard_auth
  USING (true);
CREATE POLICY member_self_read ON memberships FOR SELECT TO PUBLIC
  USING ((user_id = ( SELECT (NULLIF(current_setting('app.user_id'::text, true), ''::text))::uuid AS "nullif")));
CREATE POLICY tenant_isolation ON memberships FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE memberships TO switchboard_app;
GRANT SELECT ON TABLE memberships TO switchboard_auth;

CREATE TABLE message_status_events (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  message_id uuid NOT NULL,
  status "MessageStatus" NOT NULL,
  detail text,
  occurred_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT message_status_events_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT message_status_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX message_status_events_tenant_id_message_id_occurred_at_idx ON public.message_status_events USING btree (tenant_id, message_id, occurred_at);
ALTER TABLE message_status_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE message_status_events FORCE ROW LEVEL SECURITY;
CREATE POLICY dispatch_record ON message_status_events FOR INSERT TO switchboard_dispatch
  WITH CHECK ((status = 'UNKNOWN'::"MessageStatus"));
CREATE POLICY tenant_isolation ON message_status_events FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE message_status_events TO switchboard_app;
GRANT INSERT ON TABLE message_status_events TO switchboard_dispatch;

CREATE TABLE messages (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  connection_id uuid,
  direction "MessageDirection" NOT NULL,
  from_number character varying(32) NOT NULL,
  to_number character varying(32) NOT NULL,
  body text NOT NULL,
  preview character varying(100) NOT NULL,
  provider_message_id character varying(128),
  status "MessageStatus" NOT NULL,
  error text,
  idempotency_key character varying(255),
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  status_changed_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  attempts integer DEFAULT 0 NOT NULL,
  contact_number character varying(32) NOT NULL,
  lease_expires_at timestamp(3) with time zone,
  next_attempt_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP,
  request_hash character varying(64),
  CONSTRAINT messages_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT messages_tenant_id_connection_id_fkey FOREIGN KEY (tenant_id, connection_id) REFERENCES whatsapp_connections(tenant_id, id),
  CONSTRAINT messages_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX messages_outbox_idx ON public.messages USING btree (tenant_id, connection_id, next_attempt_at, id) WHERE (status = 'QUEUED'::"MessageStatus");
CREATE INDEX messages_sending_lease_idx ON public.messages USING btree (lease_expires_at) WHERE (status = 'SENDING'::"MessageStatus");
CREATE INDEX messages_tenant_id_contact_number_created_at_id_idx ON public.messages USING btree (tenant_id, contact_number, created_at DESC, id DESC);
CREATE INDEX messages_tenant_id_created_at_id_idx ON public.messages USING btree (tenant_id, created_at DESC, id DESC);
CREATE UNIQUE INDEX messages_tenant_id_idempotency_key_key ON public.messages USING btree (tenant_id, idempotency_key) WHERE (idempotency_key IS NOT NULL);
CREATE UNIQUE INDEX messages_tenant_id_provider_message_id_key ON public.messages USING btree (tenant_id, provider_message_id) WHERE (provider_message_id IS NOT NULL);
ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages FORCE ROW LEVEL SECURITY;
CREATE POLICY dispatch_expire ON messages FOR UPDATE TO switchboard_dispatch
  USING ((status = 'SENDING'::"MessageStatus"))
  WITH CHECK ((status = 'UNKNOWN'::"MessageStatus"));
CREATE POLICY dispatch_read ON messages FOR SELECT TO switchboard_dispatch
  USING (true);
CREATE POLICY tenant_isolation ON messages FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE messages TO switchboard_app;
GRANT SELECT, UPDATE ON TABLE messages TO switchboard_dispatch;

CREATE TABLE provider_events (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  connection_id uuid NOT NULL,
  event_type character varying(100) NOT NULL,
  payload jsonb NOT NULL,
  received_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT provider_events_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT provider_events_tenant_id_connection_id_fkey FOREIGN KEY (tenant_id, connection_id) REFERENCES whatsapp_connections(tenant_id, id) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT provider_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX provider_events_tenant_id_received_at_idx ON public.provider_events USING btree (tenant_id, received_at DESC);
ALTER TABLE provider_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE provider_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON provider_events FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT INSERT, SELECT ON TABLE provider_events TO switchboard_app;

CREATE TABLE rate_limits (
  key text NOT NULL,
  points integer DEFAULT 0 NOT NULL,
  expire bigint,
  CONSTRAINT rate_limits_pkey PRIMARY KEY (key)
);
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE rate_limits TO switchboard_app;

CREATE TABLE sessions (
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  token_hash character varying(64) NOT NULL,
  expires_at timestamp(3) with time zone NOT NULL,
  revoked_at timestamp(3) with time zone,
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT sessions_pkey PRIMARY KEY (id),
  CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE UNIQUE INDEX sessions_token_hash_key ON public.sessions USING btree (token_hash);
CREATE INDEX sessions_user_id_idx ON public.sessions USING btree (user_id);
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY auth_lookup ON sessions FOR SELECT TO switchboard_auth
  USING (true);
CREATE POLICY user_self ON sessions FOR ALL TO PUBLIC
  USING ((user_id = ( SELECT (NULLIF(current_setting('app.user_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((user_id = ( SELECT (NULLIF(current_setting('app.user_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE sessions TO switchboard_app;
GRANT SELECT ON TABLE sessions TO switchboard_auth;

CREATE TABLE team_invitations (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  email character varying(320) NOT NULL,
  role "MembershipRole" NOT NULL,
  invited_by character varying(100) NOT NULL,
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  expires_at timestamp(3) with time zone NOT NULL,
  accepted_at timestamp(3) with time zone,
  declined_at timestamp(3) with time zone,
  revoked_at timestamp(3) with time zone,
  CONSTRAINT team_invitations_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT team_invitations_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX team_invitations_email_idx ON public.team_invitations USING btree (email);
CREATE UNIQUE INDEX team_invitations_open_email_key ON public.team_invitations USING btree (tenant_id, email) WHERE ((accepted_at IS NULL) AND (declined_at IS NULL) AND (revoked_at IS NULL));
ALTER TABLE team_invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE team_invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY invitee_read ON team_invitations FOR SELECT TO PUBLIC
  USING (((email)::text = (( SELECT u.email
   FROM users u
  WHERE (u.id = ( SELECT (NULLIF(current_setting('app.user_id'::text, true), ''::text))::uuid AS "nullif"))))::text));
CREATE POLICY tenant_isolation ON team_invitations FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT INSERT, SELECT, UPDATE ON TABLE team_invitations TO switchboard_app;

CREATE TABLE tenants (
  id uuid NOT NULL,
  company_name character varying(200) NOT NULL,
  slug character varying(80) NOT NULL,
  plan "Plan" DEFAULT 'STARTER'::"Plan" NOT NULL,
  active boolean DEFAULT true NOT NULL,
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT tenants_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX tenants_slug_key ON public.tenants USING btree (slug);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY auth_lookup ON tenants FOR SELECT TO switchboard_auth
  USING (true);
CREATE POLICY invitee_tenant_read ON tenants FOR SELECT TO PUBLIC
  USING (((( SELECT NULLIF(current_setting('app.user_id'::text, true), ''::text) AS "nullif") IS NOT NULL) AND (id IN ( SELECT i.tenant_id
   FROM team_invitations i
  WHERE (((i.email)::text = (( SELECT u.email
           FROM users u
          WHERE (u.id = ( SELECT (NULLIF(current_setting('app.user_id'::text, true), ''::text))::uuid AS "nullif"))))::text) AND (i.accepted_at IS NULL) AND (i.declined_at IS NULL) AND (i.revoked_at IS NULL))))));
CREATE POLICY member_tenant_read ON tenants FOR SELECT TO PUBLIC
  USING ((id IN ( SELECT m.tenant_id
   FROM memberships m
  WHERE (m.user_id = ( SELECT (NULLIF(current_setting('app.user_id'::text, true), ''::text))::uuid AS "nullif")))));
CREATE POLICY tenant_isolation ON tenants FOR ALL TO PUBLIC
  USING ((id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT INSERT, SELECT, UPDATE ON TABLE tenants TO switchboard_app;
GRANT SELECT ON TABLE tenants TO switchboard_auth;

CREATE TABLE usage_counters (
  tenant_id uuid NOT NULL,
  day date NOT NULL,
  sent integer DEFAULT 0 NOT NULL,
  received integer DEFAULT 0 NOT NULL,
  failed integer DEFAULT 0 NOT NULL,
  CONSTRAINT usage_counters_pkey PRIMARY KEY (tenant_id, day),
  CONSTRAINT usage_counters_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
ALTER TABLE usage_counters ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_counters FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON usage_counters FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE usage_counters TO switchboard_app;

CREATE TABLE users (
  id uuid NOT NULL,
  email character varying(320) NOT NULL,
  password_hash character varying(200) NOT NULL,
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT users_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX users_email_key ON public.users USING btree (email);
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY auth_lookup ON users FOR SELECT TO switchboard_auth
  USING (true);
CREATE POLICY tenant_member_read ON users FOR SELECT TO PUBLIC
  USING ((id IN ( SELECT m.user_id
   FROM memberships m
  WHERE (m.tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))));
CREATE POLICY user_self ON users FOR ALL TO PUBLIC
  USING ((id = ( SELECT (NULLIF(current_setting('app.user_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((id = ( SELECT (NULLIF(current_setting('app.user_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE users TO switchboard_app;
GRANT SELECT ON TABLE users TO switchboard_auth;

CREATE TABLE webhook_deliveries (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  endpoint_id uuid NOT NULL,
  event_type character varying(100) NOT NULL,
  payload jsonb NOT NULL,
  status "WebhookDeliveryStatus" DEFAULT 'PENDING'::"WebhookDeliveryStatus" NOT NULL,
  attempts integer DEFAULT 0 NOT NULL,
  next_attempt_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP,
  last_attempt_at timestamp(3) with time zone,
  last_response_status integer,
  last_response_body text,
  last_error text,
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT webhook_deliveries_tenant_id_endpoint_id_fkey FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints(tenant_id, id) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT webhook_deliveries_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_tenant_id_endpoint_id_created_at_idx ON public.webhook_deliveries USING btree (tenant_id, endpoint_id, created_at DESC);
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_deliveries FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE webhook_deliveries TO switchboard_app;

CREATE TABLE webhook_endpoints (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  url character varying(2048) NOT NULL,
  secret_ciphertext text NOT NULL,
  event_types text[],
  enabled boolean DEFAULT true NOT NULL,
  failing_since timestamp(3) with time zone,
  disabled_reason character varying(200),
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT webhook_endpoints_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT webhook_endpoints_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_endpoints FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE webhook_endpoints TO switchboard_app;

CREATE TABLE whatsapp_connections (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  provider "WhatsAppProvider" NOT NULL,
  number character varying(16) NOT NULL,
  api_key_ciphertext text NOT NULL,
  inbound_token_hash character varying(64) NOT NULL,
  status "ConnectionStatus" DEFAULT 'CONNECTED'::"ConnectionStatus" NOT NULL,
  connected_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  disconnected_at timestamp(3) with time zone,
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  inbound_token_ciphertext text NOT NULL,
  send_rate_per_second integer DEFAULT 20 NOT NULL,
  CONSTRAINT whatsapp_connections_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT whatsapp_connections_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE UNIQUE INDEX whatsapp_connections_inbound_token_hash_key ON public.whatsapp_connections USING btree (inbound_token_hash);
CREATE UNIQUE INDEX whatsapp_connections_one_connected_per_tenant ON public.whatsapp_connections USING btree (tenant_id) WHERE (status = 'CONNECTED'::"ConnectionStatus");
ALTER TABLE whatsapp_connections ENABLE ROW LEVEL SECURITY;
ALTER TABLE whatsapp_connections FORCE ROW LEVEL SECURITY;
CREATE POLICY auth_lookup ON whatsapp_connections FOR SELECT TO switchboard_auth
  USING (true);
CREATE POLICY tenant_isolation ON whatsapp_connections FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE whatsapp_connections TO switchboard_app;
GRANT SELECT ON TABLE whatsapp_connections TO switchboard_auth;

-- ================================================================================================
-- Functions (the current body of each), with owners and grants
-- ================================================================================================

CREATE OR REPLACE FUNCTION public.app_accept_message(p_tenant_id uuid, p_id uuid, p_to text, p_body text, p_preview text, p_idempotency_key text, p_request_hash text)
 RETURNS TABLE(outcome text, message json)
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
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
$function$;
REVOKE ALL ON FUNCTION app_accept_message(uuid,uuid,text,text,text,text,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_accept_message(uuid,uuid,text,text,text,text,text) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_claim_messages(p_tenant_id uuid, p_connection_id uuid, p_limit integer, p_lease_ms double precision)
 RETURNS TABLE(id uuid, to_number text, body text, attempts integer, provider "WhatsAppProvider", api_key_ciphertext text, connection_status "ConnectionStatus", send_rate_per_second integer)
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  due_ids uuid[];
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  SELECT array_agg(due.id) INTO due_ids FROM (
    SELECT m.id FROM messages m
     WHERE m.tenant_id = p_tenant_id AND m.connection_id = p_connection_id AND m.status = 'QUEUED' AND m.next_attempt_at <= now()
     ORDER BY m.next_attempt_at, m.id LIMIT p_limit FOR UPDATE SKIP LOCKED
  ) AS due;
  IF due_ids IS NULL THEN RETURN; END IF;
  RETURN QUERY
    UPDATE messages m SET status = 'SENDING', attempts = m.attempts + 1, status_changed_at = now(),
           lease_expires_at = now() + make_interval(secs => p_lease_ms / 1000)
      FROM whatsapp_connections c
     WHERE m.tenant_id = p_tenant_id AND m.id = ANY (due_ids) AND c.tenant_id = p_tenant_id AND c.id = p_connection_id
    RETURNING m.id, m.to_number::text, m.body, m.attempts, c.provider, c.api_key_ciphertext, c.status, c.send_rate_per_second;
END
$function$;
REVOKE ALL ON FUNCTION app_claim_messages(uuid,uuid,integer,double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_claim_messages(uuid,uuid,integer,double precision) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_record_send_outcomes(p_tenant_id uuid, p_outcomes jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  recorded integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  WITH outcome AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset(p_outcomes)
      AS o(id uuid, status "MessageStatus", provider_message_id text, error text, retry_in_ms double precision, detail text)
  ), updated AS (
    UPDATE messages m SET status = o.status, status_changed_at = now(), lease_expires_at = NULL,
           provider_message_id = COALESCE(o.provider_message_id, m.provider_message_id), error = o.error,
           next_attempt_at = CASE WHEN o.status = 'QUEUED' THEN now() + make_interval(secs => o.retry_in_ms / 1000) ELSE NULL END
      FROM outcome o
     WHERE m.tenant_id = p_tenant_id AND m.id = ANY (ARRAY(SELECT id FROM outcome)) AND m.id = o.id AND m.status IN ('SENDING', 'UNKNOWN')
    RETURNING m.id, o.status, o.detail
  )
  INSERT INTO message_status_events (tenant_id, id, message_id, status, detail)
  SELECT p_tenant_id, gen_random_uuid(), u.id, u.status, u.detail FROM updated u;
  GET DIAGNOSTICS recorded = ROW_COUNT;
  RETURN recorded;
END
$function$;
REVOKE ALL ON FUNCTION app_record_send_outcomes(uuid,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_record_send_outcomes(uuid,jsonb) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.auth_login_candidate(p_email text)
 RETURNS TABLE(user_id uuid, password_hash text)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$ SELECT u.id, u.password_hash::text FROM users u WHERE u.email = p_email $function$;
ALTER FUNCTION auth_login_candidate(text) OWNER TO switchboard_auth;
REVOKE ALL ON FUNCTION auth_login_candidate(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_login_candidate(text) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.auth_resolve_api_key(p_prefix text)
 RETURNS TABLE(api_key_id uuid, tenant_id uuid, secret_hash text, scopes "ApiKeyScope"[], last_used_at timestamp with time zone, tenant_active boolean)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
  SELECT k.id, k.tenant_id, k.secret_hash::text, k.scopes, k.last_used_at, t.active
    FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
   WHERE k.prefix = p_prefix AND k.revoked_at IS NULL
$function$;
ALTER FUNCTION auth_resolve_api_key(text) OWNER TO switchboard_auth;
REVOKE ALL ON FUNCTION auth_resolve_api_key(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_resolve_api_key(text) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.auth_resolve_session(p_token_hash text, p_tenant_id uuid)
 RETURNS TABLE(session_id uuid, user_id uuid, expires_at timestamp with time zone, tenant_id uuid, role "MembershipRole", tenant_active boolean)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
  SELECT s.id, s.user_id, s.expires_at, m.tenant_id, m.role, t.active
    FROM sessions s
    LEFT JOIN LATERAL (
      SELECT mm.tenant_id, mm.role FROM memberships mm
       WHERE mm.user_id = s.user_id AND (p_tenant_id IS NULL OR mm.tenant_id = p_tenant_id)
       ORDER BY mm.created_at, mm.tenant_id LIMIT 1
    ) m ON true
    LEFT JOIN tenants t ON t.id = m.tenant_id
   WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL AND s.expires_at > now()
$function$;
ALTER FUNCTION auth_resolve_session(text,uuid) OWNER TO switchboard_auth;
REVOKE ALL ON FUNCTION auth_resolve_session(text,uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_resolve_session(text,uuid) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.auth_touch_api_key(p_tenant_id uuid, p_api_key_id uuid)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
  UPDATE api_keys SET last_used_at = now()
   WHERE tenant_id = p_tenant_id AND id = p_api_key_id
     AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
$function$;
ALTER FUNCTION auth_touch_api_key(uuid,uuid) OWNER TO switchboard_auth;
REVOKE ALL ON FUNCTION auth_touch_api_key(uuid,uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_touch_api_key(uuid,uuid) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.dispatch_due_connections(p_limit integer)
 RETURNS TABLE(tenant_id uuid, connection_id uuid)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
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
$function$;
ALTER FUNCTION dispatch_due_connections(integer) OWNER TO switchboard_dispatch;
REVOKE ALL ON FUNCTION dispatch_due_connections(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dispatch_due_connections(integer) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.dispatch_expire_leases()
 RETURNS TABLE(tenant_id uuid, message_id uuid)
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
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
$function$;
ALTER FUNCTION dispatch_expire_leases() OWNER TO switchboard_dispatch;
REVOKE ALL ON FUNCTION dispatch_expire_leases() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dispatch_expire_leases() TO switchboard_app;

CREATE OR REPLACE FUNCTION public.inbound_connection_for_token(p_token_hash text)
 RETURNS TABLE(tenant_id uuid, connection_id uuid, number text)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
  SELECT c.tenant_id, c.id, c.number::text
    FROM whatsapp_connections c
   WHERE c.inbound_token_hash = p_token_hash AND c.status = 'CONNECTED'
$function$;
ALTER FUNCTION inbound_connection_for_token(text) OWNER TO switchboard_auth;
REVOKE ALL ON FUNCTION inbound_connection_for_token(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbound_connection_for_token(text) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.memberships_keep_an_owner()
 RETURNS trigger
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
BEGIN
  -- Owner changes of one tenant take turns; this lock is held until the transaction ends.
  PERFORM pg_advisory_xact_lock(hashtextextended('memberships_keep_an_owner:' || OLD.tenant_id::text, 0));
  -- New statements, new snapshots (READ COMMITTED): what committed while we waited is seen here.
  IF NOT EXISTS (SELECT FROM tenants t WHERE t.id = OLD.tenant_id) THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT FROM memberships m WHERE m.tenant_id = OLD.tenant_id AND m.role = 'OWNER') THEN
    RAISE EXCEPTION 'tenant % would be left without an owner', OLD.tenant_id
      USING ERRCODE = 'SB001', HINT = 'Make someone else owner first.';
  END IF;
  RETURN NULL;
END
$function$;
ALTER FUNCTION memberships_keep_an_owner() OWNER TO switchboard_auth;
REVOKE ALL ON FUNCTION memberships_keep_an_owner() FROM PUBLIC;
