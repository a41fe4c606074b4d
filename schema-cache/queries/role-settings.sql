-- Per-role settings PostgREST applies to the impersonated role: the `ALTER ROLE … SET` entries of
-- every role the login role (current_user, the role introspection connects as) is a member of,
-- for settings a user may change in a transaction: `user` context ones, and on PostgreSQL 15+
-- the ones the login role was granted SET on. `default_transaction_isolation` is among them and
-- becomes the role's isolation level.
-- A line ending in `-- pg15+` is removed before the query runs on an older server.
SELECT pg_catalog.json_build_object('role', kv.rolname, 'key', kv.key, 'value', kv.value) AS r
FROM (
  SELECT
    r.rolname::text AS rolname,
    pg_catalog.substr(s.setting, 1, pg_catalog.strpos(s.setting, '=') - 1) AS key,
    pg_catalog.substr(s.setting, pg_catalog.strpos(s.setting, '=') + 1) AS value
  FROM pg_catalog.pg_auth_members m
  JOIN pg_catalog.pg_roles r ON r.oid = m.roleid
  CROSS JOIN LATERAL unnest(r.rolconfig) AS s(setting)
  WHERE m.member = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)
) AS kv
JOIN pg_catalog.pg_settings ps ON ps.name = kv.key AND (
  ps.context = 'user'
  OR pg_catalog.has_parameter_privilege(current_user, ps.name, 'SET') -- pg15+
)
ORDER BY kv.rolname, kv.key
