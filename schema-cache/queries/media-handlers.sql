-- Media type handlers of the exposed schemas. A domain whose name is a media type (`text/html`,
-- `application/vnd.geo+json`, `*/*`) marks a handler:
--   * kind 'aggregate': an aggregate of one argument (a table/view row type, or anyelement for
--     every relation) returning the domain; it formats a response in that media type;
--   * kind 'function': a plain, non-set-returning function returning the domain; calling it
--     through /rpc produces that media type, the domain being applied to its scalar result.
-- $1: db-schemas, text[].
WITH media_types AS (
  SELECT t.oid, t.typname, n.nspname
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  WHERE t.typtype = 'd'
    AND (t.typname ~ '^[A-Za-z0-9.-]+/[A-Za-z0-9.+-]+$' OR t.typname = '*/*')
)
SELECT pg_catalog.json_build_object(
  'kind', 'aggregate',
  'mediaType', pg_catalog.lower(mt.typname),
  'functionSchema', pn.nspname::text,
  'function', p.proname::text,
  'targetSchema', an.nspname::text,
  'target', at.typname::text
) AS r
FROM media_types mt
JOIN pg_catalog.pg_proc p ON p.prorettype = mt.oid AND p.prokind = 'a'
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
JOIN pg_catalog.pg_type at ON at.oid = p.proargtypes[0]
JOIN pg_catalog.pg_namespace an ON an.oid = at.typnamespace
WHERE p.pronargs = 1
  AND pn.nspname = ANY ($1::text[])
  AND (at.oid = 'pg_catalog.anyelement'::regtype
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.reltype = at.oid AND c.relkind IN ('r', 'v', 'm', 'f', 'p')))
UNION ALL
SELECT pg_catalog.json_build_object(
  'kind', 'function',
  'mediaType', pg_catalog.lower(mt.typname),
  'functionSchema', mt.nspname::text,
  'function', mt.typname::text,
  'targetSchema', pn.nspname::text,
  'target', p.proname::text
) AS r
FROM media_types mt
JOIN pg_catalog.pg_proc p ON p.prorettype = mt.oid AND p.prokind = 'f' AND NOT p.proretset
JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
WHERE pn.nspname = ANY ($1::text[])
