-- Every unique key of a tenant table leads with tenant_id, so the schema can be distributed by tenant
-- (Citus requires the distribution column in every unique constraint). The two keys that were unique
-- across tenants are random secrets found before the tenant is known: API key prefixes (8 base62
-- characters) and inbound token hashes (SHA-256). They are now unique per tenant, and found across
-- tenants through a plain index; the look-up checks each candidate's secret hash, so two tenants'
-- keys sharing a prefix both keep working.
DROP INDEX "api_keys_prefix_key";
CREATE INDEX "api_keys_prefix_idx" ON "api_keys"("prefix");
CREATE UNIQUE INDEX "api_keys_tenant_id_prefix_key" ON "api_keys"("tenant_id", "prefix");

DROP INDEX "whatsapp_connections_inbound_token_hash_key";
CREATE INDEX "whatsapp_connections_inbound_token_hash_idx" ON "whatsapp_connections"("inbound_token_hash");
CREATE UNIQUE INDEX "whatsapp_connections_tenant_id_inbound_token_hash_key" ON "whatsapp_connections"("tenant_id", "inbound_token_hash");
