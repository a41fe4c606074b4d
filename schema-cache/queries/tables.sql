-- Relations of the exposed schemas (tables, views, materialized views, foreign tables and
-- partitioned tables; partitions themselves are left out) with their columns.
-- $1: db-schemas, text[].
--
-- Type names, defaults and sequence names are deparsed by the server, and the deparsers qualify a
-- name only when it is not visible on the search_path. The first FROM item empties the search_path
-- for this statement (set_config(..., true) is transaction-local; outside an explicit transaction a
-- statement is its own transaction), and the lateral reference to it makes every deparse run after
-- it, so names come out fully qualified whatever the caller's session has set.
SELECT rel.r
FROM (SELECT pg_catalog.set_config('search_path', '', true)) AS cfg(search_path)
CROSS JOIN LATERAL (
  WITH RECURSIVE
  -- Every domain paired with the type it finally rests on (domains over domains are followed).
  domain_chain AS (
    SELECT t.oid AS domain_oid, t.typbasetype AS base_oid
    FROM pg_catalog.pg_type t
    WHERE t.typtype = 'd'
    UNION ALL
    SELECT dc.domain_oid, b.typbasetype
    FROM domain_chain dc
    JOIN pg_catalog.pg_type b ON b.oid = dc.base_oid
    WHERE b.typtype = 'd'
  ),
  domain_base AS (
    SELECT dc.domain_oid, dc.base_oid
    FROM domain_chain dc
    JOIN pg_catalog.pg_type b ON b.oid = dc.base_oid
    WHERE b.typtype <> 'd'
  ),
  rels AS (
    SELECT c.oid, c.relname, c.relkind, n.nspname
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'v', 'm', 'f', 'p')
      AND NOT c.relispartition
      AND n.nspname = ANY ($1::text[])
  ),
  cols AS (
    SELECT
      a.attrelid AS relid,
      pg_catalog.json_agg(pg_catalog.json_build_object(
        'name', a.attname::text,
        'description', dsc.description,
        'nullable', NOT (a.attnotnull OR (t.typtype = 'd' AND t.typnotnull)),
        -- The type a value of the column is cast to: built-in types without their modifier, a
        -- domain over a built-in type as that built-in type, anything else by its own name.
        'type', CASE
          WHEN t.typtype = 'd' AND bt.typnamespace = 'pg_catalog'::regnamespace
            THEN pg_catalog.format_type(bt.oid, NULL)
          WHEN t.typtype <> 'd' AND t.typnamespace = 'pg_catalog'::regnamespace
            THEN pg_catalog.format_type(a.atttypid, NULL)
          ELSE pg_catalog.format_type(a.atttypid, a.atttypmod)
        END,
        'nominalType', pg_catalog.format_type(a.atttypid, a.atttypmod),
        -- Declared length of char/varchar (and bit/varbit), looking through one domain level the
        -- way information_schema.columns.character_maximum_length does.
        'maxLen', CASE
          WHEN (CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END) = -1 THEN NULL
          WHEN (CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END)
               IN ('pg_catalog.bpchar'::regtype, 'pg_catalog.varchar'::regtype)
            THEN (CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END) - 4
          WHEN (CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE a.atttypid END)
               IN ('pg_catalog.bit'::regtype, 'pg_catalog.varbit'::regtype)
            THEN (CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END)
          ELSE NULL
        END,
        'default', CASE
          -- a domain's own default applies when the column has none
          WHEN t.typtype = 'd' AND ad.adbin IS NULL THEN pg_catalog.pg_get_expr(t.typdefaultbin, 0)
          -- identity columns have no pg_attrdef row; their sequence is an internal dependency
          WHEN a.attidentity = 'd' THEN (
            SELECT pg_catalog.format('nextval(%L)', dep.objid::regclass)
            FROM pg_catalog.pg_depend dep
            WHERE dep.refclassid = 'pg_catalog.pg_class'::regclass
              AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum
              AND dep.classid = 'pg_catalog.pg_class'::regclass AND dep.deptype = 'i'
            ORDER BY dep.objid
            LIMIT 1)
          -- a generation expression is not a default one could insert
          WHEN a.attgenerated <> '' THEN NULL
          ELSE pg_catalog.pg_get_expr(ad.adbin, ad.adrelid)
        END,
        'enum', COALESCE((
          SELECT pg_catalog.json_agg(e.enumlabel::text ORDER BY e.enumsortorder)
          FROM pg_catalog.pg_enum e
          WHERE e.enumtypid = bt.oid), '[]'::json)
      ) ORDER BY a.attnum) AS columns
    FROM rels
    JOIN pg_catalog.pg_attribute a ON a.attrelid = rels.oid
    JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
    LEFT JOIN domain_base db ON db.domain_oid = t.oid
    JOIN pg_catalog.pg_type bt ON bt.oid = COALESCE(db.base_oid, t.oid)
    LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    LEFT JOIN pg_catalog.pg_description dsc
      ON dsc.classoid = 'pg_catalog.pg_class'::regclass AND dsc.objoid = a.attrelid AND dsc.objsubid = a.attnum
    WHERE a.attnum > 0 AND NOT a.attisdropped
    GROUP BY a.attrelid
  ),
  pks AS (
    -- primary key columns of tables (views get theirs from their base tables, see views.sql)
    SELECT con.conrelid AS relid, pg_catalog.json_agg(a.attname::text ORDER BY a.attname) AS cols
    FROM pg_catalog.pg_constraint con
    JOIN rels ON rels.oid = con.conrelid AND rels.relkind IN ('r', 'p')
    JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
    WHERE con.contype = 'p' AND NOT a.attisdropped
    GROUP BY con.conrelid
  )
  SELECT pg_catalog.json_build_object(
    'schema', rels.nspname::text,
    'name', rels.relname::text,
    'description', dsc.description,
    'isView', rels.relkind IN ('v', 'm'),
    -- pg_relation_is_updatable returns a bitmask of 1 << CmdType: 8 insert, 4 update, 16 delete
    'insertable', rels.relkind IN ('r', 'p')
      OR (rels.relkind IN ('v', 'f') AND (pg_catalog.pg_relation_is_updatable(rels.oid::regclass, true) & 8) = 8),
    'updatable', rels.relkind IN ('r', 'p')
      OR (rels.relkind IN ('v', 'f') AND (pg_catalog.pg_relation_is_updatable(rels.oid::regclass, true) & 4) = 4),
    'deletable', rels.relkind IN ('r', 'p')
      OR (rels.relkind IN ('v', 'f') AND (pg_catalog.pg_relation_is_updatable(rels.oid::regclass, true) & 16) = 16),
    'pkCols', COALESCE(pks.cols, '[]'::json),
    'columns', COALESCE(cols.columns, '[]'::json)
  ) AS r
  FROM rels
  LEFT JOIN cols ON cols.relid = rels.oid
  LEFT JOIN pks ON pks.relid = rels.oid
  LEFT JOIN pg_catalog.pg_description dsc
    ON dsc.classoid = 'pg_catalog.pg_class'::regclass AND dsc.objoid = rels.oid AND dsc.objsubid = 0
  WHERE cfg.search_path = ''
  ORDER BY rels.nspname, rels.relname
) AS rel
