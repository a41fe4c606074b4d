-- Primary key, unique and foreign key constraints of every user table in the database (not only
-- the exposed schemas: views in an exposed schema may sit on tables of a private one, and the
-- relationships between those tables are carried over to the views).
-- Column lists are in key order; `attnums` is the referencing side's key as attribute numbers.
SELECT pg_catalog.json_build_object(
  'oid', con.oid::int8,
  'type', con.contype::text,
  'name', con.conname::text,
  -- constraints cloned onto partitions point at their parent's
  'inherited', con.conparentid <> 0,
  'tableOid', con.conrelid::int8,
  'tableSchema', tn.nspname::text,
  'table', tc.relname::text,
  'foreignOid', con.confrelid::int8,
  'foreignSchema', fn.nspname::text,
  'foreignTable', fc.relname::text,
  'columns', (
    SELECT pg_catalog.json_agg(a.attname::text ORDER BY k.ord)
    FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
  'attnums', (SELECT pg_catalog.json_agg(k.attnum ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)),
  'foreignColumns', (
    SELECT pg_catalog.json_agg(a.attname::text ORDER BY k.ord)
    FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum),
  'foreignAttnums', (SELECT pg_catalog.json_agg(k.attnum ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord))
) AS r
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class tc ON tc.oid = con.conrelid
JOIN pg_catalog.pg_namespace tn ON tn.oid = tc.relnamespace
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
WHERE con.contype IN ('p', 'u', 'f')
  AND tn.nspname NOT IN ('pg_catalog', 'information_schema')
  AND tn.nspname NOT LIKE 'pg\_toast%'
  AND NOT pg_catalog.pg_is_other_temp_schema(tn.oid)
ORDER BY con.conrelid, con.conname, con.oid
