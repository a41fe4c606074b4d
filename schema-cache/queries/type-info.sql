-- What generating TypeScript types (`--types`, schema-cache/typegen/) needs beyond what the server
-- reads: named types, the declared results of functions, and the columns a client cannot write.
-- $1: db-schemas, text[].
--
-- Type names are deparsed with an empty search_path, as in tables.sql and routines.sql, so they
-- come out exactly like the columns' and parameters' `type` there and can be matched to them.
-- Every branch refers to cfg so that it runs after the search_path is emptied.
SELECT info.r
FROM (SELECT pg_catalog.set_config('search_path', '', true)) AS cfg(search_path)
CROSS JOIN LATERAL (
  -- Enums, composite types and domains of every user schema (introspect.ts keeps those the
  -- exposed schemas define or use), and the row types of the exposed schemas' relations.
  SELECT pg_catalog.json_build_object(
    'kind', 'type',
    'typeKind', CASE
      WHEN t.typtype = 'e' THEN 'enum'
      WHEN t.typtype = 'd' THEN 'domain'
      WHEN c.relkind = 'c' THEN 'composite'
      ELSE 'relation'
    END,
    'schema', n.nspname::text,
    'name', t.typname::text,
    'type', pg_catalog.format_type(t.oid, NULL),
    'labels', COALESCE((
      SELECT pg_catalog.json_agg(e.enumlabel::text ORDER BY e.enumsortorder)
      FROM pg_catalog.pg_enum e
      WHERE e.enumtypid = t.oid), '[]'::json),
    'attributes', CASE WHEN c.relkind = 'c' THEN COALESCE((
      SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
        'name', a.attname::text,
        'type', pg_catalog.format_type(a.atttypid, NULL)) ORDER BY a.attnum)
      FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '[]'::json)
      ELSE '[]'::json END,
    'baseType', CASE WHEN t.typtype = 'd' THEN pg_catalog.format_type(t.typbasetype, NULL) END
  ) AS r
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
  LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
  WHERE cfg.search_path = ''
    AND (
      ((t.typtype IN ('e', 'd') OR c.relkind = 'c')
        AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)')
      OR (c.relkind IN ('r', 'v', 'm', 'f', 'p') AND NOT c.relispartition AND n.nspname = ANY ($1::text[]))
    )

  UNION ALL

  -- Plain functions of the exposed schemas: input parameter types as routines.sql lists them (to
  -- match the two up), the declared return type, and the OUT, INOUT and TABLE columns.
  SELECT pg_catalog.json_build_object(
    'kind', 'routine',
    'schema', n.nspname::text,
    'name', p.proname::text,
    'args', COALESCE((
      SELECT pg_catalog.json_agg(arg.type::regtype::text ORDER BY arg.pos)
      FROM unnest(COALESCE(p.proallargtypes, p.proargtypes::oid[]), p.proargmodes) WITH ORDINALITY AS arg(type, mode, pos)
      WHERE arg.type IS NOT NULL AND (arg.mode IS NULL OR arg.mode IN ('i', 'b', 'v'))), '[]'::json),
    'returns', pg_catalog.format_type(p.prorettype, NULL),
    'setOf', p.proretset,
    -- the ROWS estimate: 1 declares that a set-returning function returns at most one row
    'rows', p.prorows,
    'columns', COALESCE((
      SELECT pg_catalog.json_agg(pg_catalog.json_build_object(
        'name', COALESCE(arg.name, ''),
        'type', pg_catalog.format_type(arg.type, NULL)) ORDER BY arg.pos)
      FROM unnest(p.proallargtypes, p.proargnames, p.proargmodes) WITH ORDINALITY AS arg(type, name, mode, pos)
      WHERE arg.mode IN ('o', 'b', 't')), '[]'::json)
  ) AS r
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
  WHERE cfg.search_path = '' AND p.prokind = 'f' AND n.nspname = ANY ($1::text[])

  UNION ALL

  -- Columns of the exposed relations that a client cannot write: generated columns, identity
  -- columns GENERATED ALWAYS, and the columns of a writable view that are not updatable (computed
  -- in the view). Only relations with such columns.
  SELECT pg_catalog.json_build_object(
    'kind', 'readOnly',
    'schema', n.nspname::text,
    'name', c.relname::text,
    'columns', pg_catalog.json_agg(a.attname::text ORDER BY a.attnum)
  ) AS r
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  WHERE cfg.search_path = ''
    AND c.relkind IN ('r', 'v', 'f', 'p') AND NOT c.relispartition
    AND n.nspname = ANY ($1::text[])
    AND (
      a.attgenerated <> '' OR a.attidentity = 'a'
      -- 8 insert, 4 update (see tables.sql); triggers count, as for the view's own flags
      OR (c.relkind = 'v'
        AND (pg_catalog.pg_relation_is_updatable(c.oid::regclass, true) & 12) <> 0
        AND NOT pg_catalog.pg_column_is_updatable(c.oid::regclass, a.attnum, true))
    )
  GROUP BY n.nspname, c.relname
) AS info
