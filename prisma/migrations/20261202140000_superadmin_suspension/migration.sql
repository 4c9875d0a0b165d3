-- A SUPERADMIN suspends or reactivates a tenant, with a reason, inside a support session: one more
-- SECURITY DEFINER function of switchboard_support, which checks the session and the SUPERADMIN role
-- itself and records the change in the tenant's access log in the same statement. It may change only
-- the three suspension columns of a tenant row.
GRANT SELECT ("active", "suspension_reason", "suspended_at"), UPDATE ("active", "suspension_reason", "suspended_at") ON "tenants" TO switchboard_support;
CREATE POLICY support_suspend ON "tenants" FOR UPDATE TO switchboard_support USING (true) WITH CHECK (true);

-- p_reason: why (10 to 500 characters) to suspend; NULL to reactivate. Returns the tenant's new state,
-- nothing for an unknown tenant. API key caches in every process are dropped at commit (a key of the
-- tenant must stop, or work again, at once), through the channel key revocations use.
CREATE FUNCTION support_set_tenant_suspension(p_session_id uuid, p_staff_user_id uuid, p_tenant_id uuid, p_reason text)
RETURNS TABLE (tenant_id uuid, company_name text, active boolean, suspension_reason text, suspended_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
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
$$;
ALTER FUNCTION support_set_tenant_suspension(uuid, uuid, uuid, text) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION support_set_tenant_suspension(uuid, uuid, uuid, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION support_set_tenant_suspension(uuid, uuid, uuid, text) TO switchboard_app;
