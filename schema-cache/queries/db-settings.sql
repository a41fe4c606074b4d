-- In-database configuration (PostgREST's db-config): the `pgrst.*` settings of the login role
-- (current_user), set for this database (`ALTER ROLE … IN DATABASE … SET`) or for every database
-- (`ALTER ROLE … SET`). A setting on the database alone does not count.
-- $1: the setting names PostgREST reads, with their `pgrst.` prefix, text[].
SELECT pg_catalog.json_build_object(
  'key', kv.key,
  'value', kv.value,
  'databaseSpecific', kv.database <> 0
) AS r
FROM (
  SELECT
    d.setdatabase AS database,
    pg_catalog.substr(s.setting, 1, pg_catalog.strpos(s.setting, '=') - 1) AS key,
    pg_catalog.substr(s.setting, pg_catalog.strpos(s.setting, '=') + 1) AS value
  FROM pg_catalog.pg_db_role_setting d
  CROSS JOIN LATERAL unnest(d.setconfig) AS s(setting)
  WHERE d.setrole = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)
    AND d.setdatabase IN (0, (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()))
) AS kv
WHERE kv.key = ANY ($1::text[])
ORDER BY kv.key, kv.database DESC
