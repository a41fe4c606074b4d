-- Data representations: implicit casts, done by a function the current role may execute, from a
-- domain to json or text, or from json or text to a domain. A column of such a domain is
-- formatted and parsed through the cast function.
-- Type and function names are deparsed with an empty search_path, see tables.sql.
SELECT cast_row.r
FROM (SELECT pg_catalog.set_config('search_path', '', true)) AS cfg(search_path)
CROSS JOIN LATERAL (
  SELECT pg_catalog.json_build_object(
    'sourceType', c.castsource::regtype::text,
    'targetType', c.casttarget::regtype::text,
    'function', c.castfunc::regproc::text
  ) AS r
  FROM pg_catalog.pg_cast c
  JOIN pg_catalog.pg_type src ON src.oid = c.castsource
  JOIN pg_catalog.pg_type dst ON dst.oid = c.casttarget
  WHERE cfg.search_path = ''
    AND c.castcontext = 'i'
    AND c.castmethod = 'f'
    AND pg_catalog.has_function_privilege(c.castfunc, 'execute')
    AND (
      (src.typtype = 'd' AND c.casttarget IN ('pg_catalog.json'::regtype, 'pg_catalog.text'::regtype))
      OR (dst.typtype = 'd' AND c.castsource IN ('pg_catalog.json'::regtype, 'pg_catalog.text'::regtype))
    )
) AS cast_row
