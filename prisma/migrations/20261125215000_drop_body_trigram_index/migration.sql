-- The trigram index on message bodies made every dispatch update (claim, outcome: neither can be
-- a HOT update, since status is in partial-index predicates) re-extract the body's trigrams into
-- a GIN index: measured as most of PostgreSQL's extra CPU per sent message. Log search scans one
-- tenant's rows through (tenant_id, created_at) instead; a search index that is written once per
-- message belongs with the cross-tenant support search.
DROP INDEX IF EXISTS "messages_body_trgm_idx";
