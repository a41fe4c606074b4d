/**
 * @module sql/catalog: small catalog statements outside the request pipeline's main query.
 * - `relationExists`: whether the database has a table or view that the schema cache does not
 *   (the stale-snapshot hint of PGRST205, see src/stale-snapshot.ts); the kinds of relation the
 *   schema cache holds, partitions left out as there.
 * - `PING`: a connection check (the Node server's readiness when it has no listener).
 * - `listen`, `SERVER_VERSION`: the Node server's NOTIFY listener (db-channel).
 */
import { compile, concat, param, quoteIdent, raw, type CompiledSql } from './fragment.ts'

export const relationExists = (schema: string, name: string): CompiledSql =>
  compile(
    concat(
      raw('SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '),
      param(schema),
      raw(' AND c.relname = '),
      param(name),
      raw(" AND c.relkind IN ('r', 'v', 'm', 'f', 'p') AND NOT c.relispartition)"),
    ),
  )

export const PING: CompiledSql = { text: 'SELECT 1', params: [] }

/** `LISTEN "channel"`: a channel is an identifier (LISTEN takes no parameters). */
export const listen = (channel: string): string => `LISTEN ${quoteIdent(channel)}`

/** The server's full version string, as PostgREST's listener reports it. */
export const SERVER_VERSION = 'SELECT pg_catalog.version()'
