-- Text search for common words after a flood, and a tenant's inbox search through the trigram index.
--
-- Migration 20261203000000 reads the newest 10,000 messages first, then the trigram index. A common word
-- missing from those 10,000 (one tenant's campaign of 50,000 identical texts, say) then made the index
-- list every older match (200,000 for a word in one message of 25 at 5 million messages): seconds. Now a
-- sample of about 1,000 messages tells common from rare: a common word is read on newest first until its
-- page is full (at most 200,000 messages more), a rare one goes to the index as before.
--
-- The inbox's search (conversations(search:)) listed the contacts of every message containing the text
-- under RLS, so without the trigram index: 1.8 s in a tenant of 1.3 million messages. For rare text the
-- contacts now come from tenant_message_text_contacts, through the index; for common text (NULL) the
-- inbox walks its conversations newest first and checks each contact's messages (server code).
--
-- The inbox's own partial trigram index on INBOUND bodies (migration 20261202000000, inbox) goes: under RLS
-- the tenant's query could never use it, and the function above uses the index on every body. It cost
-- every inbound message a second set of GIN entries.
DROP INDEX IF EXISTS "messages_inbound_body_trgm_idx";

-- The ILIKE pattern of text a message should contain: %, _ and \ typed by a user are literal characters.
CREATE FUNCTION message_text_pattern(p_text text)
RETURNS text
LANGUAGE sql IMMUTABLE
AS $$
  SELECT '%' || replace(replace(replace(p_text, '\', '\\'), '%', '\%'), '_', '\_') || '%'
$$;

-- The share of messages containing a pattern, from a sample of about 1,000 rows (a few pages): a word in
-- one message of 500 or more is common, and reading the newest messages finds it sooner than the trigram
-- index, which would read every older match.
CREATE FUNCTION message_text_share(p_pattern text)
RETURNS double precision
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp
AS $$
DECLARE
  v_percent real;
  v_share double precision;
BEGIN
  SELECT LEAST(100, 100 * 1000 / GREATEST(c.reltuples, 1000))::real INTO v_percent FROM pg_class c WHERE c.oid = 'messages'::regclass;
  EXECUTE 'SELECT count(*) FILTER (WHERE m.body ILIKE $1)::double precision / GREATEST(count(*), 1) FROM messages m TABLESAMPLE SYSTEM ($2)'
    INTO v_share
    USING p_pattern, v_percent;
  RETURN v_share;
END
$$;

-- The keys ({tenantId, id}) of at most p_limit messages matching the filter (message_search_sql), past
-- the cursor in the filter's order. Not audited and not checked: only the SECURITY DEFINER functions
-- below call it, each for its own caller. work_mem: the trigram step's bitmap of a common word's matches
-- stays exact instead of lossy (rechecking every row of a page). jit off: short statements, whose
-- estimates (without the column's statistics, under RLS) would sometimes pay for compiling.
CREATE OR REPLACE FUNCTION message_search_keys(p_filter jsonb, p_limit integer, p_cursor_created_at timestamptz, p_cursor_id uuid)
RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp SET work_mem = '16MB' SET jit = off
AS $$
DECLARE
  -- How many of the newest messages a text search reads before it considers the trigram index, and how
  -- many more it reads for a common word (one after a flood of messages without it, e.g. a campaign).
  c_window CONSTANT integer := 10000;
  c_common_window CONSTANT integer := 200000;
  v_order text := CASE WHEN p_filter->>'order' = 'asc' THEN 'ASC' ELSE 'DESC' END;
  v_last text := CASE WHEN p_filter->>'order' = 'asc' THEN 'max' ELSE 'min' END;
  v_back text := CASE WHEN p_filter->>'order' = 'asc' THEN 'DESC' ELSE 'ASC' END;
  v_window text;
  v_pattern text;
  v_keys jsonb;
  v_more jsonb;
  v_read integer;
  v_last_created_at timestamptz;
  v_last_id uuid;
  v_found_created_at timestamptz;
  v_found_id uuid;
BEGIN
  IF p_filter ? 'text' THEN v_pattern := message_text_pattern(p_filter->>'text'); END IF;

  IF NOT message_search_reads_newest(p_filter) THEN
    EXECUTE format('SELECT COALESCE(jsonb_agg(jsonb_build_object(''tenantId'', p.tenant_id, ''id'', p.id) ORDER BY p.created_at %1$s, p.id %1$s), ''[]'') FROM (', v_order)
      || message_search_sql(p_filter, NULL) || ') p'
      INTO v_keys
      USING p_filter, p_limit, p_cursor_created_at, p_cursor_id, v_pattern;
    RETURN v_keys;
  END IF;

  -- A window: its hits ($6 at most), how many messages it read, and the last one it read. The first
  -- starts at the cursor as asked (inclusive or not); the next one just past the first's last message.
  v_window := 'WITH w AS MATERIALIZED (%3$s), e AS (SELECT %2$s(w.created_at) AS at FROM w)'
    || ' SELECT to_jsonb(COALESCE((array_agg(jsonb_build_object(''tenantId'', w.tenant_id, ''id'', w.id) ORDER BY w.created_at %1$s, w.id %1$s) FILTER (WHERE w.hit))[1:$6], ''{}'')),'
    || ' count(*)::integer, (SELECT e.at FROM e), (SELECT w2.id FROM w w2, e WHERE w2.created_at = e.at ORDER BY w2.id %4$s LIMIT 1) FROM w';
  EXECUTE format(v_window, v_order, v_last, message_search_sql(p_filter, 'window'), v_back)
    INTO v_keys, v_read, v_last_created_at, v_last_id
    USING p_filter, c_window, p_cursor_created_at, p_cursor_id, v_pattern, p_limit;
  IF jsonb_array_length(v_keys) >= p_limit OR v_read < c_window THEN RETURN v_keys; END IF;

  -- Fewer hits than asked for in a full window. A common word: read on, newest first, until enough are
  -- found (at most c_common_window messages more); the trigram index then goes on after the last found.
  IF message_text_share(v_pattern) >= 0.002 THEN
    EXECUTE format('WITH h AS MATERIALIZED (SELECT w.tenant_id, w.id, w.created_at FROM (%2$s) w WHERE w.hit ORDER BY w.created_at %1$s, w.id %1$s LIMIT $6)'
      || ' SELECT COALESCE(jsonb_agg(jsonb_build_object(''tenantId'', h.tenant_id, ''id'', h.id) ORDER BY h.created_at %1$s, h.id %1$s), ''[]''),'
      || ' (array_agg(h.created_at ORDER BY h.created_at %3$s, h.id %3$s))[1], (array_agg(h.id ORDER BY h.created_at %3$s, h.id %3$s))[1] FROM h',
      v_order, message_search_sql(p_filter - 'inclusive', 'window'), v_back)
      INTO v_more, v_found_created_at, v_found_id
      USING p_filter - 'inclusive', c_common_window, v_last_created_at, v_last_id, v_pattern, p_limit - jsonb_array_length(v_keys);
    v_keys := v_keys || v_more;
    IF jsonb_array_length(v_keys) >= p_limit THEN RETURN v_keys; END IF;
    IF v_found_id IS NOT NULL THEN
      v_last_created_at := v_found_created_at;
      v_last_id := v_found_id;
    END IF;
  END IF;

  -- A rare word (or a common one missing from the newest 210,000, or near its end): the trigram index,
  -- for the older messages.
  EXECUTE format('SELECT COALESCE(jsonb_agg(jsonb_build_object(''tenantId'', p.tenant_id, ''id'', p.id) ORDER BY p.created_at %1$s, p.id %1$s), ''[]'') FROM (', v_order)
    || message_search_sql(p_filter - 'inclusive', 'older') || ') p'
    INTO v_more
    USING p_filter - 'inclusive', p_limit - jsonb_array_length(v_keys), v_last_created_at, v_last_id, v_pattern;
  RETURN v_keys || v_more;
END
$$;

-- The contact numbers of the transaction's tenant's messages containing the text, through the trigram
-- index (which RLS keeps the tenant's own query from); NULL when the text is common (a sample finds it in
-- one message of 500 or more) or shorter than a trigram: the inbox then walks its conversations newest
-- first instead, and finds matches sooner than the index would list them all.
CREATE FUNCTION tenant_message_text_contacts(p_text text)
RETURNS text[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp SET work_mem = '16MB' SET jit = off
AS $$
DECLARE
  v_tenant_id uuid := NULLIF(current_setting('app.tenant_id', true), '')::uuid;
  v_pattern text := message_text_pattern(p_text);
  v_contacts text[];
BEGIN
  IF v_tenant_id IS NULL THEN
    RAISE EXCEPTION 'Search messages acting for a tenant (app.tenant_id is not set).' USING ERRCODE = '42501';
  END IF;
  IF char_length(p_text) < 3 OR message_text_share(v_pattern) >= 0.002 THEN RETURN NULL; END IF;
  -- OFFSET 0: planned for every match, so through the trigram index.
  EXECUTE 'SELECT COALESCE(array_agg(DISTINCT o.contact_number::text), ''{}'') FROM (SELECT m.contact_number FROM messages m WHERE m.body ILIKE $1 AND m.tenant_id = $2 OFFSET 0) o'
    INTO v_contacts
    USING v_pattern, v_tenant_id;
  RETURN v_contacts;
END
$$;

ALTER FUNCTION message_text_pattern(text) OWNER TO switchboard_support;
ALTER FUNCTION message_text_share(text) OWNER TO switchboard_support;
ALTER FUNCTION message_search_keys(jsonb, integer, timestamptz, uuid) OWNER TO switchboard_support;
ALTER FUNCTION tenant_message_text_contacts(text) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION message_text_pattern(text), message_text_share(text), message_search_keys(jsonb, integer, timestamptz, uuid),
  tenant_message_text_contacts(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_message_text_contacts(text) TO switchboard_app;
