-- CreateTable
CREATE TABLE "monthly_statements" (
    "tenant_id" UUID NOT NULL,
    "month" DATE NOT NULL,
    "messages_sent" INTEGER NOT NULL,
    "messages_received" INTEGER NOT NULL,
    "messages_failed" INTEGER NOT NULL,
    "connected_numbers" INTEGER NOT NULL,
    "tier" "Plan" NOT NULL,
    "plan_price_cents" INTEGER NOT NULL,
    "provider_cost_cents" INTEGER NOT NULL,
    "total_cents" INTEGER NOT NULL,
    "currency" VARCHAR(3) NOT NULL DEFAULT 'USD',
    "closed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "monthly_statements_pkey" PRIMARY KEY ("tenant_id","month")
);

-- AddForeignKey
ALTER TABLE "monthly_statements" ADD CONSTRAINT "monthly_statements_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- A tenant's statements: read by its own team (and created for it) under RLS, like every tenant table.
ALTER TABLE "monthly_statements" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "monthly_statements" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "monthly_statements"
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));
-- Written once, never changed: no UPDATE or DELETE for the application...
GRANT SELECT, INSERT ON "monthly_statements" TO switchboard_app;

-- ...and none for anyone else either (the owner included), but for the cascade when a tenant itself is
-- deleted: that DELETE comes from the foreign key's own trigger, one trigger level down.
CREATE FUNCTION monthly_statements_frozen() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND pg_trigger_depth() > 1 THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'the statement of % for % is closed and cannot change', OLD.tenant_id, to_char(OLD.month, 'YYYY-MM')
    USING ERRCODE = 'restrict_violation';
END
$$;
CREATE TRIGGER monthly_statements_frozen BEFORE UPDATE OR DELETE ON "monthly_statements"
  FOR EACH ROW EXECUTE FUNCTION monthly_statements_frozen();

-- Closing a month is work across every tenant: which tenants still lack a statement for it. A
-- SECURITY DEFINER look-up owned by the NOLOGIN role switchboard_billing, which may read only tenant ids
-- with their creation time, and which statements exist; each statement is then computed and written
-- under the tenant's own RLS scope, from the same query the API's `usage` answers with.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'switchboard_billing') THEN
    CREATE ROLE switchboard_billing NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO switchboard_billing;
GRANT SELECT ("id", "created_at") ON "tenants" TO switchboard_billing;
CREATE POLICY billing_close_read ON "tenants" FOR SELECT TO switchboard_billing USING (true);
GRANT SELECT ("tenant_id", "month") ON "monthly_statements" TO switchboard_billing;
CREATE POLICY billing_close_read ON "monthly_statements" FOR SELECT TO switchboard_billing USING (true);

-- Up to `p_limit` tenants that existed before `p_month` ended and have no statement for it, by id.
-- Only months that have ended: an open month's usage is still changing.
CREATE FUNCTION billing_tenants_to_close(p_month date, p_limit integer)
RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
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
$$;
ALTER FUNCTION billing_tenants_to_close(date, integer) OWNER TO switchboard_billing;
REVOKE ALL ON FUNCTION billing_tenants_to_close(date, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION billing_tenants_to_close(date, integer) TO switchboard_app;
