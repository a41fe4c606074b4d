/**
 * @module sql/openapi: the statement behind the OpenAPI document at `/`. It runs in the request's
 * transaction, after the tx-vars statement switched to the request's role, so privilege checks
 * answer for that role — and it is one statement, so `GET /` costs the same single round trip as
 * any other request. One row:
 * - `tables`: names of the schema's relations the role may use in any way (PostgREST's
 *   accessibleTables: owner, any table privilege, or any column privilege), null when privileges
 *   are ignored;
 * - `routines`: signatures (see Routine.signature) of the schema's functions the role may
 *   execute (PostgREST's accessibleFuncs), null when privileges are ignored;
 * - `description`: the schema's COMMENT, the document's title and description.
 */
import type { AppConfig, OpenApiMode } from '../config/types.ts'
import type { ApiRequest } from '../parse/types.ts'
import type { AuthResult } from '../auth/types.ts'
import type { ActionPlan } from '../plan/types.ts'
import { prelude, type MainQuery, type RoleSettingPairs } from './main.ts'
import { compile, concat, param, raw, type CompiledSql, type SqlFragment } from './fragment.ts'

/** The schema's oid, looked up by name (a `::regnamespace` cast would need the name quoted). */
const namespace = (schema: string): SqlFragment =>
  concat(raw('(SELECT n.oid FROM pg_catalog.pg_namespace n WHERE n.nspname = '), param(schema), raw(')'))

const accessibleTables = (schema: string): SqlFragment =>
  concat(
    raw("(SELECT coalesce(pg_catalog.json_agg(c.relname ORDER BY c.relname), '[]') FROM pg_catalog.pg_class c WHERE c.relnamespace = "),
    namespace(schema),
    raw(
      " AND c.relkind IN ('v', 'r', 'm', 'f', 'p') AND NOT c.relispartition" +
        " AND (pg_catalog.pg_has_role(c.relowner, 'USAGE')" +
        " OR pg_catalog.has_table_privilege(c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')" +
        " OR pg_catalog.has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES')))",
    ),
  )

/** The same text schema-cache/queries/routines.sql records as each routine's `signature`. */
const SIGNATURE =
  "p.proname || '(' || coalesce((SELECT pg_catalog.string_agg(tn.nspname || '.' || t.typname, ',' ORDER BY a.ord)" +
  ' FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(oid, ord) JOIN pg_catalog.pg_type t ON t.oid = a.oid' +
  " JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace), '') || ')'"

const accessibleRoutines = (schema: string): SqlFragment =>
  concat(
    raw(`(SELECT coalesce(pg_catalog.json_agg(${SIGNATURE}), '[]') FROM pg_catalog.pg_proc p WHERE p.pronamespace = `),
    namespace(schema),
    raw(" AND p.prokind = 'f' AND pg_catalog.has_function_privilege(p.oid, 'execute'))"),
  )

/** `SELECT tables, routines, description` for the schema, by openapi-mode. */
export const openApiQuery = (schema: string, mode: Exclude<OpenApiMode, 'disabled'>): CompiledSql => {
  const privileges = mode === 'follow-privileges'
  return compile(
    concat(
      raw('SELECT '),
      privileges ? accessibleTables(schema) : raw('NULL::json'),
      raw(' AS tables, '),
      privileges ? accessibleRoutines(schema) : raw('NULL::json'),
      raw(' AS routines, pg_catalog.obj_description('),
      namespace(schema),
      raw(", 'pg_namespace') AS description"),
    ),
  )
}

/** The root request's MainQuery: the usual tx-vars and pre-request, then the OpenAPI statement. */
export const mainInspect = (
  plan: ActionPlan & { kind: 'inspect' },
  config: AppConfig,
  request: ApiRequest,
  auth: AuthResult,
  roleSettings: RoleSettingPairs = [],
): MainQuery => ({
  ...prelude(config, request, auth, roleSettings),
  // Parsing refused `/` already when openapi-mode is disabled (PGRST126).
  main: openApiQuery(plan.schema, config.openApiMode === 'ignore-privileges' ? 'ignore-privileges' : 'follow-privileges'),
  explain: null,
})
