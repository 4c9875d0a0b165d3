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
GRANT USAGE ON SCHEMA public TO switchboard_billing;
GRANT USAGE ON SCHEMA public TO switchboard_dispatch;
GRANT USAGE ON SCHEMA public TO switchboard_support;

-- ================================================================================================
-- Enum types
-- ================================================================================================

CREATE TYPE "ApiKeyScope" AS ENUM ('MESSAGES_SEND', 'MESSAGES_READ', 'USAGE_READ', 'TENANT_ADMIN');
CREATE TYPE "ConnectionStatus" AS ENUM ('CONNECTED', 'DISCONNECTED');
CREATE TYPE "MembershipRole" AS ENUM ('OWNER', 'ADMIN', 'MEMBER');
CREATE TYPE "MessageDirection" AS ENUM ('OUTBOUND', 'INBOUND');
CREATE TYPE "MessageStatus" AS ENUM ('QUEUED', 'SENT', 'DELIVERED', 'READ', 'FAILED', 'RECEIVED', 'SENDING', 'UNKNOWN');
CREATE TYPE "Plan" AS ENUM ('STARTER', 'GROWTH', 'SCALE');
CREATE TYPE "PlatformRole" AS ENUM ('SUPPORT', 'SUPERADMIN');
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
CREATE INDEX api_keys_prefix_idx ON public.api_keys USING btree (prefix);
CREATE UNIQUE INDEX api_keys_tenant_id_prefix_key ON public.api_keys USING btree (tenant_id, prefix);
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

