/**
 * @module schema-cache/from-url: introspect a database given its connection URL, over
 * node-postgres (one connection, closed afterwards). Used by the CLI, the Node entry when it
 * starts without a snapshot, and the benchmark. Node only.
 */
import pg from 'pg'
import type { SchemaCacheSnapshot } from '../src/schema-cache/types.ts'
import type { IntrospectOptions } from './introspect.ts'
import { introspect } from './introspect.ts'

export async function introspectUrl(dbUri: string, opts: IntrospectOptions): Promise<SchemaCacheSnapshot> {
  const client = new pg.Client({ connectionString: dbUri, application_name: 'edgerest-schema-cache' })
  await client.connect()
  try {
    return await introspect(async (text, params) => (await client.query(text, params)).rows as Record<string, unknown>[], opts)
  } finally {
    await client.end()
  }
}
