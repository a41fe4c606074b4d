/**
 * @module test/helpers/stack: test-side access to the local stack started by test/global-setup.ts
 * (Node tests). Values come from vitest's `inject()`; nothing here starts servers.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { inject } from 'vitest'

export interface StackUrls {
  /** Superuser URL. */
  readonly dbUrl: string
  /** `authenticator` (NOINHERIT login role) URL. */
  readonly authUrl: string
  /** `http://127.0.0.1:P/sql`. */
  readonly neonHttpUrl: string
  /** `127.0.0.1:P` of the WebSocket bridge. */
  readonly wsProxy: string
}

export const stackUrls = (): StackUrls => ({
  dbUrl: inject('dbUrl'),
  authUrl: inject('authUrl'),
  neonHttpUrl: inject('neonHttpUrl'),
  wsProxy: inject('wsProxy'),
})

/** A lower-case identifier unique to this call, for per-test schemas/tables (files run in parallel). */
export const uniqueName = (prefix: string): string => `${prefix}_${randomBytes(5).toString('hex')}`

/** Run SQL as superuser (simple protocol: many statements allowed). */
export const superuserQuery = async <R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values?: readonly unknown[],
): Promise<pg.QueryResult<R>> => {
  const client = new pg.Client({ connectionString: inject('dbUrl') })
  await client.connect()
  try {
    return await client.query<R>(text, values ? [...values] : undefined)
  } finally {
    await client.end()
  }
}

/** Add `application_name` to a connection URL (the endpoint counts requests per name). */
export const withApplicationName = (url: string, name: string): string => {
  const u = new URL(url)
  u.searchParams.set('application_name', name)
  return u.toString()
}

export interface EndpointStats {
  readonly requests: number
  readonly queries: number
  readonly byApplicationName: Readonly<Record<string, number>>
}

/** The local Neon HTTP endpoint's counters (`GET /__stats`). */
export const endpointStats = async (neonHttpUrl: string = inject('neonHttpUrl')): Promise<EndpointStats> => {
  const res = await fetch(new URL('/__stats', neonHttpUrl))
  if (!res.ok) throw new Error(`GET /__stats: HTTP ${res.status}`)
  return (await res.json()) as EndpointStats
}

/** `/sql` requests the endpoint received whose connection string had this application_name. */
export const requestsFor = async (applicationName: string): Promise<number> =>
  (await endpointStats()).byApplicationName[applicationName] ?? 0

/** Connections the database has of an application_name, whatever they are doing. */
export const connectionsOf = async (app: string): Promise<number> =>
  Number((await superuserQuery<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1', [app])).rows[0]?.n)

/** The most connections of `app` seen (sampled every 30 ms) while `work` runs, and its result. */
export const mostConnectionsWhile = async <T>(app: string, work: Promise<T>): Promise<{ most: number; result: T }> => {
  let most = 0
  let running = true
  const watch = (async () => {
    while (running) {
      most = Math.max(most, await connectionsOf(app))
      await new Promise((r) => setTimeout(r, 30))
    }
  })()
  let result: T
  try {
    result = await work
  } finally {
    running = false
    await watch
  }
  return { most, result }
}
