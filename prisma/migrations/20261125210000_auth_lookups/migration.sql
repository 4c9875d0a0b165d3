-- Authentication has to find a session, an API key or a login before it knows the tenant or the
-- user, which RLS hides. Instead of a general bypass, these few named functions do exactly those
-- look-ups. They run as `switchboard_auth`, a NOLOGIN role that owns nothing and may read only
-- what the functions need (through `auth_lookup` policies); the app role may only call them.

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'switchboard_auth') THEN
    CREATE ROLE switchboard_auth NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO switchboard_auth;
GRANT SELECT ON "users", "sessions", "memberships", "tenants", "api_keys" TO switchboard_auth;
GRANT UPDATE ("last_used_at") ON "api_keys" TO switchboard_auth;

CREATE POLICY auth_lookup ON "users" FOR SELECT TO switchboard_auth USING (true);
CREATE POLICY auth_lookup ON "sessions" FOR SELECT TO switchboard_auth USING (true);
CREATE POLICY auth_lookup ON "memberships" FOR SELECT TO switchboard_auth USING (true);
CREATE POLICY auth_lookup ON "tenants" FOR SELECT TO switchboard_auth USING (true);
CREATE POLICY auth_lookup ON "api_keys" FOR SELECT TO switchboard_auth USING (true);
CREATE POLICY auth_touch ON "api_keys" FOR UPDATE TO switchboard_auth USING (true) WITH CHECK (true);

-- Log-in: the password hash of the account with this (lower-case) email, if any.
CREATE FUNCTION auth_login_candidate(p_email text)
RETURNS TABLE (user_id uuid, password_hash text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT u.id, u.password_hash::text FROM users u WHERE u.email = p_email $$;

-- A live session and the membership it acts through: the requested tenant when the user belongs to
-- it, else (no tenant requested) the user's first tenant. tenant_id is NULL when there is none.
CREATE FUNCTION auth_resolve_session(p_token_hash text, p_tenant_id uuid)
RETURNS TABLE (session_id uuid, user_id uuid, expires_at timestamptz, tenant_id uuid, role "MembershipRole", tenant_active boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT s.id, s.user_id, s.expires_at, m.tenant_id, m.role, t.active
    FROM sessions s
    LEFT JOIN LATERAL (
      SELECT mm.tenant_id, mm.role FROM memberships mm
       WHERE mm.user_id = s.user_id AND (p_tenant_id IS NULL OR mm.tenant_id = p_tenant_id)
       ORDER BY mm.created_at, mm.tenant_id LIMIT 1
    ) m ON true
    LEFT JOIN tenants t ON t.id = m.tenant_id
   WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL AND s.expires_at > now()
$$;

-- An unrevoked API key by its visible prefix; the caller checks the secret's hash.
CREATE FUNCTION auth_resolve_api_key(p_prefix text)
RETURNS TABLE (api_key_id uuid, tenant_id uuid, secret_hash text, scopes "ApiKeyScope"[], last_used_at timestamptz, tenant_active boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT k.id, k.tenant_id, k.secret_hash::text, k.scopes, k.last_used_at, t.active
    FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
   WHERE k.prefix = p_prefix AND k.revoked_at IS NULL
$$;

-- Records use of a key at most once a minute, so authentication does not write on every request.
CREATE FUNCTION auth_touch_api_key(p_tenant_id uuid, p_api_key_id uuid)
RETURNS void
LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  UPDATE api_keys SET last_used_at = now()
   WHERE tenant_id = p_tenant_id AND id = p_api_key_id
     AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
$$;

-- Adding a team member by email: the account's id only, nothing else about it.
CREATE FUNCTION auth_user_id_by_email(p_email text)
RETURNS uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT u.id FROM users u WHERE u.email = p_email $$;

ALTER FUNCTION auth_login_candidate(text) OWNER TO switchboard_auth;
ALTER FUNCTION auth_resolve_session(text, uuid) OWNER TO switchboard_auth;
ALTER FUNCTION auth_resolve_api_key(text) OWNER TO switchboard_auth;
ALTER FUNCTION auth_touch_api_key(uuid, uuid) OWNER TO switchboard_auth;
ALTER FUNCTION auth_user_id_by_email(text) OWNER TO switchboard_auth;

REVOKE ALL ON FUNCTION auth_login_candidate(text), auth_resolve_session(text, uuid), auth_resolve_api_key(text),
  auth_touch_api_key(uuid, uuid), auth_user_id_by_email(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_login_candidate(text), auth_resolve_session(text, uuid), auth_resolve_api_key(text),
  auth_touch_api_key(uuid, uuid), auth_user_id_by_email(text) TO switchboard_app;
