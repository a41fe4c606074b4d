-- Functions of the exposed schemas that can be called through /rpc: plain functions (not
-- procedures, aggregates or window functions), not trigger functions, and either with all input
-- parameters named or with a single unnamed bytea/json/jsonb/text/xml parameter.
-- $1: db-schemas, text[].
--
-- Parameter and return type names are deparsed with an empty search_path, see tables.sql.
SELECT fn.r
FROM (SELECT pg_catalog.set_config('search_path', '', true)) AS cfg(search_path)
CROSS JOIN LATERAL (
  WITH RECURSIVE
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
  procs AS (
    SELECT p.*, n.nspname
    FROM pg_catalog.pg_proc p
    JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    WHERE p.prokind = 'f' AND n.nspname = ANY ($1::text[])
  ),
  -- Input parameters (IN, INOUT, VARIADIC) in declaration order. proallargtypes/proargmodes are
  -- set only when there are OUT/TABLE parameters; proargnames, when set, covers all parameters.
  inputs AS (
    SELECT
      procs.oid,
      arg.name,
      arg.type,
      arg.mode,
      pg_catalog.row_number() OVER (PARTITION BY procs.oid ORDER BY arg.pos) AS idx
    FROM procs
    CROSS JOIN LATERAL unnest(
        COALESCE(procs.proallargtypes, procs.proargtypes::oid[]), procs.proargnames, procs.proargmodes
      ) WITH ORDINALITY AS arg(type, name, mode, pos)
    WHERE arg.type IS NOT NULL AND (arg.mode IS NULL OR arg.mode IN ('i', 'b', 'v'))
  ),
  params AS (
    SELECT
      inputs.oid,
      pg_catalog.json_agg(pg_catalog.json_build_object(
        'name', COALESCE(inputs.name, ''),
        'type', inputs.type::regtype::text,
        -- char(n) and bit(n) parameters take any length; cast arguments to the varying types
        'typeMaxLength', CASE inputs.type
          WHEN 'pg_catalog.bit'::regtype THEN 'bit varying'
          WHEN 'pg_catalog._bit'::regtype THEN 'bit varying[]'
          WHEN 'pg_catalog.bpchar'::regtype THEN 'character varying'
          WHEN 'pg_catalog._bpchar'::regtype THEN 'character varying[]'
          ELSE inputs.type::regtype::text
        END,
        'required', inputs.idx <= procs.pronargs - procs.pronargdefaults,
        'variadic', COALESCE(inputs.mode = 'v', false)
      ) ORDER BY inputs.idx) AS list,
      -- Without parameter names (proargnames null) a function is callable only through the
      -- single-unnamed-parameter path, which exists for these body types.
      CASE pg_catalog.count(*) - pg_catalog.count(inputs.name)
        WHEN 0 THEN true
        WHEN 1 THEN (pg_catalog.array_agg(inputs.type ORDER BY inputs.idx))[1] IN (
          'pg_catalog.bytea'::regtype, 'pg_catalog.json'::regtype, 'pg_catalog.jsonb'::regtype,
          'pg_catalog.text'::regtype, 'pg_catalog.xml'::regtype)
        ELSE false
      END AS callable
    FROM inputs
    JOIN procs ON procs.oid = inputs.oid
    GROUP BY inputs.oid
  )
  SELECT pg_catalog.json_build_object(
    'schema', procs.nspname::text,
    'name', procs.proname::text,
    'description', dsc.description,
    'params', COALESCE(params.list, '[]'::json),
    -- the return type, looked at through domains
    'returnSchema', rn.nspname::text,
    'returnName', COALESCE(comp.relname, rt.typname)::text,
    'returnsSet', procs.proretset,
    'returnsComposite', rt.typtype = 'c'
      OR COALESCE(procs.proargmodes::text[] && '{t,b,o}'::text[], false),
    'returnsDomain', dt.typtype = 'd',
    'volatility', procs.provolatile::text,
    'hasVariadic', procs.provariadic <> 0,
    -- name(schema.type,…) of the input parameters: matched with the executable functions of a
    -- request's role (src/sql/openapi.ts computes the same text).
    'signature', procs.proname || '(' || COALESCE((
      SELECT pg_catalog.string_agg(tn.nspname || '.' || t.typname, ',' ORDER BY a.ord)
      FROM unnest(procs.proargtypes::oid[]) WITH ORDINALITY AS a(oid, ord)
      JOIN pg_catalog.pg_type t ON t.oid = a.oid
      JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
    ), '') || ')',
    'config', COALESCE(pg_catalog.to_json(procs.proconfig), '[]'::json)
  ) AS r
  FROM procs
  LEFT JOIN params ON params.oid = procs.oid
  JOIN pg_catalog.pg_type dt ON dt.oid = procs.prorettype
  LEFT JOIN domain_base db ON db.domain_oid = dt.oid
  JOIN pg_catalog.pg_type rt ON rt.oid = COALESCE(db.base_oid, dt.oid)
  JOIN pg_catalog.pg_namespace rn ON rn.oid = rt.typnamespace
  LEFT JOIN pg_catalog.pg_class comp ON comp.oid = rt.typrelid
  LEFT JOIN pg_catalog.pg_description dsc
    ON dsc.classoid = 'pg_catalog.pg_proc'::regclass AND dsc.objoid = procs.oid AND dsc.objsubid = 0
  WHERE cfg.search_path = ''
    AND rt.oid <> 'pg_catalog.trigger'::regtype
    AND COALESCE(params.callable, true)
  ORDER BY procs.nspname, procs.proname, procs.oid
) AS fn
