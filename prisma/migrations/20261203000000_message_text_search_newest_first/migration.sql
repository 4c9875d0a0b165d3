-- The text search of the support console and of a tenant's message log, fast for common words as well
-- as rare ones.
--
-- Before: one scan of the trigram index found every message containing the text, across tenants, and
-- the newest were sorted out of all of them: for a word in one message of seven on 5 million messages,
-- seconds. And a tenant's own search could not use the index at all: under row-level security the
-- planner applies a non-leakproof operator such as ILIKE only after the policy, so never as an index
-- condition (and estimates it without the column's statistics), so it read the tenant's messages.
--
-- Now a search first reads the newest messages that match the other filters (at most 10,000: the
-- "window"), keeping those that contain the text. A common word fills the page there. Only when the
-- window holds less than a page does it turn to the trigram index, for messages older than the
-- window: the text is then rarer than one message in (10,000 / page size), so the index finds few.
-- Results are the same as before, in the same order. Tenants reach it through a SECURITY DEFINER
-- function that searches only the tenant of the transaction (app.tenant_id), as RLS would.

-- Across tenants, newest first (within a tenant, messages_tenant_id_created_at_id_idx serves).
CREATE INDEX "messages_created_at_id_idx" ON "messages"("created_at" DESC, "id" DESC);

DROP FUNCTION support_search_messages(uuid, uuid, jsonb, integer, timestamptz, uuid);
DROP FUNCTION support_search_sql(jsonb);

-- Whether a search reads the newest messages first (then the trigram index): one with text and no
-- number or id, which find their few messages through their own indexes.
CREATE FUNCTION message_search_reads_newest(p_filter jsonb)
RETURNS boolean
LANGUAGE sql IMMUTABLE
AS $$
  SELECT p_filter ? 'text' AND NOT p_filter ?| ARRAY['contact', 'messageId', 'providerMessageId']
$$;

-- The statement message_search_keys runs for a filter: a jsonb of contact, providerMessageId, messageId,
-- text, tenantId, statuses, direction, createdAfter, createdBefore, statusChangedAfter, and how to page:
-- order ('desc', the default: newest first; or 'asc') and inclusive (whether the cursor's own message
-- may be returned). Parameters: $1 the filter, $2 the limit, $3/$4 the cursor (created_at, id), $5 the
-- ILIKE pattern. Its own function so a test can EXPLAIN exactly this text. p_step is, for a search that
-- reads the newest first, 'window' (the first $2 messages matching the other filters, each with
-- whether it contains the text: `hit`) or 'older' (those containing the text, through the trigram
-- index); ignored otherwise. Without text: per tenant (LATERAL) on the indexes that lead with
-- tenant_id, so a number or a date range costs one index probe per tenant, never a scan of every message.
CREATE FUNCTION message_search_sql(p_filter jsonb, p_step text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp
AS $$
DECLARE
  v_order text := CASE WHEN p_filter->>'order' = 'asc' THEN 'ASC' ELSE 'DESC' END;
  v_after text := CASE WHEN p_filter->>'order' = 'asc' THEN '>' ELSE '<' END
    || CASE WHEN (p_filter->>'inclusive')::boolean THEN '=' ELSE '' END;
  v_where text[] := ARRAY[]::text[];
  v_inner text;
BEGIN
  IF p_filter ? 'contact' THEN v_where := array_append(v_where, 'm.contact_number = ($1->>''contact'')'); END IF;
  IF p_filter ? 'messageId' THEN v_where := array_append(v_where, 'm.id = ($1->>''messageId'')::uuid'); END IF;
  IF p_filter ? 'direction' THEN v_where := array_append(v_where, 'm.direction = ($1->>''direction'')::"MessageDirection"'); END IF;
  IF p_filter ? 'statuses' THEN
    v_where := array_append(v_where, 'm.status = ANY (ARRAY(SELECT jsonb_array_elements_text($1->''statuses''))::"MessageStatus"[])');
  END IF;
  IF p_filter ? 'createdAfter' THEN v_where := array_append(v_where, 'm.created_at >= ($1->>''createdAfter'')::timestamptz'); END IF;
  IF p_filter ? 'createdBefore' THEN v_where := array_append(v_where, 'm.created_at < ($1->>''createdBefore'')::timestamptz'); END IF;
  IF p_filter ? 'statusChangedAfter' THEN
    v_where := array_append(v_where, 'm.status_changed_at >= ($1->>''statusChangedAfter'')::timestamptz');
  END IF;
  IF p_filter ? 'providerMessageId' THEN
    v_where := array_append(v_where, 'm.provider_message_id = ($1->>''providerMessageId'')');
  END IF;
  v_where := array_append(v_where, '($3::timestamptz IS NULL OR (m.created_at, m.id) ' || v_after || ' ($3::timestamptz, $4::uuid))');

  IF message_search_reads_newest(p_filter) THEN
    IF p_filter ? 'tenantId' THEN v_where := array_append(v_where, 'm.tenant_id = ($1->>''tenantId'')::uuid'); END IF;
    IF p_step = 'window' THEN
      RETURN 'SELECT m.tenant_id, m.id, m.created_at, m.body ILIKE $5 AS hit FROM messages m WHERE '
        || array_to_string(v_where, ' AND ') || format(' ORDER BY m.created_at %1$s, m.id %1$s LIMIT $2', v_order);
    END IF;
    -- OFFSET 0: planned for every match, so through the trigram index, not by walking the newest.
    RETURN 'SELECT o.tenant_id, o.id, o.created_at FROM (SELECT m.tenant_id, m.id, m.created_at FROM messages m WHERE m.body ILIKE $5 AND '
      || array_to_string(v_where, ' AND ') || format(' OFFSET 0) o ORDER BY o.created_at %1$s, o.id %1$s LIMIT $2', v_order);
  END IF;

  -- Text with a number or an id: the few messages these name, then their text.
  IF p_filter ? 'text' THEN v_where := array_append(v_where, 'm.body ILIKE $5'); END IF;
  IF p_filter ? 'providerMessageId' THEN
    -- Through the provider's ids by tenant (primary key), then the message by its key.
    v_where := array_append(v_where, 'm.id IN (SELECT r.message_id FROM provider_message_refs r WHERE r.tenant_id = t.id AND r.provider_message_id = ($1->>''providerMessageId''))');
  END IF;
  v_inner := 'SELECT m.tenant_id, m.id, m.created_at FROM messages m WHERE m.tenant_id = t.id AND '
    || array_to_string(v_where, ' AND ') || format(' ORDER BY m.created_at %1$s, m.id %1$s LIMIT $2', v_order);
  RETURN 'SELECT x.tenant_id, x.id, x.created_at FROM tenants t CROSS JOIN LATERAL (' || v_inner || ') x'
    || CASE WHEN p_filter ? 'tenantId' THEN ' WHERE t.id = ($1->>''tenantId'')::uuid' ELSE '' END
    || format(' ORDER BY x.created_at %1$s, x.id %1$s LIMIT $2', v_order);
END
$$;

-- The keys ({tenantId, id}) of at most p_limit messages matching the filter (message_search_sql), past
-- the cursor in the filter's order. Not audited and not checked: only the SECURITY DEFINER functions
-- below call it, each for its own caller.
-- work_mem: the trigram step's bitmap of a common word's matches (200,000 at 5 million messages) stays
-- exact instead of lossy (rechecking every row of a page), which halves that step.
CREATE FUNCTION message_search_keys(p_filter jsonb, p_limit integer, p_cursor_created_at timestamptz, p_cursor_id uuid)
RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path = public, pg_temp SET work_mem = '16MB'
AS $$
DECLARE
  -- How many of the newest messages a text search reads before it turns to the trigram index.
  c_window CONSTANT integer := 10000;
  v_order text := CASE WHEN p_filter->>'order' = 'asc' THEN 'ASC' ELSE 'DESC' END;
  v_back text := CASE WHEN p_filter->>'order' = 'asc' THEN 'DESC' ELSE 'ASC' END;
  v_pattern text;
  v_keys jsonb;
  v_older jsonb;
  v_read integer;
  v_last_created_at timestamptz;
  v_last_id uuid;
BEGIN
  IF p_filter ? 'text' THEN
    v_pattern := '%' || replace(replace(replace(p_filter->>'text', '\', '\\'), '%', '\%'), '_', '\_') || '%';
  END IF;

  IF NOT message_search_reads_newest(p_filter) THEN
    EXECUTE format('SELECT COALESCE(jsonb_agg(jsonb_build_object(''tenantId'', p.tenant_id, ''id'', p.id) ORDER BY p.created_at %1$s, p.id %1$s), ''[]'') FROM (', v_order)
      || message_search_sql(p_filter, NULL) || ') p'
      INTO v_keys
      USING p_filter, p_limit, p_cursor_created_at, p_cursor_id, v_pattern;
    RETURN v_keys;
  END IF;

  -- The window: its hits (p_limit at most), how many messages it read, and where reading stopped.
  EXECUTE format('SELECT to_jsonb(COALESCE((array_agg(jsonb_build_object(''tenantId'', w.tenant_id, ''id'', w.id) ORDER BY w.created_at %1$s, w.id %1$s) FILTER (WHERE w.hit))[1:$6], ''{}'')),'
    || ' count(*), (array_agg(w.created_at ORDER BY w.created_at %2$s, w.id %2$s))[1], (array_agg(w.id ORDER BY w.created_at %2$s, w.id %2$s))[1] FROM (', v_order, v_back)
    || message_search_sql(p_filter, 'window') || ') w'
    INTO v_keys, v_read, v_last_created_at, v_last_id
    USING p_filter, c_window, p_cursor_created_at, p_cursor_id, v_pattern, p_limit;

  -- Fewer hits than asked for in a full window: the rest lie beyond it, and are few enough for the index.
  IF jsonb_array_length(v_keys) < p_limit AND v_read = c_window THEN
    EXECUTE format('SELECT COALESCE(jsonb_agg(jsonb_build_object(''tenantId'', p.tenant_id, ''id'', p.id) ORDER BY p.created_at %1$s, p.id %1$s), ''[]'') FROM (', v_order)
      || message_search_sql(p_filter - 'inclusive', 'older') || ') p'
      INTO v_older
      USING p_filter - 'inclusive', p_limit - jsonb_array_length(v_keys), v_last_created_at, v_last_id, v_pattern;
    v_keys := v_keys || v_older;
  END IF;
  RETURN v_keys;
END
$$;

-- A page of messages matching the filter, across tenants, without their text; audited: one row per
-- tenant shown, with the filter, in this transaction. p_limit rows at most, and whether more follow.
CREATE FUNCTION support_search_messages(p_session_id uuid, p_staff_user_id uuid, p_filter jsonb, p_limit integer, p_after_created_at timestamptz, p_after_id uuid)
RETURNS TABLE (
  tenant_id uuid, company_name text, id uuid, direction "MessageDirection", status "MessageStatus", contact_number text,
  from_number text, to_number text, provider_message_id text, error text, attempts integer, created_at timestamptz,
  status_changed_at timestamptz, history jsonb, webhook_deliveries jsonb, has_more boolean
)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  v_session support_sessions := support_session_of(p_session_id, p_staff_user_id);
  v_keys jsonb;
  v_count integer;
BEGIN
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 100 THEN
    RAISE EXCEPTION 'Ask for 1 to 100 messages per page.' USING ERRCODE = 'SB103', DETAIL = 'first';
  END IF;
  IF p_filter ? 'text' AND char_length(p_filter->>'text') < 3 THEN
    RAISE EXCEPTION 'Search text needs at least 3 characters.' USING ERRCODE = 'SB103', DETAIL = 'filter.text';
  END IF;
  -- Newest first, after the cursor: only what the console's filter names.
  v_keys := message_search_keys(p_filter - 'order' - 'inclusive' - 'statusChangedAfter', p_limit + 1, p_after_created_at, p_after_id);
  v_count := jsonb_array_length(v_keys);
  IF v_count > p_limit THEN v_keys := v_keys - p_limit; END IF;
  PERFORM support_record_access(v_session, ARRAY(SELECT (e->>'tenantId')::uuid FROM jsonb_array_elements(v_keys) e), 'SEARCH', p_filter, NULL);

  RETURN QUERY
    SELECT d.tenant_id, d.company_name, d.id, d.direction, d.status, d.contact_number, d.from_number, d.to_number, d.provider_message_id,
           d.error, d.attempts, d.created_at, d.status_changed_at, d.history, d.webhook_deliveries, v_count > p_limit
      FROM support_message_details(v_keys) d;
END
$$;

-- The ids of at most p_limit of the tenant's own messages matching the filter, in the filter's order past
-- the cursor: a tenant's text search, which under RLS could not use the trigram index. The tenant is
-- the transaction's (app.tenant_id, as RLS reads it), whatever the filter says; the caller then reads
-- the rows themselves under RLS. Owned by switchboard_support, whose policies read every tenant.
CREATE FUNCTION tenant_search_message_ids(p_filter jsonb, p_limit integer, p_cursor_created_at timestamptz, p_cursor_id uuid)
RETURNS SETOF uuid
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
  v_tenant_id uuid := NULLIF(current_setting('app.tenant_id', true), '')::uuid;
BEGIN
  IF v_tenant_id IS NULL THEN
    RAISE EXCEPTION 'Search messages acting for a tenant (app.tenant_id is not set).' USING ERRCODE = '42501';
  END IF;
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 101 THEN
    RAISE EXCEPTION 'Ask for 1 to 100 messages per page.' USING ERRCODE = 'SB103', DETAIL = 'first';
  END IF;
  RETURN QUERY
    SELECT (e->>'id')::uuid
      FROM jsonb_array_elements(message_search_keys(
        p_filter - 'tenantId' - 'messageId' - 'providerMessageId' || jsonb_build_object('tenantId', v_tenant_id),
        p_limit, p_cursor_created_at, p_cursor_id)) e;
END
$$;

ALTER FUNCTION message_search_reads_newest(jsonb) OWNER TO switchboard_support;
ALTER FUNCTION message_search_sql(jsonb, text) OWNER TO switchboard_support;
ALTER FUNCTION message_search_keys(jsonb, integer, timestamptz, uuid) OWNER TO switchboard_support;
ALTER FUNCTION support_search_messages(uuid, uuid, jsonb, integer, timestamptz, uuid) OWNER TO switchboard_support;
ALTER FUNCTION tenant_search_message_ids(jsonb, integer, timestamptz, uuid) OWNER TO switchboard_support;
REVOKE ALL ON FUNCTION message_search_reads_newest(jsonb), message_search_sql(jsonb, text), message_search_keys(jsonb, integer, timestamptz, uuid),
  support_search_messages(uuid, uuid, jsonb, integer, timestamptz, uuid), tenant_search_message_ids(jsonb, integer, timestamptz, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION support_search_messages(uuid, uuid, jsonb, integer, timestamptz, uuid), tenant_search_message_ids(jsonb, integer, timestamptz, uuid) TO switchboard_app;
