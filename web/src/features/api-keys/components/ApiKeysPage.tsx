import { useState } from "react";
import { Card } from "../../../components/ui/Card.tsx";
import { PageHeader } from "../../../components/ui/PageHeader.tsx";
import { useApiKeys } from "../api/api-keys.ts";
import { ApiKeyList } from "./ApiKeyList.tsx";
import { CreateApiKeyForm, type CreatedKey } from "./CreateApiKeyForm.tsx";
import { SecretDialog } from "./SecretDialog.tsx";
import { UsageExamples } from "./UsageExamples.tsx";

/**
 * API keys: list, create with scopes (the secret shown once), revoke, and examples filled with the
 * tenant's values. Only owners and admins manage keys (server/schema.graphql: apiKeys, createApiKey,
 * revokeApiKey); others are told who can, and still get the examples.
 */
export function ApiKeysPage({ canManage, companyName }: { canManage: boolean; companyName: string | undefined }) {
  const [created, setCreated] = useState<CreatedKey | null>(null);
  // The secret of the key created on this visit: the examples use it until the page is left.
  const [lastCreated, setLastCreated] = useState<CreatedKey | null>(null);
  const keys = useApiKeys(canManage);
  const newestActivePrefix = lastCreated?.prefix ?? keys.data?.apiKeys.find((key) => !key.revokedAt)?.prefix ?? null;

  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys let your own software send messages and read the message log through the Switchboard API. Each key has scopes that limit what it may do, and can be revoked at any time."
      />
      <div className="space-y-6">
        {canManage ? (
          <>
            <Card className="p-5">
              <h2 id="api-keys-heading" tabIndex={-1} className="text-lg font-semibold text-zinc-900 focus:outline-none">
                Your keys
              </h2>
              <div className="mt-2">
                <ApiKeyList />
              </div>
            </Card>
            <Card className="p-5">
              <h2 className="text-lg font-semibold text-zinc-900">Create a key</h2>
              <p className="mt-1 mb-4 text-sm text-zinc-600">One key per app is best: you can then revoke one app's access without touching the others.</p>
              <CreateApiKeyForm
                onCreated={(key) => {
                  setCreated(key);
                  setLastCreated(key);
                }}
              />
            </Card>
            <SecretDialog created={created} onClose={() => setCreated(null)} />
          </>
        ) : (
          <Card className="p-5" data-testid="api-keys-not-allowed">
            <h2 className="text-lg font-semibold text-zinc-900">Keys are managed by owners and admins</h2>
            <p className="mt-1 text-sm text-zinc-700">
              Your role in {companyName ?? "this company"} lets you use the dashboard but not see or create API keys, because a key acts for the whole company.
              Ask an owner or admin of your team to create one for your app, or to change your role.
            </p>
          </Card>
        )}
        <Card className="p-5">
          <h2 className="text-lg font-semibold text-zinc-900">Send a message from your code</h2>
          <div className="mt-2">
            <UsageExamples secret={lastCreated?.secret ?? null} prefix={newestActivePrefix} />
          </div>
        </Card>
      </div>
    </>
  );
}
