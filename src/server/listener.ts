/**
 * @module server/listener: PostgREST's NOTIFY listener. One connection of its own LISTENs on
 * db-channel (default `pgrst`): `NOTIFY pgrst, 'reload schema'` (or an empty payload) reloads the
 * schema cache, `NOTIFY pgrst, 'reload config'` the in-database configuration; other payloads
 * are ignored. When the connection is lost (the database restarts) it reconnects with PostgREST's
 * backoff, 1, 2, 4, … 32 seconds, and after reconnecting reloads the schema cache, since
 * notifications sent meanwhile are lost. While connected it is also the server's evidence that
 * the database is reachable (/ready).
 */
import pg from 'pg'
import type { Log } from '../log/types.ts'
import { listen, SERVER_VERSION } from '../sql/catalog.ts'

export interface ListenerOptions {
  readonly dbUri: string
  readonly channel: string
  readonly log: Log
  readonly onReloadSchema: () => void
  readonly onReloadConfig: () => void
  /** Give up a connection attempt after this long. */
  readonly connectTimeoutMs: number
}

export interface Listener {
  connected(): boolean
  /** The database is known to be back (a schema cache load worked): a reconnect waiting out its backoff goes now. */
  retryNow(): void
  close(): Promise<void>
}

const MAX_DELAY_SECONDS = 32

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e)).replace(/\s*\n\s*/g, ' ')

const hostOf = (uri: string): string => {
  try {
    const u = new URL(uri)
    return `${u.hostname}:${u.port || '5432'}`
  } catch {
    return 'the database'
  }
}

export const startListener = (options: ListenerOptions): Listener => {
  const { channel, log } = options
  const notice = (level: 'info' | 'error', message: string): void => log.observe({ kind: 'notice', level, message })
  const quotedChannel = JSON.stringify(channel)
  let client: pg.Client | null = null
  let connected = false
  let closed = false
  let wake: (() => void) | null = null

  const onPayload = (payload: string): void => {
    if (payload === '' || payload === 'reload schema') {
      notice('info', `Received a schema cache reload message on the ${quotedChannel} channel`)
      options.onReloadSchema()
    } else if (payload === 'reload config') {
      notice('info', `Received a config reload message on the ${quotedChannel} channel`)
      options.onReloadConfig()
    }
  }

  const sleep = (seconds: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(done, seconds * 1000)
      function done(): void {
        clearTimeout(timer)
        wake = null
        resolve()
      }
      wake = done
    })

  /** Connects, listens, and resolves when the connection is lost (or rejects if it cannot connect). */
  const session = async (afterRetry: boolean): Promise<unknown> => {
    const c = new pg.Client({ connectionString: options.dbUri, application_name: 'edgerest-listener', keepAlive: true, connectionTimeoutMillis: options.connectTimeoutMs })
    const lost = new Promise<unknown>((resolve) => {
      c.on('error', resolve)
      c.once('end', () => resolve(new Error('the connection was closed')))
    })
    client = c
    try {
      await c.connect()
      const version = (await c.query<{ version: string }>(SERVER_VERSION)).rows[0]?.version ?? 'PostgreSQL'
      c.on('notification', (n) => {
        if (n.channel === channel) onPayload(n.payload ?? '')
      })
      await c.query(listen(channel))
      connected = true
      notice('info', `Listener connected to ${version} on "${hostOf(options.dbUri)}" and listening for database notifications on the ${quotedChannel} channel`)
      // Notifications sent while it was away are lost: the schema cache may be stale.
      if (afterRetry) options.onReloadSchema()
    } catch (e) {
      await c.end().catch(() => undefined)
      throw e
    }
    return lost
  }

  const loop = async (): Promise<void> => {
    let delay = 1
    let retried = false
    while (!closed) {
      try {
        const reason = await session(retried)
        delay = 1
        connected = false
        if (closed) return
        notice('error', `Failed listening for database notifications on the ${quotedChannel} channel. ${errorText(reason)}`)
      } catch (e) {
        connected = false
        if (closed) return
        notice('error', `Failed listening for database notifications on the ${quotedChannel} channel. ${errorText(e)}`)
      }
      await client?.end().catch(() => undefined)
      notice('info', `Retrying listening for database notifications in ${delay} seconds...`)
      await sleep(delay)
      retried = true
      delay = Math.min(delay * 2, MAX_DELAY_SECONDS)
    }
  }
  void loop()

  return {
    connected: () => connected,
    retryNow: () => {
      if (!connected) wake?.()
    },
    close: async () => {
      closed = true
      connected = false
      wake?.()
      await client?.end().catch(() => undefined)
    },
  }
}
