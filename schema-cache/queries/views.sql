-- Views and materialized views of the exposed schemas and of the extra search path, with their
-- stored query tree (pg_node_tree text). The tree's top-level target list says, for each view
-- column, which table (or view) column it is taken from unchanged; introspect.ts parses it and
-- follows chains of views to find the primary and foreign keys a view exposes.
-- $1: db-schemas plus extra search path, text[].
SELECT pg_catalog.json_build_object(
  'oid', c.oid::int8,
  'schema', n.nspname::text,
  'name', c.relname::text,
  'columns', (
    SELECT pg_catalog.json_agg(pg_catalog.json_build_array(a.attnum, a.attname::text) ORDER BY a.attnum)
    FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped),
  'tree', r.ev_action::text
) AS r
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_rewrite r ON r.ev_class = c.oid AND r.rulename = '_RETURN' AND r.ev_type = '1'
WHERE c.relkind IN ('v', 'm')
  AND n.nspname = ANY ($1::text[])
ORDER BY c.oid
