import { PageHeader } from "../../../components/ui/PageHeader.tsx";

/** API keys: create with scopes, list, revoke, and examples filled with the tenant's values. */
export function ApiKeysPage() {
  return (
    <PageHeader
      title="API keys"
      description="Keys let your own code send messages and read the message log through the Switchboard API. Each key has scopes that limit what it may do, and can be revoked at any time."
    />
  );
}