CREATE TABLE conversation_reads (
  tenant_id uuid NOT NULL,
  contact_number character varying(32) NOT NULL,
  read_until timestamp(3) with time zone NOT NULL,
  updated_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT conversation_reads_pkey PRIMARY KEY (tenant_id, contact_number),
  CONSTRAINT conversation_reads_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
ALTER TABLE conversation_reads ENABLE ROW LEVEL SECURITY;
ALTER TABLE conversation_reads FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON conversation_reads FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT INSERT, SELECT, UPDATE ON TABLE conversation_reads TO switchboard_app;

CREATE TABLE job_pace (
  tenant_id uuid NOT NULL,
  pace_key uuid NOT NULL,
  next_at timestamp(6) with time zone NOT NULL,
  CONSTRAINT job_pace_pkey PRIMARY KEY (tenant_id, pace_key)
);
ALTER TABLE job_pace ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_pace FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON job_pace FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE job_pace TO switchboard_app;

CREATE TABLE jobs (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  queue character varying(32) NOT NULL,
  pace_key uuid NOT NULL,
  run_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  attempts integer DEFAULT 0 NOT NULL,
  locked_until timestamp(3) with time zone,
  CONSTRAINT jobs_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT jobs_queue_known CHECK (queue::text = ANY (ARRAY['send_message'::character varying, 'deliver_webhook'::character varying]::text[]))
);
CREATE INDEX jobs_due_idx ON public.jobs USING btree (queue, tenant_id, pace_key, run_at, id) WHERE (locked_until IS NULL);
CREATE INDEX jobs_leased_idx ON public.jobs USING btree (locked_until) WHERE (locked_until IS NOT NULL);
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY dispatch_read ON jobs FOR SELECT TO switchboard_dispatch
  USING (true);
CREATE POLICY tenant_isolation ON jobs FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE jobs TO switchboard_app;
GRANT SELECT ON TABLE jobs TO switchboard_dispatch;

CREATE TABLE memberships (
  tenant_id uuid NOT NULL,
  user_id uuid NOT NULL,
  role "MembershipRole" NOT NULL,
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  id uuid DEFAULT gen_random_uuid() NOT NULL,
  CONSTRAINT memberships_pkey PRIMARY KEY (tenant_id, user_id),
  CONSTRAINT memberships_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT memberships_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE UNIQUE INDEX memberships_tenant_id_id_key ON public.memberships USING btree (tenant_id, id);
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
GRANT SELECT (tenant_id) ON TABLE memberships TO switchboard_support;
GRANT SELECT (user_id) ON TABLE memberships TO switchboard_support;

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
CREATE POLICY support_read ON message_status_events FOR SELECT TO switchboard_support
  USING (true);
CREATE POLICY tenant_isolation ON message_status_events FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE message_status_events TO switchboard_app;
GRANT SELECT (tenant_id) ON TABLE message_status_events TO switchboard_support;
GRANT SELECT (message_id) ON TABLE message_status_events TO switchboard_support;
GRANT SELECT (status) ON TABLE message_status_events TO switchboard_support;
GRANT SELECT (detail) ON TABLE message_status_events TO switchboard_support;
GRANT SELECT (occurred_at) ON TABLE message_status_events TO switchboard_support;

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
  request_hash character varying(64),
  CONSTRAINT messages_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT messages_tenant_id_connection_id_fkey FOREIGN KEY (tenant_id, connection_id) REFERENCES whatsapp_connections(tenant_id, id),
  CONSTRAINT messages_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX messages_body_trgm_idx ON public.messages USING gin (body gin_trgm_ops);
CREATE INDEX messages_created_at_id_idx ON public.messages USING btree (created_at DESC, id DESC);
CREATE INDEX messages_created_at_with_idempotency_key_idx ON public.messages USING btree (created_at) WHERE (idempotency_key IS NOT NULL);
CREATE INDEX messages_inbound_contact_created_at_idx ON public.messages USING btree (tenant_id, contact_number, created_at) WHERE (direction = 'INBOUND'::"MessageDirection");
CREATE INDEX messages_tenant_id_contact_number_created_at_id_idx ON public.messages USING btree (tenant_id, contact_number, created_at DESC, id DESC);
CREATE INDEX messages_tenant_id_created_at_id_idx ON public.messages USING btree (tenant_id, created_at DESC, id DESC);
CREATE UNIQUE INDEX messages_tenant_id_idempotency_key_key ON public.messages USING btree (tenant_id, idempotency_key) WHERE (idempotency_key IS NOT NULL);
CREATE INDEX messages_tenant_id_status_changed_at_id_idx ON public.messages USING btree (tenant_id, status_changed_at, id);
ALTER TABLE messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE messages FORCE ROW LEVEL SECURITY;
CREATE POLICY dispatch_forget_keys_clear ON messages FOR UPDATE TO switchboard_dispatch
  USING (((idempotency_key IS NOT NULL) AND (created_at < (now() - '24:00:00'::interval))))
  WITH CHECK (((idempotency_key IS NULL) AND (request_hash IS NULL)));
CREATE POLICY dispatch_forget_keys_read ON messages FOR SELECT TO switchboard_dispatch
  USING ((created_at < (now() - '24:00:00'::interval)));
CREATE POLICY support_read ON messages FOR SELECT TO switchboard_support
  USING (true);
CREATE POLICY tenant_isolation ON messages FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE messages TO switchboard_app;
GRANT SELECT ON TABLE messages TO switchboard_support;
GRANT SELECT (tenant_id) ON TABLE messages TO switchboard_dispatch;
GRANT SELECT (id) ON TABLE messages TO switchboard_dispatch;
GRANT SELECT (idempotency_key), UPDATE (idempotency_key) ON TABLE messages TO switchboard_dispatch;
GRANT SELECT (created_at) ON TABLE messages TO switchboard_dispatch;
GRANT UPDATE (request_hash) ON TABLE messages TO switchboard_dispatch;

CREATE TABLE monthly_statements (
  tenant_id uuid NOT NULL,
  month date NOT NULL,
  messages_sent integer NOT NULL,
  messages_received integer NOT NULL,
  messages_failed integer NOT NULL,
  connected_numbers integer NOT NULL,
  tier "Plan" NOT NULL,
  plan_price_cents integer NOT NULL,
  provider_cost_cents integer NOT NULL,
  total_cents integer NOT NULL,
  currency character varying(3) DEFAULT 'USD'::character varying NOT NULL,
  closed_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT monthly_statements_pkey PRIMARY KEY (tenant_id, month),
  CONSTRAINT monthly_statements_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE TRIGGER monthly_statements_frozen BEFORE DELETE OR UPDATE ON monthly_statements FOR EACH ROW EXECUTE FUNCTION monthly_statements_frozen();
ALTER TABLE monthly_statements ENABLE ROW LEVEL SECURITY;
ALTER TABLE monthly_statements FORCE ROW LEVEL SECURITY;
CREATE POLICY billing_close_read ON monthly_statements FOR SELECT TO switchboard_billing
  USING (true);
CREATE POLICY support_read ON monthly_statements FOR SELECT TO switchboard_support
  USING (true);
CREATE POLICY tenant_isolation ON monthly_statements FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT INSERT, SELECT ON TABLE monthly_statements TO switchboard_app;
GRANT SELECT ON TABLE monthly_statements TO switchboard_support;
GRANT SELECT (tenant_id) ON TABLE monthly_statements TO switchboard_billing;
GRANT SELECT (month) ON TABLE monthly_statements TO switchboard_billing;

CREATE TABLE platform_staff (
  user_id uuid NOT NULL,
  role "PlatformRole" NOT NULL,
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT platform_staff_pkey PRIMARY KEY (user_id),
  CONSTRAINT platform_staff_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON UPDATE CASCADE ON DELETE CASCADE
);
ALTER TABLE platform_staff ENABLE ROW LEVEL SECURITY;
ALTER TABLE platform_staff FORCE ROW LEVEL SECURITY;
CREATE POLICY auth_lookup ON platform_staff FOR SELECT TO switchboard_auth
  USING (true);
CREATE POLICY support_read ON platform_staff FOR SELECT TO switchboard_support
  USING (true);
GRANT SELECT ON TABLE platform_staff TO switchboard_auth;
GRANT SELECT ON TABLE platform_staff TO switchboard_support;

CREATE TABLE provider_events (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  connection_id uuid NOT NULL,
  event_type character varying(100) NOT NULL,
  payload jsonb NOT NULL,
  received_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  message_id uuid,
  CONSTRAINT provider_events_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT provider_events_tenant_id_connection_id_fkey FOREIGN KEY (tenant_id, connection_id) REFERENCES whatsapp_connections(tenant_id, id) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT provider_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX provider_events_tenant_id_message_id_idx ON public.provider_events USING btree (tenant_id, message_id);
CREATE INDEX provider_events_tenant_id_received_at_idx ON public.provider_events USING btree (tenant_id, received_at DESC);
ALTER TABLE provider_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE provider_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON provider_events FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT INSERT, SELECT ON TABLE provider_events TO switchboard_app;

CREATE TABLE provider_message_refs (
  tenant_id uuid NOT NULL,
  provider_message_id character varying(128) NOT NULL,
  message_id uuid NOT NULL,
  CONSTRAINT provider_message_refs_pkey PRIMARY KEY (tenant_id, provider_message_id),
  CONSTRAINT provider_message_refs_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
ALTER TABLE provider_message_refs ENABLE ROW LEVEL SECURITY;
ALTER TABLE provider_message_refs FORCE ROW LEVEL SECURITY;
CREATE POLICY support_read ON provider_message_refs FOR SELECT TO switchboard_support
  USING (true);
CREATE POLICY tenant_isolation ON provider_message_refs FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE provider_message_refs TO switchboard_app;
GRANT SELECT ON TABLE provider_message_refs TO switchboard_support;

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

CREATE TABLE support_access_log (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  support_session_id uuid NOT NULL,
  staff_user_id uuid NOT NULL,
  staff_email character varying(320) NOT NULL,
  reason character varying(500) NOT NULL,
  action character varying(32) NOT NULL,
  query jsonb NOT NULL,
  message_id uuid,
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT support_access_log_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT support_access_log_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX support_access_log_tenant_id_created_at_id_idx ON public.support_access_log USING btree (tenant_id, created_at DESC, id DESC);
ALTER TABLE support_access_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE support_access_log FORCE ROW LEVEL SECURITY;
CREATE POLICY support_write ON support_access_log FOR INSERT TO switchboard_support
  WITH CHECK (true);
CREATE POLICY tenant_isolation ON support_access_log FOR SELECT TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT SELECT ON TABLE support_access_log TO switchboard_app;
GRANT INSERT ON TABLE support_access_log TO switchboard_support;

CREATE TABLE support_sessions (
  id uuid NOT NULL,
  staff_user_id uuid NOT NULL,
  reason character varying(500) NOT NULL,
  started_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  expires_at timestamp(3) with time zone NOT NULL,
  CONSTRAINT support_sessions_pkey PRIMARY KEY (id),
  CONSTRAINT support_sessions_reason_length CHECK (char_length(reason::text) >= 10 AND char_length(reason::text) <= 500),
  CONSTRAINT support_sessions_staff_user_id_fkey FOREIGN KEY (staff_user_id) REFERENCES users(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX support_sessions_staff_user_id_started_at_idx ON public.support_sessions USING btree (staff_user_id, started_at DESC);
ALTER TABLE support_sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE support_sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY support_sessions ON support_sessions FOR ALL TO switchboard_support
  USING (true)
  WITH CHECK (true);
GRANT INSERT, SELECT ON TABLE support_sessions TO switchboard_support;
GRANT UPDATE (expires_at) ON TABLE support_sessions TO switchboard_support;

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
GRANT SELECT (tenant_id) ON TABLE team_invitations TO switchboard_support;
GRANT SELECT (email) ON TABLE team_invitations TO switchboard_support;
GRANT SELECT (accepted_at) ON TABLE team_invitations TO switchboard_support;
GRANT SELECT (declined_at) ON TABLE team_invitations TO switchboard_support;
GRANT SELECT (revoked_at) ON TABLE team_invitations TO switchboard_support;

CREATE TABLE tenants (
  id uuid NOT NULL,
  company_name character varying(200) NOT NULL,
  slug character varying(80) NOT NULL,
  plan "Plan" DEFAULT 'STARTER'::"Plan" NOT NULL,
  active boolean DEFAULT true NOT NULL,
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  suspended_at timestamp(3) with time zone,
  suspension_reason character varying(500),
  CONSTRAINT tenants_pkey PRIMARY KEY (id)
);
CREATE UNIQUE INDEX tenants_slug_key ON public.tenants USING btree (slug);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY auth_lookup ON tenants FOR SELECT TO switchboard_auth
  USING (true);
CREATE POLICY billing_close_read ON tenants FOR SELECT TO switchboard_billing
  USING (true);
CREATE POLICY dispatch_active_read ON tenants FOR SELECT TO switchboard_dispatch
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
CREATE POLICY support_read ON tenants FOR SELECT TO switchboard_support
  USING (true);
CREATE POLICY support_suspend ON tenants FOR UPDATE TO switchboard_support
  USING (true)
  WITH CHECK (true);
CREATE POLICY tenant_isolation ON tenants FOR ALL TO PUBLIC
  USING ((id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT INSERT, SELECT ON TABLE tenants TO switchboard_app;
GRANT SELECT ON TABLE tenants TO switchboard_auth;
GRANT SELECT (id) ON TABLE tenants TO switchboard_billing;
GRANT SELECT (id) ON TABLE tenants TO switchboard_dispatch;
GRANT SELECT (id) ON TABLE tenants TO switchboard_support;
GRANT SELECT (company_name) ON TABLE tenants TO switchboard_support;
GRANT SELECT (active) ON TABLE tenants TO switchboard_dispatch;
GRANT SELECT (active), UPDATE (active) ON TABLE tenants TO switchboard_support;
GRANT SELECT (created_at) ON TABLE tenants TO switchboard_billing;
GRANT SELECT (suspended_at), UPDATE (suspended_at) ON TABLE tenants TO switchboard_support;
GRANT SELECT (suspension_reason), UPDATE (suspension_reason) ON TABLE tenants TO switchboard_support;

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
CREATE POLICY support_read_staff ON users FOR SELECT TO switchboard_support
  USING ((EXISTS ( SELECT 1
   FROM platform_staff s
  WHERE (s.user_id = users.id))));
CREATE POLICY tenant_member_read ON users FOR SELECT TO PUBLIC
  USING ((id IN ( SELECT m.user_id
   FROM memberships m
  WHERE (m.tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))));
CREATE POLICY user_self ON users FOR ALL TO PUBLIC
  USING ((id = ( SELECT (NULLIF(current_setting('app.user_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((id = ( SELECT (NULLIF(current_setting('app.user_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE users TO switchboard_app;
GRANT SELECT ON TABLE users TO switchboard_auth;
GRANT SELECT (id) ON TABLE users TO switchboard_support;
GRANT SELECT (email) ON TABLE users TO switchboard_support;

CREATE TABLE webhook_deliveries (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  endpoint_id uuid NOT NULL,
  event_type character varying(64) NOT NULL,
  status "WebhookDeliveryStatus" DEFAULT 'PENDING'::"WebhookDeliveryStatus" NOT NULL,
  attempts integer DEFAULT 0 NOT NULL,
  next_attempt_at timestamp(3) with time zone,
  last_attempt_at timestamp(3) with time zone,
  last_response_status integer,
  last_response_snippet character varying(1000),
  last_error character varying(500),
  created_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  event_id uuid NOT NULL,
  last_duration_ms integer,
  CONSTRAINT webhook_deliveries_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT webhook_deliveries_tenant_id_endpoint_id_fkey FOREIGN KEY (tenant_id, endpoint_id) REFERENCES webhook_endpoints(tenant_id, id) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT webhook_deliveries_tenant_id_event_id_fkey FOREIGN KEY (tenant_id, event_id) REFERENCES webhook_events(tenant_id, id) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT webhook_deliveries_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_tenant_id_endpoint_id_created_at_idx ON public.webhook_deliveries USING btree (tenant_id, endpoint_id, created_at DESC);
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
CREATE POLICY support_read ON webhook_deliveries FOR SELECT TO switchboard_support
  USING (true);
CREATE POLICY tenant_isolation ON webhook_deliveries FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE webhook_deliveries TO switchboard_app;
GRANT SELECT (tenant_id) ON TABLE webhook_deliveries TO switchboard_support;
GRANT SELECT (id) ON TABLE webhook_deliveries TO switchboard_support;
GRANT SELECT (endpoint_id) ON TABLE webhook_deliveries TO switchboard_support;
GRANT SELECT (event_type) ON TABLE webhook_deliveries TO switchboard_support;
GRANT SELECT (status) ON TABLE webhook_deliveries TO switchboard_support;
GRANT SELECT (attempts) ON TABLE webhook_deliveries TO switchboard_support;
GRANT SELECT (last_attempt_at) ON TABLE webhook_deliveries TO switchboard_support;
GRANT SELECT (last_response_status) ON TABLE webhook_deliveries TO switchboard_support;
GRANT SELECT (created_at) ON TABLE webhook_deliveries TO switchboard_support;
GRANT SELECT (event_id) ON TABLE webhook_deliveries TO switchboard_support;

CREATE TABLE webhook_delivery_attempts (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  delivery_id uuid NOT NULL,
  attempted_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  response_status integer,
  duration_ms integer,
  response_snippet character varying(1000),
  error character varying(500),
  CONSTRAINT webhook_delivery_attempts_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT webhook_delivery_attempts_tenant_id_delivery_id_fkey FOREIGN KEY (tenant_id, delivery_id) REFERENCES webhook_deliveries(tenant_id, id) ON UPDATE CASCADE ON DELETE CASCADE,
  CONSTRAINT webhook_delivery_attempts_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX webhook_delivery_attempts_tenant_id_delivery_id_attempted_at_id ON public.webhook_delivery_attempts USING btree (tenant_id, delivery_id, attempted_at);
ALTER TABLE webhook_delivery_attempts ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_delivery_attempts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_delivery_attempts FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE webhook_delivery_attempts TO switchboard_app;

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
  description character varying(500) DEFAULT ''::character varying NOT NULL,
  previous_secret_ciphertext text,
  previous_secret_expires_at timestamp(3) with time zone,
  CONSTRAINT webhook_endpoints_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT webhook_endpoints_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
ALTER TABLE webhook_endpoints ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_endpoints FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON webhook_endpoints FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE webhook_endpoints TO switchboard_app;

CREATE TABLE webhook_events (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  type character varying(64) NOT NULL,
  payload jsonb,
  occurred_at timestamp(3) with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL,
  CONSTRAINT webhook_events_pkey PRIMARY KEY (tenant_id, id),
  CONSTRAINT webhook_events_tenant_id_fkey FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON UPDATE CASCADE ON DELETE CASCADE
);
CREATE INDEX webhook_events_occurred_at_with_payload_idx ON public.webhook_events USING btree (occurred_at) WHERE (payload IS NOT NULL);
ALTER TABLE webhook_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE webhook_events FORCE ROW LEVEL SECURITY;
CREATE POLICY dispatch_retention_clear ON webhook_events FOR UPDATE TO switchboard_dispatch
  USING (true)
  WITH CHECK ((payload IS NULL));
CREATE POLICY dispatch_retention_read ON webhook_events FOR SELECT TO switchboard_dispatch
  USING (true);
CREATE POLICY support_read ON webhook_events FOR SELECT TO switchboard_support
  USING (true);
CREATE POLICY tenant_isolation ON webhook_events FOR ALL TO PUBLIC
  USING ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")))
  WITH CHECK ((tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS "nullif")));
GRANT DELETE, INSERT, SELECT, UPDATE ON TABLE webhook_events TO switchboard_app;
GRANT SELECT ON TABLE webhook_events TO switchboard_dispatch;
GRANT SELECT (tenant_id) ON TABLE webhook_events TO switchboard_support;
GRANT SELECT (id) ON TABLE webhook_events TO switchboard_support;
GRANT UPDATE (payload) ON TABLE webhook_events TO switchboard_dispatch;
GRANT SELECT (payload) ON TABLE webhook_events TO switchboard_support;
GRANT SELECT (occurred_at) ON TABLE webhook_events TO switchboard_support;

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
CREATE INDEX whatsapp_connections_inbound_token_hash_idx ON public.whatsapp_connections USING btree (inbound_token_hash);
CREATE UNIQUE INDEX whatsapp_connections_one_connected_per_tenant ON public.whatsapp_connections USING btree (tenant_id) WHERE (status = 'CONNECTED'::"ConnectionStatus");
CREATE UNIQUE INDEX whatsapp_connections_tenant_id_inbound_token_hash_key ON public.whatsapp_connections USING btree (tenant_id, inbound_token_hash);
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

CREATE OR REPLACE FUNCTION public.app_accept_messages(p_tenant_id uuid, p_requests jsonb)
 RETURNS TABLE(ord integer, outcome text, connection_id uuid, message json)
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  v_connection_id uuid;
  v_number text;
  v_active boolean;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  SELECT t.active INTO v_active FROM tenants t WHERE t.id = p_tenant_id;
  SELECT c.id, c.number INTO v_connection_id, v_number FROM whatsapp_connections c WHERE c.tenant_id = p_tenant_id AND c.status = 'CONNECTED';

  IF v_active IS NOT TRUE OR v_connection_id IS NULL THEN
    RETURN QUERY SELECT r.ord, CASE WHEN v_active IS NOT TRUE THEN 'tenant_inactive' ELSE 'not_connected' END, NULL::uuid, NULL::json
      FROM jsonb_to_recordset(p_requests) AS r(ord integer);
    RETURN;
  END IF;

  RETURN QUERY
    WITH request AS MATERIALIZED (
      SELECT * FROM jsonb_to_recordset(p_requests)
        AS r(ord integer, id uuid, "to" text, body text, preview text, idempotency_key text, request_hash text)
    ), inserted AS (
      INSERT INTO messages AS m (tenant_id, id, connection_id, direction, from_number, to_number, contact_number, body, preview,
                                 status, idempotency_key, request_hash)
      SELECT p_tenant_id, r.id, v_connection_id, 'OUTBOUND', v_number, r."to", r."to", r.body, r.preview, 'QUEUED', r.idempotency_key, r.request_hash
        FROM request r ORDER BY r.ord
      ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
      RETURNING m.*
    ), queued AS (
      INSERT INTO jobs (tenant_id, id, queue, pace_key) SELECT p_tenant_id, i.id, 'send_message', v_connection_id FROM inserted i
    )
    SELECT r.ord, 'created', v_connection_id, row_to_json(i) FROM request r JOIN inserted i ON i.id = r.id;

  -- Not inserted: an idempotency key used before (by an earlier statement or an earlier request of
  -- this batch). The same recipient and text replay the original; anything else is a conflict.
  RETURN QUERY
    WITH request AS (
      SELECT * FROM jsonb_to_recordset(p_requests) AS r(ord integer, id uuid, idempotency_key text, request_hash text)
    )
    SELECT r.ord, CASE WHEN m.request_hash = r.request_hash THEN 'replayed' ELSE 'idempotency_conflict' END, m.connection_id, row_to_json(m)
      FROM request r JOIN messages m ON m.tenant_id = p_tenant_id AND m.idempotency_key = r.idempotency_key
     WHERE r.idempotency_key IS NOT NULL AND m.id <> r.id;
END
$function$;
REVOKE ALL ON FUNCTION app_accept_messages(uuid,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_accept_messages(uuid,jsonb) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_claim_sends(p_tenant_id uuid, p_connection_id uuid, p_limit integer, p_lease_ms double precision)
 RETURNS TABLE(id uuid, to_number text, body text, attempts integer, provider "WhatsAppProvider", api_key_ciphertext text, connection_status "ConnectionStatus", pace_wait_ms double precision, drained boolean)
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  v_connection record;
  v_ids uuid[];
  v_attempts integer[];
  v_wait double precision;
  v_drained boolean;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  SELECT c.provider, c.api_key_ciphertext, c.status, c.send_rate_per_second INTO v_connection
    FROM whatsapp_connections c WHERE c.tenant_id = p_tenant_id AND c.id = p_connection_id;

  SELECT array_agg(claimed.job_id) FILTER (WHERE claimed.job_id IS NOT NULL),
         array_agg(claimed.job_attempts) FILTER (WHERE claimed.job_id IS NOT NULL),
         min(claimed.pace_wait_ms), bool_or(claimed.drained)
    INTO v_ids, v_attempts, v_wait, v_drained
    FROM jobs_claim('send_message', p_tenant_id, p_connection_id, p_limit, p_lease_ms,
                    CASE WHEN v_connection.status = 'CONNECTED' THEN v_connection.send_rate_per_second END) AS claimed;

  IF v_ids IS NULL THEN
    RETURN QUERY SELECT NULL::uuid, NULL::text, NULL::text, NULL::integer, NULL::"WhatsAppProvider", NULL::text, NULL::"ConnectionStatus", v_wait, v_drained;
    RETURN;
  END IF;

  -- A job whose message is not QUEUED any more has nothing to send.
  DELETE FROM jobs j WHERE j.tenant_id = p_tenant_id AND j.id = ANY (v_ids)
     AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.tenant_id = p_tenant_id AND m.id = j.id AND m.status = 'QUEUED');

  RETURN QUERY
    UPDATE messages m SET status = 'SENDING', attempts = claimed.attempts, status_changed_at = now()
      FROM unnest(v_ids, v_attempts) AS claimed(id, attempts)
     WHERE m.tenant_id = p_tenant_id AND m.id = ANY (v_ids) AND m.id = claimed.id AND m.status = 'QUEUED'
    RETURNING m.id, m.to_number::text, m.body, m.attempts, v_connection.provider, v_connection.api_key_ciphertext::text,
              v_connection.status, v_wait, v_drained;
  IF NOT FOUND THEN
    RETURN QUERY SELECT NULL::uuid, NULL::text, NULL::text, NULL::integer, NULL::"WhatsAppProvider", NULL::text, NULL::"ConnectionStatus", v_wait, v_drained;
  END IF;
END
$function$;
REVOKE ALL ON FUNCTION app_claim_sends(uuid,uuid,integer,double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_claim_sends(uuid,uuid,integer,double precision) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_claim_webhook_deliveries(p_tenant_id uuid, p_endpoint_id uuid, p_limit integer, p_lease_ms double precision)
 RETURNS TABLE(id uuid, attempts integer, event_id uuid, event_type text, occurred_at timestamp with time zone, payload jsonb, url text, secret_ciphertext text, previous_secret_ciphertext text, previous_secret_expires_at timestamp with time zone, drained boolean)
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  v_endpoint record;
  v_ids uuid[];
  v_attempts integer[];
  v_drained boolean;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  SELECT e.url, e.enabled, e.secret_ciphertext, e.previous_secret_ciphertext, e.previous_secret_expires_at INTO v_endpoint
    FROM webhook_endpoints e WHERE e.tenant_id = p_tenant_id AND e.id = p_endpoint_id;
  IF NOT FOUND THEN
    DELETE FROM jobs j WHERE j.tenant_id = p_tenant_id AND j.queue = 'deliver_webhook' AND j.pace_key = p_endpoint_id AND j.locked_until IS NULL;
    RETURN;
  END IF;
  IF NOT v_endpoint.enabled THEN
    PERFORM app_park_webhook_jobs(p_tenant_id, p_endpoint_id, true);
    RETURN;
  END IF;

  SELECT array_agg(c.job_id) FILTER (WHERE c.job_id IS NOT NULL), array_agg(c.job_attempts) FILTER (WHERE c.job_id IS NOT NULL), bool_or(c.drained)
    INTO v_ids, v_attempts, v_drained
    FROM jobs_claim('deliver_webhook', p_tenant_id, p_endpoint_id, p_limit, p_lease_ms, NULL) AS c;
  IF v_ids IS NULL THEN
    RETURN QUERY SELECT NULL::uuid, NULL::integer, NULL::uuid, NULL::text, NULL::timestamptz, NULL::jsonb, NULL::text, NULL::text, NULL::text, NULL::timestamptz, true;
    RETURN;
  END IF;

  RETURN QUERY
    WITH delivery AS MATERIALIZED (
      SELECT d.id, d.event_id FROM webhook_deliveries d WHERE d.tenant_id = p_tenant_id AND d.id = ANY (v_ids)
    ), event AS MATERIALIZED (
      SELECT ev.id, ev.type, ev.occurred_at, ev.payload FROM webhook_events ev
       WHERE ev.tenant_id = p_tenant_id AND ev.id = ANY (ARRAY(SELECT d.event_id FROM delivery d))
    )
    SELECT d.id, c.attempts, d.event_id, ev.type::text, ev.occurred_at, ev.payload, v_endpoint.url::text, v_endpoint.secret_ciphertext,
           v_endpoint.previous_secret_ciphertext, v_endpoint.previous_secret_expires_at, v_drained
      FROM unnest(v_ids, v_attempts) AS c(id, attempts)
      JOIN delivery d ON d.id = c.id
      JOIN event ev ON ev.id = d.event_id
     ORDER BY d.id;
END
$function$;
REVOKE ALL ON FUNCTION app_claim_webhook_deliveries(uuid,uuid,integer,double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_claim_webhook_deliveries(uuid,uuid,integer,double precision) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_conversation_id(p_tenant_id uuid, p_contact_number text)
 RETURNS uuid
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE STRICT
 SET search_path TO 'public', 'pg_temp'
AS $function$
  SELECT encode(set_byte(set_byte(substr(h, 1, 16), 6, (get_byte(h, 6) & 15) | 128), 8, (get_byte(h, 8) & 63) | 128), 'hex')::uuid
    FROM (SELECT sha256(convert_to(p_tenant_id::text || ':' || p_contact_number, 'UTF8')) AS h) AS hashed
$function$;
REVOKE ALL ON FUNCTION app_conversation_id(uuid,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_conversation_id(uuid,text) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_expire_sends(p_tenant_id uuid, p_ids uuid[])
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  expired integer;
  v_payloads jsonb[];
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  WITH gone AS (
    DELETE FROM jobs j WHERE j.tenant_id = p_tenant_id AND j.id = ANY (p_ids) AND j.locked_until < now() RETURNING j.id
  ), unknown AS (
    UPDATE messages m SET status = 'UNKNOWN', status_changed_at = now(),
           error = 'The send was interrupted: the provider may or may not have delivered it. Check with the recipient before resending.'
     WHERE m.tenant_id = p_tenant_id AND m.id = ANY (ARRAY(SELECT id FROM gone)) AND m.status = 'SENDING'
    RETURNING m
  ), history AS (
    INSERT INTO message_status_events (tenant_id, id, message_id, status, detail)
    SELECT p_tenant_id, gen_random_uuid(), (u.m).id, 'UNKNOWN', 'dispatcher stopped before recording the outcome' FROM unknown u
  )
  SELECT count(*), array_agg(app_message_event_payload(u.m) ORDER BY (u.m).id) INTO expired, v_payloads FROM unknown u;
  IF expired > 0 THEN PERFORM app_record_webhook_events(p_tenant_id, array_fill('message.unknown'::text, ARRAY[expired]), v_payloads); END IF;
  RETURN expired;
END
$function$;
REVOKE ALL ON FUNCTION app_expire_sends(uuid,uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_expire_sends(uuid,uuid[]) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_expire_webhook_deliveries(p_tenant_id uuid, p_ids uuid[])
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  expired integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  UPDATE jobs j SET locked_until = NULL, run_at = now()
   WHERE j.tenant_id = p_tenant_id AND j.id = ANY (p_ids) AND j.queue = 'deliver_webhook' AND j.locked_until < now();
  GET DIAGNOSTICS expired = ROW_COUNT;
  RETURN expired;
END
$function$;
REVOKE ALL ON FUNCTION app_expire_webhook_deliveries(uuid,uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_expire_webhook_deliveries(uuid,uuid[]) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_message_event_payload(m messages)
 RETURNS jsonb
 LANGUAGE sql
 STABLE
 SET search_path TO 'public', 'pg_temp'
AS $function$ SELECT jsonb_build_object('message', to_jsonb(m)) $function$;
REVOKE ALL ON FUNCTION app_message_event_payload(messages) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_message_event_payload(messages) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_park_webhook_jobs(p_tenant_id uuid, p_endpoint_id uuid, p_parked boolean)
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  moved integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  UPDATE jobs j SET run_at = CASE WHEN p_parked THEN 'infinity'::timestamptz ELSE now() END
   WHERE j.tenant_id = p_tenant_id AND j.queue = 'deliver_webhook' AND j.pace_key = p_endpoint_id AND j.locked_until IS NULL;
  GET DIAGNOSTICS moved = ROW_COUNT;
  IF NOT p_parked AND moved > 0 THEN PERFORM app_wake_webhook_engines(p_tenant_id, ARRAY[p_endpoint_id]); END IF;
  RETURN moved;
END
$function$;
REVOKE ALL ON FUNCTION app_park_webhook_jobs(uuid,uuid,boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_park_webhook_jobs(uuid,uuid,boolean) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_queue_test_webhook(p_tenant_id uuid, p_endpoint_id uuid)
 RETURNS uuid
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  v_event uuid := app_uuid_v7(clock_timestamp(), 0);
  v_delivery uuid := app_uuid_v7(clock_timestamp(), 1);
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  INSERT INTO webhook_events (tenant_id, id, type, payload) VALUES (p_tenant_id, v_event, 'test', '{}'::jsonb);
  INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, status, next_attempt_at)
  VALUES (p_tenant_id, v_delivery, p_endpoint_id, v_event, 'test', 'PENDING', now());
  INSERT INTO jobs (tenant_id, id, queue, pace_key) VALUES (p_tenant_id, v_delivery, 'deliver_webhook', p_endpoint_id);
  PERFORM app_wake_webhook_engines(p_tenant_id, ARRAY[p_endpoint_id]);
  RETURN v_delivery;
END
$function$;
REVOKE ALL ON FUNCTION app_queue_test_webhook(uuid,uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_queue_test_webhook(uuid,uuid) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_receive_inbound(p_tenant_id uuid, p_connection_id uuid, p_items jsonb, p_wake boolean)
 RETURNS TABLE(ord integer, handled_as text, message_id uuid, changed boolean, message jsonb, woken_endpoints uuid[])
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
#variable_conflict use_column
DECLARE
  v_our_number text;
  v_event_ords integer[] := '{}';
  v_event_types text[] := '{}';
  v_event_payloads jsonb[] := '{}';
  v_receipt record;
  v_message_id uuid;
  v_row messages;
  v_applied boolean;
  v_woken uuid[];
  v_token_hash text;
  v_connection_status "ConnectionStatus";
  -- Which message each item turned out to concern (by the item's ord): its raw payload is linked to it.
  v_link_ords integer[] := '{}';
  v_link_ids uuid[] := '{}';
  v_message_ords integer[];
  v_message_ids uuid[];
  v_new_ids uuid[];
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  SELECT c.number, c.inbound_token_hash, c.status INTO v_our_number, v_token_hash, v_connection_status
    FROM whatsapp_connections c WHERE c.tenant_id = p_tenant_id AND c.id = p_connection_id;

  -- Items that came in on an inbound URL carry its token's hash: the server found the connection by it,
  -- maybe a while ago (it caches the look-up). Checked again here, in the transaction that stores them:
  -- a rotated token or a disconnected number refuses them at once, and nothing of them is kept.
  IF jsonb_path_exists(p_items, '$[*].token_hash') THEN
    RETURN QUERY
      SELECT (e ->> 'ord')::integer, 'rejected'::text, NULL::uuid, false, NULL::jsonb, NULL::uuid[]
        FROM jsonb_array_elements(p_items) AS e
       WHERE e ? 'token_hash' AND (v_connection_status IS DISTINCT FROM 'CONNECTED' OR e ->> 'token_hash' IS DISTINCT FROM v_token_hash);
    IF FOUND THEN
      p_items := COALESCE((SELECT jsonb_agg(e) FROM jsonb_array_elements(p_items) AS e
                            WHERE NOT (e ? 'token_hash') OR (v_connection_status = 'CONNECTED' AND e ->> 'token_hash' = v_token_hash)), '[]'::jsonb);
    END IF;
  END IF;

  IF EXISTS (SELECT 1 FROM jsonb_array_elements(p_items) AS e WHERE e ->> 'kind' = 'message') THEN
    -- The provider id is claimed first: a callback delivered twice (or twice in one batch) finds it taken.
    WITH item AS MATERIALIZED (
      SELECT DISTINCT ON (i.provider_message_id) i.*
        FROM jsonb_to_recordset(p_items) AS i(ord integer, kind text, new_id uuid, from_number text, body text, preview text, provider_message_id text)
       WHERE i.kind = 'message'
       ORDER BY i.provider_message_id, i.ord
    ), ref AS (
      INSERT INTO provider_message_refs (tenant_id, provider_message_id, message_id)
      SELECT p_tenant_id, i.provider_message_id, i.new_id FROM item i ORDER BY i.ord
      ON CONFLICT DO NOTHING
      RETURNING provider_message_id, message_id
    ), inserted AS (
      INSERT INTO messages (tenant_id, id, connection_id, direction, from_number, to_number, contact_number, body, preview, status, provider_message_id)
      SELECT p_tenant_id, r.message_id, p_connection_id, 'INBOUND', i.from_number, v_our_number, i.from_number, i.body, i.preview, 'RECEIVED', i.provider_message_id
        FROM ref r JOIN item i ON i.provider_message_id = r.provider_message_id
      RETURNING messages AS stored, messages.provider_message_id
    )
    -- The events' payloads from the rows as inserted: no second read of messages.
    SELECT v_event_ords || array_agg(i.ord ORDER BY i.ord), v_event_types || array_agg('message.received'::text ORDER BY i.ord),
           v_event_payloads || array_agg(app_message_event_payload(m.stored) ORDER BY i.ord)
      INTO v_event_ords, v_event_types, v_event_payloads
      FROM inserted m JOIN item i ON i.provider_message_id = m.provider_message_id;
    -- (array || NULL keeps the array: nothing inserted leaves them as they were.)

    -- Every look-up by key with its keys known up front (`= ANY (ARRAY(...))`): a plan cached while the
    -- tables were small must not turn one into a scan of the tenant's messages.
    -- Each item's message (the one stored now, or earlier for a resent callback), kept for the links.
    WITH item AS MATERIALIZED (
      SELECT * FROM jsonb_to_recordset(p_items) AS i(ord integer, kind text, new_id uuid, provider_message_id text) WHERE i.kind = 'message'
    ), ref AS MATERIALIZED (
      SELECT r.provider_message_id, r.message_id FROM provider_message_refs r
       WHERE r.tenant_id = p_tenant_id AND r.provider_message_id = ANY (ARRAY(SELECT i.provider_message_id FROM item i))
    )
    SELECT array_agg(i.ord ORDER BY i.ord), array_agg(r.message_id ORDER BY i.ord), array_agg(i.new_id ORDER BY i.ord)
      INTO v_message_ords, v_message_ids, v_new_ids
      FROM item i JOIN ref r ON r.provider_message_id = i.provider_message_id;
    v_link_ords := v_link_ords || v_message_ords;
    v_link_ids := v_link_ids || v_message_ids;

    RETURN QUERY
      WITH found AS MATERIALIZED (
        SELECT m.* FROM messages m WHERE m.tenant_id = p_tenant_id AND m.id = ANY (v_message_ids)
      )
      SELECT l.ord, 'message'::text, f.id, f.id = l.new_id, to_jsonb(f), NULL::uuid[]
        FROM unnest(v_message_ords, v_message_ids, v_new_ids) AS l(ord, message_id, new_id) JOIN found f ON f.id = l.message_id;
  END IF;

  -- Receipts one by one, in order: two for one message in a batch (DELIVERED, then READ) both apply.
  FOR v_receipt IN
    SELECT * FROM jsonb_to_recordset(p_items) AS i(ord integer, kind text, status "MessageStatus", provider_message_id text, message_id uuid)
     WHERE i.kind = 'receipt' ORDER BY i.ord
  LOOP
    IF v_receipt.message_id IS NOT NULL THEN
      v_message_id := v_receipt.message_id;
    ELSE
      SELECT r.message_id INTO v_message_id FROM provider_message_refs r
       WHERE r.tenant_id = p_tenant_id AND r.provider_message_id = v_receipt.provider_message_id;
      SELECT m.id INTO v_message_id FROM messages m
       WHERE m.tenant_id = p_tenant_id AND m.id = v_message_id AND m.direction = 'OUTBOUND' AND m.connection_id = p_connection_id;
    END IF;
    v_applied := false;
    IF v_message_id IS NOT NULL THEN
      UPDATE messages m SET status = v_receipt.status, status_changed_at = now()
       WHERE m.tenant_id = p_tenant_id AND m.id = v_message_id
         AND m.status = ANY (CASE v_receipt.status WHEN 'DELIVERED' THEN '{SENT,UNKNOWN}'::"MessageStatus"[] ELSE '{SENT,DELIVERED,UNKNOWN}'::"MessageStatus"[] END)
      RETURNING m.* INTO v_row;
      v_applied := FOUND;
      IF v_applied THEN
        INSERT INTO message_status_events (tenant_id, id, message_id, status) VALUES (p_tenant_id, gen_random_uuid(), v_message_id, v_receipt.status);
        v_event_ords := v_event_ords || v_receipt.ord;
        v_event_types := v_event_types || ('message.' || lower(v_receipt.status::text));
        v_event_payloads := v_event_payloads || app_message_event_payload(v_row);
      END IF;
    END IF;
    IF v_message_id IS NOT NULL THEN
      v_link_ords := v_link_ords || v_receipt.ord;
      v_link_ids := v_link_ids || v_message_id;
    END IF;
    RETURN QUERY SELECT v_receipt.ord, 'status'::text, v_message_id, v_applied, NULL::jsonb, NULL::uuid[];
    v_message_id := NULL;
  END LOOP;

  RETURN QUERY
    SELECT i.ord, 'unknown'::text, NULL::uuid, false, NULL::jsonb, NULL::uuid[]
      FROM jsonb_to_recordset(p_items) AS i(ord integer, kind text) WHERE i.kind = 'unknown';

  -- The raw payloads last, each with the message it turned out to concern (null: none known).
  INSERT INTO provider_events (tenant_id, id, connection_id, event_type, payload, message_id)
  SELECT p_tenant_id, i.event_id, p_connection_id, i.event_type, i.payload, l.message_id
    FROM jsonb_to_recordset(p_items) AS i(ord integer, event_id uuid, event_type text, payload jsonb)
    LEFT JOIN unnest(v_link_ords, v_link_ids) AS l(ord, message_id) ON l.ord = i.ord
   WHERE i.event_id IS NOT NULL
   ORDER BY i.ord;

  IF cardinality(v_event_types) > 0 THEN
    PERFORM app_record_webhook_events(p_tenant_id, array_agg(e.type ORDER BY e.ord), array_agg(e.payload ORDER BY e.ord), p_wake)
       FROM unnest(v_event_ords, v_event_types, v_event_payloads) AS e(ord, type, payload);
    IF NOT p_wake THEN
      SELECT array_agg(e.id) INTO v_woken FROM webhook_endpoints e
       WHERE e.tenant_id = p_tenant_id AND e.enabled AND (cardinality(e.event_types) = 0 OR e.event_types && v_event_types);
    END IF;
  END IF;
  -- Last, a row without an item: the endpoints that got deliveries, for the caller to wake after its commit.
  IF v_woken IS NOT NULL THEN
    RETURN QUERY SELECT NULL::integer, 'wake'::text, NULL::uuid, false, NULL::jsonb, v_woken;
  END IF;
END
$function$;
REVOKE ALL ON FUNCTION app_receive_inbound(uuid,uuid,jsonb,boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_receive_inbound(uuid,uuid,jsonb,boolean) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_record_send_outcomes(p_tenant_id uuid, p_outcomes jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  recorded integer;
  v_hooks boolean;
  v_types text[];
  v_payloads jsonb[];
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  v_hooks := EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = p_tenant_id AND e.enabled);
  WITH outcome AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset(p_outcomes)
      AS o(id uuid, status "MessageStatus", provider_message_id text, error text, retry_in_ms double precision, detail text)
  ), updated AS (
    UPDATE messages m SET status = o.status, status_changed_at = now(),
           provider_message_id = COALESCE(o.provider_message_id, m.provider_message_id), error = o.error
      FROM outcome o
     WHERE m.tenant_id = p_tenant_id AND m.id = ANY (ARRAY(SELECT id FROM outcome)) AND m.id = o.id AND m.status IN ('SENDING', 'UNKNOWN')
    RETURNING m, o.detail, o.provider_message_id AS new_provider_message_id, o.retry_in_ms
  ), finished AS (
    DELETE FROM jobs j WHERE j.tenant_id = p_tenant_id AND j.id = ANY (ARRAY(SELECT id FROM outcome WHERE status <> 'QUEUED'))
  ), retried AS (
    INSERT INTO jobs AS j (tenant_id, id, queue, pace_key, run_at, attempts)
    SELECT p_tenant_id, (u.m).id, 'send_message', (u.m).connection_id, now() + make_interval(secs => u.retry_in_ms / 1000), (u.m).attempts
      FROM updated u
     WHERE (u.m).status = 'QUEUED' AND (u.m).connection_id IS NOT NULL
    ON CONFLICT (tenant_id, id) DO UPDATE SET run_at = excluded.run_at, locked_until = NULL
  ), refs AS (
    INSERT INTO provider_message_refs (tenant_id, provider_message_id, message_id)
    SELECT p_tenant_id, u.new_provider_message_id, (u.m).id FROM updated u WHERE u.new_provider_message_id IS NOT NULL
    ON CONFLICT DO NOTHING
  ), history AS (
    INSERT INTO message_status_events (tenant_id, id, message_id, status, detail)
    SELECT p_tenant_id, gen_random_uuid(), (u.m).id, (u.m).status, u.detail FROM updated u
  )
  SELECT count(*),
         array_agg('message.' || lower((u.m).status::text) ORDER BY (u.m).id) FILTER (WHERE v_hooks AND (u.m).status IN ('SENT', 'FAILED', 'UNKNOWN')),
         array_agg(app_message_event_payload(u.m) ORDER BY (u.m).id) FILTER (WHERE v_hooks AND (u.m).status IN ('SENT', 'FAILED', 'UNKNOWN'))
    INTO recorded, v_types, v_payloads
    FROM updated u;
  IF v_types IS NOT NULL THEN PERFORM app_record_webhook_events(p_tenant_id, v_types, v_payloads); END IF;
  RETURN recorded;
END
$function$;
REVOKE ALL ON FUNCTION app_record_send_outcomes(uuid,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_record_send_outcomes(uuid,jsonb) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_record_webhook_events(p_tenant_id uuid, p_types text[], p_payloads jsonb[], p_wake boolean DEFAULT true)
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  queued integer;
  v_endpoints uuid[];
  v_at timestamptz := clock_timestamp();
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  IF p_types IS NULL OR NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.tenant_id = p_tenant_id AND e.enabled) THEN
    RETURN 0;
  END IF;
  WITH event AS MATERIALIZED (
    SELECT app_uuid_v7(v_at, t.ord) AS id, t.type, t.payload, t.ord
      FROM unnest(p_types, p_payloads) WITH ORDINALITY AS t(type, payload, ord)
     WHERE EXISTS (SELECT 1 FROM webhook_endpoints e
                    WHERE e.tenant_id = p_tenant_id AND e.enabled AND (cardinality(e.event_types) = 0 OR t.type = ANY (e.event_types)))
  ), stored AS (
    INSERT INTO webhook_events (tenant_id, id, type, payload) SELECT p_tenant_id, ev.id, ev.type, ev.payload FROM event ev
  ), delivery AS MATERIALIZED (
    -- Ids in event order, so each endpoint's deliveries go out in the order their events happened.
    SELECT app_uuid_v7(v_at, ev.ord) AS id, e.id AS endpoint_id, ev.id AS event_id, ev.type
      FROM event ev JOIN webhook_endpoints e
        ON e.tenant_id = p_tenant_id AND e.enabled AND (cardinality(e.event_types) = 0 OR ev.type = ANY (e.event_types))
  ), created AS (
    INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, status, next_attempt_at)
    SELECT p_tenant_id, d.id, d.endpoint_id, d.event_id, d.type, 'PENDING', now() FROM delivery d
  ), queued_jobs AS (
    INSERT INTO jobs (tenant_id, id, queue, pace_key) SELECT p_tenant_id, d.id, 'deliver_webhook', d.endpoint_id FROM delivery d RETURNING pace_key
  )
  SELECT count(*), array_agg(DISTINCT pace_key) INTO queued, v_endpoints FROM queued_jobs;
  IF p_wake THEN PERFORM app_wake_webhook_engines(p_tenant_id, v_endpoints); END IF;
  RETURN queued;
END
$function$;
REVOKE ALL ON FUNCTION app_record_webhook_events(uuid,text[],jsonb[],boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_record_webhook_events(uuid,text[],jsonb[],boolean) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_record_webhook_outcomes(p_tenant_id uuid, p_outcomes jsonb)
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  recorded integer;
  v_succeeded uuid[];
  v_failed uuid[];
  v_disable_reasons jsonb;
  v_endpoint uuid;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  WITH input AS MATERIALIZED (
    SELECT * FROM jsonb_to_recordset(p_outcomes)
      AS o(id uuid, status "WebhookDeliveryStatus", retry_in_ms double precision, response_status integer, duration_ms integer,
           snippet text, error text, disable_reason text)
  ), outcome AS MATERIALIZED (
    -- `= ANY (ARRAY(...))` keeps the look-ups on the primary keys whatever the planner guesses of the input's size.
    SELECT o.id, o.status, o.retry_in_ms, o.response_status, o.duration_ms, left(o.snippet, 1000) AS snippet, left(o.error, 500) AS error,
           left(o.disable_reason, 200) AS disable_reason, d.endpoint_id, j.attempts
      FROM input o
      JOIN webhook_deliveries d ON d.tenant_id = p_tenant_id AND d.id = ANY (ARRAY(SELECT id FROM input)) AND d.id = o.id
      LEFT JOIN jobs j ON j.tenant_id = p_tenant_id AND j.id = ANY (ARRAY(SELECT id FROM input)) AND j.id = o.id
  ), attempt AS (
    INSERT INTO webhook_delivery_attempts (tenant_id, id, delivery_id, response_status, duration_ms, response_snippet, error)
    SELECT p_tenant_id, gen_random_uuid(), o.id, o.response_status, o.duration_ms, o.snippet, o.error FROM outcome o
  ), updated AS (
    UPDATE webhook_deliveries d SET status = o.status, attempts = COALESCE(o.attempts, d.attempts + 1), last_attempt_at = now(),
           last_response_status = o.response_status, last_duration_ms = o.duration_ms, last_response_snippet = o.snippet, last_error = o.error,
           next_attempt_at = CASE WHEN o.status = 'PENDING' THEN now() + make_interval(secs => o.retry_in_ms / 1000) END
      FROM outcome o
     WHERE d.tenant_id = p_tenant_id AND d.id = ANY (ARRAY(SELECT id FROM outcome)) AND d.id = o.id
    RETURNING d.id
  ), finished AS (
    DELETE FROM jobs j WHERE j.tenant_id = p_tenant_id AND j.id = ANY (ARRAY(SELECT id FROM outcome WHERE status <> 'PENDING'))
  ), retried AS (
    UPDATE jobs j SET run_at = now() + make_interval(secs => o.retry_in_ms / 1000), locked_until = NULL
      FROM outcome o
     WHERE j.tenant_id = p_tenant_id AND j.id = ANY (ARRAY(SELECT id FROM outcome WHERE status = 'PENDING')) AND j.id = o.id
  )
  SELECT (SELECT count(*) FROM updated),
         array_agg(DISTINCT o.endpoint_id) FILTER (WHERE o.status = 'SUCCEEDED'),
         array_agg(DISTINCT o.endpoint_id) FILTER (WHERE o.status <> 'SUCCEEDED'),
         jsonb_object_agg(o.endpoint_id, o.disable_reason) FILTER (WHERE o.disable_reason IS NOT NULL)
    INTO recorded, v_succeeded, v_failed, v_disable_reasons
    FROM outcome o;

  -- Endpoint health: a success ends a failing streak; the first failure after a success starts one.
  IF v_succeeded IS NOT NULL THEN
    UPDATE webhook_endpoints e SET failing_since = NULL WHERE e.tenant_id = p_tenant_id AND e.id = ANY (v_succeeded) AND e.failing_since IS NOT NULL;
  END IF;
  IF v_failed IS NULL THEN
    RETURN recorded;
  END IF;
  UPDATE webhook_endpoints e SET failing_since = now()
   WHERE e.tenant_id = p_tenant_id AND e.id = ANY (v_failed) AND e.failing_since IS NULL AND NOT (e.id = ANY (COALESCE(v_succeeded, '{}')));
  -- Disabled: a 410 Gone, or every delivery failing for 5 days. Its pending deliveries are parked.
  FOR v_endpoint IN
    UPDATE webhook_endpoints e SET enabled = false, updated_at = now(),
           disabled_reason = COALESCE(v_disable_reasons ->> e.id::text,
                                      'Every delivery failed for 5 days; fix the endpoint, then enable it again to deliver what is pending.')
     WHERE e.tenant_id = p_tenant_id AND e.enabled AND e.id = ANY (v_failed)
       AND (e.failing_since < now() - interval '5 days' OR v_disable_reasons ? e.id::text)
    RETURNING e.id
  LOOP
    PERFORM app_park_webhook_jobs(p_tenant_id, v_endpoint, true);
  END LOOP;
  RETURN recorded;
END
$function$;
REVOKE ALL ON FUNCTION app_record_webhook_outcomes(uuid,jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_record_webhook_outcomes(uuid,jsonb) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_redeliver_webhooks(p_tenant_id uuid, p_delivery_ids uuid[], p_endpoint_id uuid, p_since timestamp with time zone)
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  queued integer;
  v_endpoints uuid[];
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  WITH again AS (
    UPDATE webhook_deliveries d SET status = 'PENDING', next_attempt_at = now()
     WHERE d.tenant_id = p_tenant_id
       AND (d.id = ANY (p_delivery_ids) OR (d.endpoint_id = p_endpoint_id AND d.status = 'FAILED' AND d.created_at >= p_since))
       AND (d.status <> 'PENDING' OR d.id = ANY (p_delivery_ids))
    RETURNING d.id, d.endpoint_id
  )
  , queued_jobs AS (
    INSERT INTO jobs AS j (tenant_id, id, queue, pace_key, attempts)
    SELECT p_tenant_id, a.id, 'deliver_webhook', a.endpoint_id, 0 FROM again a
    ON CONFLICT (tenant_id, id) DO UPDATE SET run_at = now() WHERE j.locked_until IS NULL
    RETURNING j.pace_key
  )
  SELECT count(*), array_agg(DISTINCT pace_key) INTO queued, v_endpoints FROM queued_jobs;
  PERFORM app_wake_webhook_engines(p_tenant_id, v_endpoints);
  RETURN queued;
END
$function$;
REVOKE ALL ON FUNCTION app_redeliver_webhooks(uuid,uuid[],uuid,timestamp with time zone) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_redeliver_webhooks(uuid,uuid[],uuid,timestamp with time zone) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_release_webhook_jobs(p_tenant_id uuid, p_ids uuid[])
 RETURNS integer
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  released integer;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  UPDATE jobs j SET locked_until = NULL, attempts = greatest(j.attempts - 1, 0)
   WHERE j.tenant_id = p_tenant_id AND j.id = ANY (p_ids) AND j.queue = 'deliver_webhook' AND j.locked_until IS NOT NULL;
  GET DIAGNOSTICS released = ROW_COUNT;
  RETURN released;
END
$function$;
REVOKE ALL ON FUNCTION app_release_webhook_jobs(uuid,uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_release_webhook_jobs(uuid,uuid[]) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_uuid_v7(p_at timestamp with time zone, p_seq bigint)
 RETURNS uuid
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  v_bytes bytea := uuid_send(gen_random_uuid());
  v_ms bigint := floor(extract(epoch FROM p_at) * 1000)::bigint;
  v_seq integer := (p_seq % 4096)::integer;
BEGIN
  FOR i IN 0..5 LOOP
    v_bytes := set_byte(v_bytes, i, ((v_ms >> ((5 - i) * 8)) & 255)::integer);
  END LOOP;
  v_bytes := set_byte(v_bytes, 6, 112 | (v_seq >> 8));
  v_bytes := set_byte(v_bytes, 7, v_seq & 255);
  RETURN encode(v_bytes, 'hex')::uuid;
END
$function$;
REVOKE ALL ON FUNCTION app_uuid_v7(timestamp with time zone,bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_uuid_v7(timestamp with time zone,bigint) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.app_wake_webhook_engines(p_tenant_id uuid, p_endpoint_ids uuid[])
 RETURNS void
 LANGUAGE sql
 SET search_path TO 'public', 'pg_temp'
AS $function$
  SELECT pg_notify('switchboard_jobs', json_agg(json_build_object('queue', 'deliver_webhook', 'tenantId', p_tenant_id, 'paceKey', e))::text)
    FROM unnest(p_endpoint_ids) AS e
  HAVING count(*) > 0
$function$;
REVOKE ALL ON FUNCTION app_wake_webhook_engines(uuid,uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_wake_webhook_engines(uuid,uuid[]) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.auth_login_candidate(p_email text)
 RETURNS TABLE(user_id uuid, password_hash text)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$ SELECT u.id, u.password_hash::text FROM users u WHERE u.email = p_email $function$;
ALTER FUNCTION auth_login_candidate(text) OWNER TO switchboard_auth;
REVOKE ALL ON FUNCTION auth_login_candidate(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_login_candidate(text) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.auth_platform_role(p_user_id uuid)
 RETURNS "PlatformRole"
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$ SELECT s.role FROM platform_staff s WHERE s.user_id = p_user_id $function$;
ALTER FUNCTION auth_platform_role(uuid) OWNER TO switchboard_auth;
REVOKE ALL ON FUNCTION auth_platform_role(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_platform_role(uuid) TO switchboard_app;

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
 RETURNS TABLE(session_id uuid, user_id uuid, expires_at timestamp with time zone, tenant_id uuid, role "MembershipRole", tenant_active boolean, platform_role "PlatformRole")
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
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

CREATE OR REPLACE FUNCTION public.billing_tenants_to_close(p_month date, p_limit integer)
 RETURNS SETOF uuid
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
BEGIN
  IF p_month IS NULL OR p_month <> date_trunc('month', p_month)::date THEN
    RAISE EXCEPTION 'a month is given by its first day, not %', p_month USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF (p_month + interval '1 month') > (now() AT TIME ZONE 'UTC') THEN
    RAISE EXCEPTION 'the month % has not ended yet', to_char(p_month, 'YYYY-MM') USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_limit IS NULL OR p_limit < 1 OR p_limit > 10000 THEN
    RAISE EXCEPTION 'a batch is 1 to 10000 tenants, not %', p_limit USING ERRCODE = 'invalid_parameter_value';
  END IF;
  RETURN QUERY
    SELECT t.id FROM tenants t
     WHERE t.created_at < (p_month + interval '1 month') AT TIME ZONE 'UTC'
       AND NOT EXISTS (SELECT 1 FROM monthly_statements s WHERE s.tenant_id = t.id AND s.month = p_month)
     ORDER BY t.id LIMIT p_limit;
END
$function$;
ALTER FUNCTION billing_tenants_to_close(date,integer) OWNER TO switchboard_billing;
REVOKE ALL ON FUNCTION billing_tenants_to_close(date,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_tenants_to_close(date,integer) TO switchboard_app;

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

CREATE OR REPLACE FUNCTION public.jobs_claim(p_queue text, p_tenant_id uuid, p_pace_key uuid, p_limit integer, p_lease_ms double precision, p_rate double precision)
 RETURNS TABLE(job_id uuid, job_attempts integer, pace_wait_ms double precision, drained boolean)
 LANGUAGE plpgsql
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  v_step interval;
  v_tolerance interval;
  v_now timestamptz;
  v_next timestamptz;
  v_allowed integer := p_limit;
  v_ids uuid[];
  v_claimed integer;
  v_wait double precision := 0;
BEGIN
  PERFORM set_config('app.tenant_id', p_tenant_id::text, true);
  -- A suspended tenant's work waits, untouched, until it is reactivated (the poll finds it again then).
  IF NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = p_tenant_id AND t.active) THEN
    RETURN QUERY SELECT NULL::uuid, NULL::integer, 0::double precision, true;
    RETURN;
  END IF;
  IF p_rate IS NOT NULL AND p_rate > 0 THEN
    v_step := make_interval(secs => 1 / p_rate);
    v_tolerance := v_step * (greatest(p_rate, 1) - 1);
    INSERT INTO job_pace (tenant_id, pace_key, next_at) VALUES (p_tenant_id, p_pace_key, clock_timestamp()) ON CONFLICT DO NOTHING;
    PERFORM 1 FROM job_pace p WHERE p.tenant_id = p_tenant_id AND p.pace_key = p_pace_key FOR UPDATE;
    -- The time the sends are paced by is taken once the row is ours, not when the transaction began:
    -- a claim that waited (for the lock, for the CPU) must not count its sends as started earlier.
    v_now := clock_timestamp();
    SELECT greatest(p.next_at, v_now) INTO v_next FROM job_pace p WHERE p.tenant_id = p_tenant_id AND p.pace_key = p_pace_key;
    v_allowed := least(p_limit, floor(extract(epoch FROM v_now + v_tolerance - v_next) * p_rate)::integer + 1);
    IF v_allowed <= 0 THEN
      RETURN QUERY SELECT NULL::uuid, NULL::integer, extract(epoch FROM v_next - v_tolerance - v_now)::double precision * 1000, false;
      RETURN;
    END IF;
  END IF;

  SELECT array_agg(due.id) INTO v_ids FROM (
    SELECT j.id FROM jobs j
     WHERE j.queue = p_queue AND j.tenant_id = p_tenant_id AND j.pace_key = p_pace_key AND j.locked_until IS NULL AND j.run_at <= now()
     ORDER BY j.run_at, j.id LIMIT v_allowed FOR UPDATE SKIP LOCKED
  ) AS due;
  v_claimed := coalesce(cardinality(v_ids), 0);

  IF v_step IS NOT NULL AND v_claimed > 0 THEN
    v_next := v_next + v_step * v_claimed;
    UPDATE job_pace p SET next_at = v_next WHERE p.tenant_id = p_tenant_id AND p.pace_key = p_pace_key;
    v_wait := greatest(0, extract(epoch FROM v_next - v_tolerance - v_now) * 1000);
  END IF;

  IF v_claimed = 0 THEN
    RETURN QUERY SELECT NULL::uuid, NULL::integer, v_wait, true;
    RETURN;
  END IF;
  RETURN QUERY
    UPDATE jobs j SET locked_until = now() + make_interval(secs => p_lease_ms / 1000), attempts = j.attempts + 1
     WHERE j.tenant_id = p_tenant_id AND j.id = ANY (v_ids)
    RETURNING j.id, j.attempts, v_wait, v_claimed < v_allowed;
END
$function$;
REVOKE ALL ON FUNCTION jobs_claim(text,uuid,uuid,integer,double precision,double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jobs_claim(text,uuid,uuid,integer,double precision,double precision) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.jobs_due_keys(p_limit integer, p_horizon_ms double precision)
 RETURNS TABLE(queue text, tenant_id uuid, pace_key uuid, due_in_ms double precision)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
  WITH RECURSIVE keys AS (
    (SELECT j.queue, j.tenant_id, j.pace_key FROM jobs j WHERE j.locked_until IS NULL
      ORDER BY j.queue, j.tenant_id, j.pace_key LIMIT 1)
    UNION ALL
    SELECT next.queue, next.tenant_id, next.pace_key FROM keys,
      LATERAL (SELECT j.queue, j.tenant_id, j.pace_key FROM jobs j
                WHERE j.locked_until IS NULL AND (j.queue, j.tenant_id, j.pace_key) > (keys.queue, keys.tenant_id, keys.pace_key)
                ORDER BY j.queue, j.tenant_id, j.pace_key LIMIT 1) next
  )
  SELECT k.queue::text, k.tenant_id, k.pace_key, greatest(0, extract(epoch FROM first.run_at - now()) * 1000)::double precision
    FROM keys k,
         LATERAL (SELECT j.run_at FROM jobs j
                   WHERE j.queue = k.queue AND j.tenant_id = k.tenant_id AND j.pace_key = k.pace_key AND j.locked_until IS NULL
                   ORDER BY j.run_at LIMIT 1) first
   WHERE first.run_at <= now() + make_interval(secs => p_horizon_ms / 1000)
     AND EXISTS (SELECT 1 FROM tenants t WHERE t.id = k.tenant_id AND t.active)
   LIMIT p_limit
$function$;
ALTER FUNCTION jobs_due_keys(integer,double precision) OWNER TO switchboard_dispatch;
REVOKE ALL ON FUNCTION jobs_due_keys(integer,double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jobs_due_keys(integer,double precision) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.jobs_expired_leases(p_limit integer)
 RETURNS TABLE(queue text, tenant_id uuid, id uuid)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
  SELECT j.queue::text, j.tenant_id, j.id FROM jobs j WHERE j.locked_until < now() ORDER BY j.locked_until LIMIT p_limit
$function$;
ALTER FUNCTION jobs_expired_leases(integer) OWNER TO switchboard_dispatch;
REVOKE ALL ON FUNCTION jobs_expired_leases(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jobs_expired_leases(integer) TO switchboard_app;

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

CREATE OR REPLACE FUNCTION public.message_search_keys(p_filter jsonb, p_limit integer, p_cursor_created_at timestamp with time zone, p_cursor_id uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'public', 'pg_temp'
 SET work_mem TO '16MB'
 SET jit TO 'off'
AS $function$
DECLARE
  -- How many of the newest messages a text search reads before it considers the trigram index, and how
  -- many more it reads for a common word (one after a flood of messages without it, e.g. a campaign).
  c_window CONSTANT integer := 10000;
  c_common_window CONSTANT integer := 200000;
  v_order text := CASE WHEN p_filter->>'order' = 'asc' THEN 'ASC' ELSE 'DESC' END;
  v_last text := CASE WHEN p_filter->>'order' = 'asc' THEN 'max' ELSE 'min' END;
  v_back text := CASE WHEN p_filter->>'order' = 'asc' THEN 'DESC' ELSE 'ASC' END;
  v_window text;
  v_pattern text;
  v_keys jsonb;
  v_more jsonb;
  v_read integer;
  v_last_created_at timestamptz;
  v_last_id uuid;
  v_found_created_at timestamptz;
  v_found_id uuid;
BEGIN
  IF p_filter ? 'text' THEN v_pattern := message_text_pattern(p_filter->>'text'); END IF;

  IF NOT message_search_reads_newest(p_filter) THEN
    EXECUTE format('SELECT COALESCE(jsonb_agg(jsonb_build_object(''tenantId'', p.tenant_id, ''id'', p.id) ORDER BY p.created_at %1$s, p.id %1$s), ''[]'') FROM (', v_order)
      || message_search_sql(p_filter, NULL) || ') p'
      INTO v_keys
      USING p_filter, p_limit, p_cursor_created_at, p_cursor_id, v_pattern;
    RETURN v_keys;
  END IF;

  -- A window: its hits ($6 at most), how many messages it read, and the last one it read. The first
  -- starts at the cursor as asked (inclusive or not); the next one just past the first's last message.
  v_window := 'WITH w AS MATERIALIZED (%3$s), e AS (SELECT %2$s(w.created_at) AS at FROM w)'
    || ' SELECT to_jsonb(COALESCE((array_agg(jsonb_build_object(''tenantId'', w.tenant_id, ''id'', w.id) ORDER BY w.created_at %1$s, w.id %1$s) FILTER (WHERE w.hit))[1:$6], ''{}'')),'
    || ' count(*)::integer, (SELECT e.at FROM e), (SELECT w2.id FROM w w2, e WHERE w2.created_at = e.at ORDER BY w2.id %4$s LIMIT 1) FROM w';
  EXECUTE format(v_window, v_order, v_last, message_search_sql(p_filter, 'window'), v_back)
    INTO v_keys, v_read, v_last_created_at, v_last_id
    USING p_filter, c_window, p_cursor_created_at, p_cursor_id, v_pattern, p_limit;
  IF jsonb_array_length(v_keys) >= p_limit OR v_read < c_window THEN RETURN v_keys; END IF;

  -- Fewer hits than asked for in a full window. A common word: read on, newest first, until enough are
  -- found (at most c_common_window messages more); the trigram index then goes on after the last found.
  IF message_text_share(v_pattern) >= 0.002 THEN
    EXECUTE format('WITH h AS MATERIALIZED (SELECT w.tenant_id, w.id, w.created_at FROM (%2$s) w WHERE w.hit ORDER BY w.created_at %1$s, w.id %1$s LIMIT $6)'
      || ' SELECT COALESCE(jsonb_agg(jsonb_build_object(''tenantId'', h.tenant_id, ''id'', h.id) ORDER BY h.created_at %1$s, h.id %1$s), ''[]''),'
      || ' (array_agg(h.created_at ORDER BY h.created_at %3$s, h.id %3$s))[1], (array_agg(h.id ORDER BY h.created_at %3$s, h.id %3$s))[1] FROM h',
      v_order, message_search_sql(p_filter - 'inclusive', 'window'), v_back)
      INTO v_more, v_found_created_at, v_found_id
      USING p_filter - 'inclusive', c_common_window, v_last_created_at, v_last_id, v_pattern, p_limit - jsonb_array_length(v_keys);
    v_keys := v_keys || v_more;
    IF jsonb_array_length(v_keys) >= p_limit THEN RETURN v_keys; END IF;
    IF v_found_id IS NOT NULL THEN
      v_last_created_at := v_found_created_at;
      v_last_id := v_found_id;
    END IF;
  END IF;

  -- A rare word (or a common one missing from the newest 210,000, or near its end): the trigram index,
  -- for the older messages.
  EXECUTE format('SELECT COALESCE(jsonb_agg(jsonb_build_object(''tenantId'', p.tenant_id, ''id'', p.id) ORDER BY p.created_at %1$s, p.id %1$s), ''[]'') FROM (', v_order)
    || message_search_sql(p_filter - 'inclusive', 'older') || ') p'
    INTO v_more
    USING p_filter - 'inclusive', p_limit - jsonb_array_length(v_keys), v_last_created_at, v_last_id, v_pattern;
  RETURN v_keys || v_more;
END
$function$;
ALTER FUNCTION message_search_keys(jsonb,integer,timestamp with time zone,uuid) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION message_search_keys(jsonb,integer,timestamp with time zone,uuid) FROM PUBLIC;

CREATE OR REPLACE FUNCTION public.message_search_reads_newest(p_filter jsonb)
 RETURNS boolean
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT p_filter ? 'text' AND NOT p_filter ?| ARRAY['contact', 'messageId', 'providerMessageId']
$function$;
ALTER FUNCTION message_search_reads_newest(jsonb) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION message_search_reads_newest(jsonb) FROM PUBLIC;

CREATE OR REPLACE FUNCTION public.message_search_sql(p_filter jsonb, p_step text)
 RETURNS text
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  v_order text := CASE WHEN p_filter->>'order' = 'asc' THEN 'ASC' ELSE 'DESC' END;
  v_after text := CASE WHEN p_filter->>'order' = 'asc' THEN '>' ELSE '<' END
    || CASE WHEN (p_filter->>'inclusive')::boolean THEN '=' ELSE '' END;
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
  IF p_filter ? 'statusChangedAfter' THEN
    v_where := array_append(v_where, 'm.status_changed_at >= ($1->>''statusChangedAfter'')::timestamptz');
  END IF;
  IF p_filter ? 'providerMessageId' THEN
    v_where := array_append(v_where, 'm.provider_message_id = ($1->>''providerMessageId'')');
  END IF;
  v_where := array_append(v_where, '($3::timestamptz IS NULL OR (m.created_at, m.id) ' || v_after || ' ($3::timestamptz, $4::uuid))');

  IF message_search_reads_newest(p_filter) THEN
    IF p_filter ? 'tenantId' THEN v_where := array_append(v_where, 'm.tenant_id = ($1->>''tenantId'')::uuid'); END IF;
    IF p_step = 'window' THEN
      RETURN 'SELECT m.tenant_id, m.id, m.created_at, m.body ILIKE $5 AS hit FROM messages m WHERE '
        || array_to_string(v_where, ' AND ') || format(' ORDER BY m.created_at %1$s, m.id %1$s LIMIT $2', v_order);
    END IF;
    -- OFFSET 0: planned for every match, so through the trigram index, not by walking the newest.
    RETURN 'SELECT o.tenant_id, o.id, o.created_at FROM (SELECT m.tenant_id, m.id, m.created_at FROM messages m WHERE m.body ILIKE $5 AND '
      || array_to_string(v_where, ' AND ') || format(' OFFSET 0) o ORDER BY o.created_at %1$s, o.id %1$s LIMIT $2', v_order);
  END IF;

  -- Text with a number or an id: the few messages these name, then their text.
  IF p_filter ? 'text' THEN v_where := array_append(v_where, 'm.body ILIKE $5'); END IF;
  IF p_filter ? 'providerMessageId' THEN
    -- Through the provider's ids by tenant (primary key), then the message by its key.
    v_where := array_append(v_where, 'm.id IN (SELECT r.message_id FROM provider_message_refs r WHERE r.tenant_id = t.id AND r.provider_message_id = ($1->>''providerMessageId''))');
  END IF;
  v_inner := 'SELECT m.tenant_id, m.id, m.created_at FROM messages m WHERE m.tenant_id = t.id AND '
    || array_to_string(v_where, ' AND ') || format(' ORDER BY m.created_at %1$s, m.id %1$s LIMIT $2', v_order);
  RETURN 'SELECT x.tenant_id, x.id, x.created_at FROM tenants t CROSS JOIN LATERAL (' || v_inner || ') x'
    || CASE WHEN p_filter ? 'tenantId' THEN ' WHERE t.id = ($1->>''tenantId'')::uuid' ELSE '' END
    || format(' ORDER BY x.created_at %1$s, x.id %1$s LIMIT $2', v_order);
END
$function$;
ALTER FUNCTION message_search_sql(jsonb,text) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION message_search_sql(jsonb,text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION public.message_text_pattern(p_text text)
 RETURNS text
 LANGUAGE sql
 IMMUTABLE
AS $function$
  SELECT '%' || replace(replace(replace(p_text, '\', '\\'), '%', '\%'), '_', '\_') || '%'
$function$;
ALTER FUNCTION message_text_pattern(text) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION message_text_pattern(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION public.message_text_share(p_pattern text)
 RETURNS double precision
 LANGUAGE plpgsql
 STABLE
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  v_percent real;
  v_share double precision;
BEGIN
  SELECT LEAST(100, 100 * 1000 / GREATEST(c.reltuples, 1000))::real INTO v_percent FROM pg_class c WHERE c.oid = 'messages'::regclass;
  EXECUTE 'SELECT count(*) FILTER (WHERE m.body ILIKE $1)::double precision / GREATEST(count(*), 1) FROM messages m TABLESAMPLE SYSTEM ($2)'
    INTO v_share
    USING p_pattern, v_percent;
  RETURN v_share;
END
$function$;
ALTER FUNCTION message_text_share(text) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION message_text_share(text) FROM PUBLIC;

CREATE OR REPLACE FUNCTION public.messages_forget_idempotency_keys(p_hours integer, p_limit integer)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
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
$function$;
ALTER FUNCTION messages_forget_idempotency_keys(integer,integer) OWNER TO switchboard_dispatch;
REVOKE ALL ON FUNCTION messages_forget_idempotency_keys(integer,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION messages_forget_idempotency_keys(integer,integer) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.monthly_statements_frozen()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the statement of % for % is closed and cannot change', OLD.tenant_id, to_char(OLD.month, 'YYYY-MM')
    USING ERRCODE = 'restrict_violation';
END
$function$;
GRANT EXECUTE ON FUNCTION monthly_statements_frozen() TO PUBLIC;

CREATE OR REPLACE FUNCTION public.support_end_session(p_session_id uuid, p_staff_user_id uuid)
 RETURNS void
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
BEGIN
  PERFORM support_session_of(p_session_id, p_staff_user_id);
  UPDATE support_sessions s SET expires_at = now() WHERE s.id = p_session_id;
END
$function$;
ALTER FUNCTION support_end_session(uuid,uuid) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION support_end_session(uuid,uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION support_end_session(uuid,uuid) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.support_message_details(p_keys jsonb)
 RETURNS TABLE(tenant_id uuid, company_name text, id uuid, direction "MessageDirection", status "MessageStatus", contact_number text, from_number text, to_number text, provider_message_id text, error text, attempts integer, created_at timestamp with time zone, status_changed_at timestamp with time zone, history jsonb, webhook_deliveries jsonb, body text)
 LANGUAGE sql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
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
$function$;
ALTER FUNCTION support_message_details(jsonb) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION support_message_details(jsonb) FROM PUBLIC;

CREATE OR REPLACE FUNCTION public.support_open_message(p_session_id uuid, p_staff_user_id uuid, p_message_id uuid)
 RETURNS TABLE(tenant_id uuid, company_name text, id uuid, direction "MessageDirection", status "MessageStatus", contact_number text, from_number text, to_number text, provider_message_id text, error text, attempts integer, created_at timestamp with time zone, status_changed_at timestamp with time zone, history jsonb, webhook_deliveries jsonb, body text)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
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
$function$;
ALTER FUNCTION support_open_message(uuid,uuid,uuid) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION support_open_message(uuid,uuid,uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION support_open_message(uuid,uuid,uuid) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.support_record_access(p_session support_sessions, p_tenant_ids uuid[], p_action text, p_query jsonb, p_message_id uuid)
 RETURNS void
 LANGUAGE sql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
  INSERT INTO support_access_log (tenant_id, id, support_session_id, staff_user_id, staff_email, reason, action, query, message_id)
  SELECT t.tenant_id, gen_random_uuid(), p_session.id, p_session.staff_user_id, u.email, p_session.reason, p_action, p_query, p_message_id
    FROM (SELECT DISTINCT unnest(p_tenant_ids) AS tenant_id) t
    CROSS JOIN (SELECT users.email FROM users WHERE users.id = p_session.staff_user_id) u
$function$;
ALTER FUNCTION support_record_access(support_sessions,uuid[],text,jsonb,uuid) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION support_record_access(support_sessions,uuid[],text,jsonb,uuid) FROM PUBLIC;

CREATE OR REPLACE FUNCTION public.support_search_messages(p_session_id uuid, p_staff_user_id uuid, p_filter jsonb, p_limit integer, p_after_created_at timestamp with time zone, p_after_id uuid)
 RETURNS TABLE(tenant_id uuid, company_name text, id uuid, direction "MessageDirection", status "MessageStatus", contact_number text, from_number text, to_number text, provider_message_id text, error text, attempts integer, created_at timestamp with time zone, status_changed_at timestamp with time zone, history jsonb, webhook_deliveries jsonb, has_more boolean)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  v_session support_sessions := support_session_of(p_session_id, p_staff_user_id);
  v_keys jsonb;
  v_count integer;
BEGIN
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'Ask for 1 to 100 messages per page.' USING ERRCODE = 'SB103', DETAIL = 'first';
  END IF;
  IF p_filter ? 'text' AND char_length(p_filter->>'text') < 3 THEN
    RAISE EXCEPTION 'Search text needs at least 3 characters.' USING ERRCODE = 'SB103', DETAIL = 'filter.text';
  END IF;
  -- Newest first, after the cursor: only what the console's filter names.
  v_keys := message_search_keys(p_filter - 'order' - 'inclusive' - 'statusChangedAfter', p_limit + 1, p_after_created_at, p_after_id);
  v_count := jsonb_array_length(v_keys);
  IF v_count > p_limit THEN v_keys := v_keys - p_limit; END IF;
  PERFORM support_record_access(v_session, ARRAY(SELECT (e->>'tenantId')::uuid FROM jsonb_array_elements(v_keys) e), 'SEARCH', p_filter, NULL);

  RETURN QUERY
    SELECT d.tenant_id, d.company_name, d.id, d.direction, d.status, d.contact_number, d.from_number, d.to_number, d.provider_message_id,
           d.error, d.attempts, d.created_at, d.status_changed_at, d.history, d.webhook_deliveries, v_count > p_limit
      FROM support_message_details(v_keys) d;
END
$function$;
ALTER FUNCTION support_search_messages(uuid,uuid,jsonb,integer,timestamp with time zone,uuid) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION support_search_messages(uuid,uuid,jsonb,integer,timestamp with time zone,uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION support_search_messages(uuid,uuid,jsonb,integer,timestamp with time zone,uuid) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.support_session_of(p_session_id uuid, p_staff_user_id uuid)
 RETURNS support_sessions
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
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
$function$;
ALTER FUNCTION support_session_of(uuid,uuid) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION support_session_of(uuid,uuid) FROM PUBLIC;

CREATE OR REPLACE FUNCTION public.support_set_tenant_suspension(p_session_id uuid, p_staff_user_id uuid, p_tenant_id uuid, p_reason text)
 RETURNS TABLE(tenant_id uuid, company_name text, active boolean, suspension_reason text, suspended_at timestamp with time zone)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  v_session support_sessions := support_session_of(p_session_id, p_staff_user_id);
  v_reason text := btrim(p_reason);
BEGIN
  IF NOT EXISTS (SELECT 1 FROM platform_staff s WHERE s.user_id = p_staff_user_id AND s.role = 'SUPERADMIN') THEN
    RAISE EXCEPTION 'Only a Switchboard SUPERADMIN can suspend or reactivate a tenant; SUPPORT staff read only.' USING ERRCODE = 'SB102';
  END IF;
  IF p_reason IS NOT NULL AND char_length(v_reason) NOT BETWEEN 10 AND 500 THEN
    RAISE EXCEPTION 'Give the reason for the suspension in 10 to 500 characters: the tenant''s team sees it.' USING ERRCODE = 'SB103', DETAIL = 'reason';
  END IF;
  RETURN QUERY
    UPDATE tenants t
       SET active = p_reason IS NULL,
           suspension_reason = v_reason,
           suspended_at = CASE WHEN p_reason IS NULL THEN NULL ELSE now() END
     WHERE t.id = p_tenant_id
    RETURNING t.id, t.company_name::text, t.active, t.suspension_reason::text, t.suspended_at;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  PERFORM support_record_access(v_session, ARRAY[p_tenant_id], CASE WHEN p_reason IS NULL THEN 'REACTIVATE_TENANT' ELSE 'SUSPEND_TENANT' END,
    jsonb_build_object('reason', v_reason), NULL);
  PERFORM pg_notify('switchboard_api_key_revoked', '*');
END
$function$;
ALTER FUNCTION support_set_tenant_suspension(uuid,uuid,uuid,text) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION support_set_tenant_suspension(uuid,uuid,uuid,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION support_set_tenant_suspension(uuid,uuid,uuid,text) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.support_start_session(p_staff_user_id uuid, p_reason text)
 RETURNS TABLE(session_id uuid, reason text, started_at timestamp with time zone, expires_at timestamp with time zone)
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
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
$function$;
ALTER FUNCTION support_start_session(uuid,text) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION support_start_session(uuid,text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION support_start_session(uuid,text) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.support_tenant_statements(p_session_id uuid, p_staff_user_id uuid, p_tenant_id uuid)
 RETURNS SETOF monthly_statements
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  v_session support_sessions := support_session_of(p_session_id, p_staff_user_id);
BEGIN
  IF NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = p_tenant_id) THEN
    RETURN;
  END IF;
  PERFORM support_record_access(v_session, ARRAY[p_tenant_id], 'VIEW_STATEMENTS', '{}'::jsonb, NULL);
  RETURN QUERY SELECT s.* FROM monthly_statements s WHERE s.tenant_id = p_tenant_id ORDER BY s.month DESC;
END
$function$;
ALTER FUNCTION support_tenant_statements(uuid,uuid,uuid) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION support_tenant_statements(uuid,uuid,uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION support_tenant_statements(uuid,uuid,uuid) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.tenant_message_text_contacts(p_text text)
 RETURNS text[]
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
 SET work_mem TO '16MB'
 SET jit TO 'off'
AS $function$
DECLARE
  v_tenant_id uuid := NULLIF(current_setting('app.tenant_id', true), '')::uuid;
  v_pattern text := message_text_pattern(p_text);
  v_contacts text[];
BEGIN
  IF v_tenant_id IS NULL THEN
    RAISE EXCEPTION 'Search messages acting for a tenant (app.tenant_id is not set).' USING ERRCODE = '42501';
  END IF;
  IF char_length(p_text) < 3 OR message_text_share(v_pattern) >= 0.002 THEN RETURN NULL; END IF;
  -- OFFSET 0: planned for every match, so through the trigram index.
  EXECUTE 'SELECT COALESCE(array_agg(DISTINCT o.contact_number::text), ''{}'') FROM (SELECT m.contact_number FROM messages m WHERE m.body ILIKE $1 AND m.tenant_id = $2 OFFSET 0) o'
    INTO v_contacts
    USING v_pattern, v_tenant_id;
  RETURN v_contacts;
END
$function$;
ALTER FUNCTION tenant_message_text_contacts(text) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION tenant_message_text_contacts(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_message_text_contacts(text) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.tenant_search_message_ids(p_filter jsonb, p_limit integer, p_cursor_created_at timestamp with time zone, p_cursor_id uuid)
 RETURNS SETOF uuid
 LANGUAGE plpgsql
 STABLE SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
DECLARE
  v_tenant_id uuid := NULLIF(current_setting('app.tenant_id', true), '')::uuid;
BEGIN
  IF v_tenant_id IS NULL THEN
    RAISE EXCEPTION 'Search messages acting for a tenant (app.tenant_id is not set).' USING ERRCODE = '42501';
  END IF;
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 101 THEN
    RAISE EXCEPTION 'Ask for 1 to 100 messages per page.' USING ERRCODE = 'SB103', DETAIL = 'first';
  END IF;
  RETURN QUERY
    SELECT (e->>'id')::uuid
      FROM jsonb_array_elements(message_search_keys(
        p_filter - 'tenantId' - 'messageId' - 'providerMessageId' || jsonb_build_object('tenantId', v_tenant_id),
        p_limit, p_cursor_created_at, p_cursor_id)) e;
END
$function$;
ALTER FUNCTION tenant_search_message_ids(jsonb,integer,timestamp with time zone,uuid) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION tenant_search_message_ids(jsonb,integer,timestamp with time zone,uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_search_message_ids(jsonb,integer,timestamp with time zone,uuid) TO switchboard_app;

CREATE OR REPLACE FUNCTION public.webhooks_drop_expired_payloads(p_days integer, p_limit integer)
 RETURNS integer
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO 'public', 'pg_temp'
AS $function$
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
$function$;
ALTER FUNCTION webhooks_drop_expired_payloads(integer,integer) OWNER TO switchboard_dispatch;
REVOKE ALL ON FUNCTION webhooks_drop_expired_payloads(integer,integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION webhooks_drop_expired_payloads(integer,integer) TO switchboard_app;
