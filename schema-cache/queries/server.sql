-- Server version and which of the requested schemas exist.
-- $1: every schema the snapshot is built for (db-schemas plus extra search path), text[].
SELECT json_build_object(
  'versionNum', pg_catalog.current_setting('server_version_num')::int,
  'version', pg_catalog.version(),
  'existingSchemas', (
    SELECT COALESCE(json_agg(n.nspname::text ORDER BY n.nspname), '[]'::json)
    FROM pg_catalog.pg_namespace n
    WHERE n.nspname = ANY ($1::text[])
  )
) AS r
