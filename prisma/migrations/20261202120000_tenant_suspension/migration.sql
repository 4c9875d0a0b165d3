-- Suspension: a SUPERADMIN stops a tenant with a reason the tenant's team sees. `active` already
-- refused its sends (app_accept_messages); now the work engine also holds its sends and webhook
-- deliveries, untouched, until it is reactivated. Nothing is deleted.
ALTER TABLE "tenants" ADD COLUMN "suspended_at" TIMESTAMPTZ(3),
ADD COLUMN "suspension_reason" VARCHAR(500);

-- No tenant may lift its own suspension: the application never updates a tenant row (sign-up inserts it),
-- so it loses the privilege; suspending and reactivating go through a SUPERADMIN's audited function.
REVOKE UPDATE ON "tenants" FROM switchboard_app;

-- The poll skips a suspended tenant's work (so it does not spin on it) and finds it again once the
-- tenant is active: the dispatcher may read which tenants are active, nothing else of them.
GRANT SELECT ("id", "active") ON "tenants" TO switchboard_dispatch;
CREATE POLICY dispatch_active_read ON "tenants" FOR SELECT TO switchboard_dispatch USING (true);

CREATE OR REPLACE FUNCTION jobs_due_keys(p_limit integer, p_horizon_ms double precision)
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

-- Claims (sends and webhook deliveries alike go through it) take nothing of a suspended tenant.
CREATE OR REPLACE FUNCTION jobs_claim(p_queue text, p_tenant_id uuid, p_pace_key uuid, p_limit integer, p_lease_ms double precision, p_rate double precision)
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
