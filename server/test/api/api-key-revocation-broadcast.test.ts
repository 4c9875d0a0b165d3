import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.ts";
import { createAuthenticator } from "../../src/modules/auth/authenticate.ts";
import { deriveServerKeys } from "../../src/security/secrets.ts";
import { TEST_SECRET } from "../support/database.ts";
import { createApiKey, errorCode, signUp, startTestApi, type TestApi } from "../support/api.ts";
import { eventually } from "../support/messaging.ts";

/**
 * A revocation reaches every server process, not only the one that revoked the key: each caches
 * verified keys and drops one when the revocation is announced (README, "API keys").
 */

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const REVOKE_KEY = `mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;

describe("API key revocation across server processes", () => {
  it("makes another process that holds the key in its cache refuse it", async () => {
    const owner = await signUp(api, "broadcast");
    const key = await createApiKey(api, owner, ["MESSAGES_READ"]);
    // Another process: its own authenticator (own cache, own LISTEN connection) on the same database.
    const other = createAuthenticator({ db: api.database.db, keys: deriveServerKeys(TEST_SECRET), logger: createLogger("silent") });
    const accepted = async () => (await other.authenticate({ token: key.secret, tenantId: undefined })).principal !== null;
    const setRevokedQuietly = (revoked: boolean) =>
      api.database.ownerPool.query("UPDATE api_keys SET revoked_at = $2 WHERE id = $1", [key.id, revoked ? new Date() : null]);

    // Until its LISTEN connection is up the other process does not cache; wait until it serves the key
    // from its cache (a revocation written without the announcement does not reach it).
    await eventually(
      async () => {
        await setRevokedQuietly(false);
        const first = await accepted();
        await setRevokedQuietly(true);
        return first && (await accepted());
      },
      (cached) => cached,
    );
    await setRevokedQuietly(false);

    expect(errorCode(await api.graphql(REVOKE_KEY, { id: key.id }, { token: owner.token }))).toBe("none");
    expect(await eventually(accepted, (stillAccepted) => !stillAccepted)).toBe(false);
  });
});
