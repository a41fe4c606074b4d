/**
 * @module stale-snapshot: PGRST205 ("Could not find the table … in the schema cache") for a table
 * the database does have means the schema cache is older than the database — a snapshot built
 * before a migration, or a Node server nobody told to reload. The hint then says so and how to
 * rebuild it, instead of a "Perhaps you meant" that cannot help.
 *
 * How it knows: one catalog query (sql/catalog.ts) on this error path only, run as the login role
 * outside any request transaction. The happy path makes no extra round trip, and an unknown table
 * costs at most one. Comparing fingerprints instead would need the whole introspection (the
 * fingerprint is a hash of every catalog row the snapshot holds), and Postgres exposes no cheap
 * "catalog changed since" marker. If the check itself fails (database unreachable), the error is
 * answered as it was.
 */
import { staleSchemaCacheHint } from './errors/http.ts'
import { cacheErr, type AppError } from './errors/types.ts'
import type { PipelineDeps } from './pipeline.ts'
import { relationExists } from './sql/catalog.ts'

export const withStaleSnapshotHint = async (error: AppError, deps: Pick<PipelineDeps, 'executor' | 'cache'>): Promise<AppError> => {
  if (error.origin !== 'schemaCache' || error.error.kind !== 'tableNotFound') return error
  const missing = error.error
  try {
    const [result] = await deps.executor.run([relationExists(missing.schema, missing.name)], { readOnly: true, end: 'commit' })
    if (result?.rows[0]?.[0] !== 't') return error
  } catch {
    return error
  }
  return cacheErr({ ...missing, suggestion: staleSchemaCacheHint(deps.cache.snapshot.generatedAt) })
}
