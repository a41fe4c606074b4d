-- Computed relationships: functions taking one row of a table/view and returning a table/view
-- row type (SETOF or not). Every schema is searched; introspect.ts keeps those whose table and
-- foreign table are exposed.
SELECT pg_catalog.json_build_object(
  'functionSchema', pn.nspname::text,
  'function', p.proname::text,
  'tableSchema', an.nspname::text,
  'table', at.typname::text,
  'foreignSchema', rn.nspname::text,
  'foreignTable', rt.typname::text,
  -- ROWS 1 declares a set-returning function to return at most one row
  'toOne', NOT p.proretset OR p.prorows = 1
) AS r
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
JOIN pg_catalog.pg_type at ON at.oid = p.proargtypes[0]
JOIN pg_catalog.pg_namespace an ON an.oid = at.typnamespace
JOIN pg_catalog.pg_type rt ON rt.oid = p.prorettype
JOIN pg_catalog.pg_namespace rn ON rn.oid = rt.typnamespace
WHERE p.pronargs = 1
  AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.reltype = at.oid AND c.relkind IN ('r', 'v', 'm', 'f', 'p'))
  AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.reltype = rt.oid AND c.relkind IN ('r', 'v', 'm', 'f', 'p'))
ORDER BY pn.nspname, p.proname, p.oid
