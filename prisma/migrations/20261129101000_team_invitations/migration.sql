-- CreateTable
CREATE TABLE "team_invitations" (
    "tenant_id" UUID NOT NULL,
    "id" UUID NOT NULL,
    "email" VARCHAR(320) NOT NULL,
    "role" "MembershipRole" NOT NULL,
    "invited_by" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "accepted_at" TIMESTAMPTZ(3),
    "declined_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "team_invitations_pkey" PRIMARY KEY ("tenant_id","id")
);

-- CreateIndex
CREATE INDEX "team_invitations_email_idx" ON "team_invitations"("email");

-- AddForeignKey
ALTER TABLE "team_invitations" ADD CONSTRAINT "team_invitations_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- ---------------------------------------------------------------------------------------------
-- Hand-written: team invitations replace adding members silently (security review, finding 5).
-- ---------------------------------------------------------------------------------------------

-- At most one open invitation per tenant and email: inviting again refreshes it.
CREATE UNIQUE INDEX "team_invitations_open_email_key" ON "team_invitations" ("tenant_id", "email")
  WHERE "accepted_at" IS NULL AND "declined_at" IS NULL AND "revoked_at" IS NULL;

GRANT SELECT, INSERT, UPDATE ON "team_invitations" TO switchboard_app;

ALTER TABLE "team_invitations" ENABLE ROW LEVEL SECURITY;
ALTER TABLE "team_invitations" FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "team_invitations"
  USING (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid))
  WITH CHECK (tenant_id = (SELECT NULLIF(current_setting('app.tenant_id', true), '')::uuid));

-- The invitee is not in the tenant yet. Acting as a user (`app.user_id`), they may read the invitations
-- addressed to their own account's email, and nothing else: "my invitations", and finding which tenant an
-- invitation they accept or decline belongs to. Accepting and declining then act for that tenant and user
-- together (withScope), under tenant_isolation, so this policy grants no writes.
CREATE POLICY invitee_read ON "team_invitations" FOR SELECT
  USING (email = (SELECT u.email FROM "users" u
                   WHERE u.id = (SELECT NULLIF(current_setting('app.user_id', true), '')::uuid)));

-- ...and the tenant of an open invitation to them (its company name is what they decide on); the service
-- shows only unexpired ones. Tenant-only requests (no user set) skip the sub-select.
CREATE POLICY invitee_tenant_read ON "tenants" FOR SELECT
  USING ((SELECT NULLIF(current_setting('app.user_id', true), '')) IS NOT NULL
         AND id IN (SELECT i.tenant_id FROM "team_invitations" i
                     WHERE i.email = (SELECT u.email FROM "users" u
                                       WHERE u.id = (SELECT NULLIF(current_setting('app.user_id', true), '')::uuid))
                       AND i.accepted_at IS NULL AND i.declined_at IS NULL AND i.revoked_at IS NULL));

-- Adding a member by email answered whether an account exists; invitations need no such look-up.
DROP FUNCTION auth_user_id_by_email(text);
