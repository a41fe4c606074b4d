/**
 * @module schema-cache/from-url: introspect a database given its connection URL, over
 * node-postgres (one connection, closed afterwards). Used by the CLI, the Node server when it
 * loads or reloads its schema cache, and the benchmark. Node only.
 */
import pg from 'pg'
import type { DatabaseSettings, SchemaCacheSnapshot } from '../src/schema-cache/types.ts'
import type { IntrospectOptions, QueryFn } from './introspect.ts'
import { introspect, introspectSettings } from './introspect.ts'

export interface ConnectOptions {
  /** Give up connecting after this long (default: node-postgres's, no limit). */
  readonly connectionTimeoutMillis?: number | undefined
}

const withQuery = async <T>(dbUri: string, connect: ConnectOptions, f: (query: QueryFn) => Promise<T>): Promise<T> => {
  const client = new pg.Client({ connectionString: dbUri, application_name: 'edgerest-schema-cache', connectionTimeoutMillis: connect.connectionTimeoutMillis })
  // A connection that drops mid-introspection fails the pending query; the event must not crash the process.
  client.on('error', () => undefined)
  await client.connect()
  try {
    return await f(async (text, params) => (await client.query(text, params)).rows as Record<string, unknown>[])
  } finally {
    await client.end().catch(() => undefined)
  }
}

export const introspectUrl = (dbUri: string, opts: IntrospectOptions, connect: ConnectOptions = {}): Promise<SchemaCacheSnapshot> =>
  withQuery(dbUri, connect, (query) => introspect(query, opts))

/** The role settings and in-database configuration only (a config reload). */
export const settingsFromUrl = (dbUri: string, opts: IntrospectOptions, connect: ConnectOptions = {}): Promise<DatabaseSettings> =>
  withQuery(dbUri, connect, (query) => introspectSettings(query, opts))
