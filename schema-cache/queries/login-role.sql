-- The role introspection connects as: PostgREST's login role (the one in db-uri), whose role
-- memberships and settings the snapshot records.
SELECT pg_catalog.json_build_object('loginRole', current_user::text) AS r
