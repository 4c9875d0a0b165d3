-- A tenant always keeps an owner, enforced by the database (security review, finding 4).
--
-- The service checks the owner count before demoting or removing an owner, but two owners demoting or
-- removing each other at the same moment both read "another owner remains" and both committed. This
-- constraint trigger checks again at COMMIT, after taking a per-tenant advisory lock: under READ
-- COMMITTED the second transaction's check waits for the first one's commit and then sees it, so it
-- fails instead of leaving the tenant without an owner. Deferred, so a transaction may demote one owner
-- and promote another in either order. A deleted tenant (its memberships go by cascade) is skipped.
--
-- The function runs as switchboard_auth (SECURITY DEFINER), whose auth_lookup policies let it read every
-- membership and tenant: the check must not depend on which tenant or user the caller's RLS scope shows.
-- Its error has its own SQLSTATE, SB001, which the server maps to a CONFLICT (server/src/db/prisma-errors.ts).

CREATE FUNCTION memberships_keep_an_owner()
RETURNS trigger
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
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
$$;

ALTER FUNCTION memberships_keep_an_owner() OWNER TO switchboard_auth;
REVOKE ALL ON FUNCTION memberships_keep_an_owner() FROM PUBLIC;

CREATE CONSTRAINT TRIGGER memberships_keep_an_owner
  AFTER UPDATE OR DELETE ON "memberships"
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW
  WHEN (OLD.role = 'OWNER')
  EXECUTE FUNCTION memberships_keep_an_owner();
