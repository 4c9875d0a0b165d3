-- Staff read any tenant's monthly statements (billing tickets), like its messages: through a SECURITY
-- DEFINER function of switchboard_support that checks the support session and records the read
-- (VIEW_STATEMENTS) in the tenant's access log in the same statement.
GRANT SELECT ON "monthly_statements" TO switchboard_support;
CREATE POLICY support_read ON "monthly_statements" FOR SELECT TO switchboard_support USING (true);

CREATE FUNCTION support_tenant_statements(p_session_id uuid, p_staff_user_id uuid, p_tenant_id uuid)
RETURNS SETOF monthly_statements
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  v_session support_sessions := support_session_of(p_session_id, p_staff_user_id);
BEGIN
  IF NOT EXISTS (SELECT 1 FROM tenants t WHERE t.id = p_tenant_id) THEN
    RETURN;
  END IF;
  PERFORM support_record_access(v_session, ARRAY[p_tenant_id], 'VIEW_STATEMENTS', '{}'::jsonb, NULL);
  RETURN QUERY SELECT s.* FROM monthly_statements s WHERE s.tenant_id = p_tenant_id ORDER BY s.month DESC;
END
$$;
ALTER FUNCTION support_tenant_statements(uuid, uuid, uuid) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION support_tenant_statements(uuid, uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION support_tenant_statements(uuid, uuid, uuid) TO switchboard_app;
