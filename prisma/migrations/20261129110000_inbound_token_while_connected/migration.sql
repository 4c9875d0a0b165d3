-- An inbound URL's token is valid only while its connection is connected: after disconnectWhatsApp
-- (or connecting another number) the old URL must stop storing messages and moving receipts.
CREATE OR REPLACE FUNCTION inbound_connection_for_token(p_token_hash text)
RETURNS TABLE (tenant_id uuid, connection_id uuid, number text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
  SELECT c.tenant_id, c.id, c.number::text
    FROM whatsapp_connections c
   WHERE c.inbound_token_hash = p_token_hash AND c.status = 'CONNECTED'
$$;

ALTER FUNCTION inbound_connection_for_token(text) OWNER TO switchboard_auth;
REVOKE ALL ON FUNCTION inbound_connection_for_token(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION inbound_connection_for_token(text) TO switchboard_app;
