/**
 * @module dev/ws-bridge: a WebSocket → TCP bridge in front of a local PostgreSQL, standing in for
 * Neon's WebSocket proxy so the driver's `Pool`/`Client` run for real in tests and dev.
 *
 * Every accepted socket gets its own TCP connection to the configured Postgres. Frames carry raw
 * Postgres protocol bytes in binary frames; frame boundaries mean nothing (the driver coalesces
 * writes). The `?address=host:port` the driver appends is ignored: there is only one database;
 * with `routeByAddress` it is followed instead, as Neon's proxy routes by endpoint (tests with a
 * primary and a read replica behind one bridge).
 * Text frames are refused like Neon does (close 1003), since they can only be a client bug.
 */
import { connect, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { WebSocketServer, type RawData, type WebSocket } from 'ws'

export interface WsBridgeOptions {
  readonly pgHost: string
  readonly pgPort: number
  /** Connect to the `?address=host:port` of each WebSocket URL instead of pgHost/pgPort. */
  readonly routeByAddress?: boolean | undefined
  /** Port to listen on (127.0.0.1); a free one when absent. */
  readonly port?: number | undefined
}

export interface WsBridge {
  /** `ws://127.0.0.1:P` */
  readonly url: string
  readonly port: number
  /** Connections accepted so far (for tests that check a request opened exactly one). */
  readonly stats: { readonly connections: number; readonly open: number }
  stop(): Promise<void>
}

const toBuffer = (data: RawData): Buffer =>
  Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)

export const startWsBridge = async (options: WsBridgeOptions): Promise<WsBridge> => {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: options.port ?? 0, perMessageDeflate: false })
  await new Promise<void>((resolve, reject) => {
    wss.once('listening', resolve)
    wss.once('error', reject)
  })
  const stats = { connections: 0, open: 0 }
  const pairs = new Set<{ ws: WebSocket; tcp: Socket }>()

  /** Where a connection goes: the configured Postgres, or the address the driver asked for. */
  const target = (url: string | undefined): { host: string; port: number } => {
    const address = options.routeByAddress ? new URL(url ?? '/', 'ws://bridge').searchParams.get('address') : null
    const m = address === null ? null : /^(.+):(\d+)$/.exec(address)
    return m ? { host: (m[1] as string).replace(/^\[|\]$/g, ''), port: Number(m[2]) } : { host: options.pgHost, port: options.pgPort }
  }

  wss.on('connection', (ws, req) => {
    stats.connections++
    stats.open++
    const tcp = connect(target(req.url))
    tcp.setNoDelay(true)
    const pair = { ws, tcp }
    pairs.add(pair)
    // Frames that arrive before the TCP connection is up are queued, in order.
    let pending: Buffer[] | null = []

    ws.on('message', (data, isBinary) => {
      if (!isBinary) {
        ws.close(1003, 'binary frames only')
        return
      }
      const chunk = toBuffer(data)
      if (pending) pending.push(chunk)
      else tcp.write(chunk)
    })
    tcp.on('connect', () => {
      const queued = pending ?? []
      pending = null
      for (const chunk of queued) tcp.write(chunk)
    })
    tcp.on('data', (chunk) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk, { binary: true })
    })

    let closed = false
    const closeBoth = (): void => {
      if (closed) return
      closed = true
      stats.open--
      pairs.delete(pair)
      tcp.destroy()
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close()
    }
    ws.on('close', closeBoth)
    ws.on('error', closeBoth)
    tcp.on('close', closeBoth)
    tcp.on('error', closeBoth)
  })

  const port = (wss.address() as AddressInfo).port
  return {
    url: `ws://127.0.0.1:${port}`,
    port,
    stats,
    stop: async () => {
      for (const { ws, tcp } of pairs) {
        tcp.destroy()
        ws.terminate()
      }
      pairs.clear()
      await new Promise<void>((resolve) => wss.close(() => resolve()))
    },
  }
}
