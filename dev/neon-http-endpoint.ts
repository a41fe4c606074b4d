/**
 * @module dev/neon-http-endpoint: a local implementation of Neon's SQL-over-HTTP endpoint
 * (`POST /sql`) in front of a real PostgreSQL, so `neon()` / `sql.transaction()` from
 * `@neondatabase/serverless` run unmodified in tests and dev. Behaviour follows
 * /work/shared/neon-http-protocol.md §1 (what Neon's proxy does) with the differences listed in §4:
 * - host/port of `Neon-Connection-String` are ignored: every request goes to the configured
 *   Postgres; user, password and database come from the header and Postgres authenticates them.
 *   With `routeByHost`, the host and port of the header are used instead, as Neon's proxy routes
 *   by endpoint host name (tests with a primary and a read replica behind one endpoint);
 * - no cancellation on client disconnect, no `Authorization` (JWT) handling;
 * - the response size is checked on the finished JSON, not while rows stream in.
 *
 * Every query runs with the extended protocol (Parse/Bind/Execute), so a multi-statement string
 * fails with 42601 exactly as on Neon, and values come back as Postgres's text output.
 *
 * Test-only addition: `GET /__stats` reports how many `/sql` requests arrived, in total and per
 * `application_name` of the connection string, so tests can prove "one HTTP request per API call".
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import pg from 'pg'

export interface NeonHttpEndpointOptions {
  readonly pgHost: string
  readonly pgPort: number
  /** Connect to the host and port of each request's `Neon-Connection-String` instead of pgHost/pgPort. */
  readonly routeByHost?: boolean | undefined
  /** Port to listen on (127.0.0.1); a free one when absent. */
  readonly port?: number | undefined
  /** Request body limit in bytes (Neon: 10 MiB). */
  readonly maxRequestBytes?: number | undefined
  /** Response body limit in bytes (Neon: 10 MiB). */
  readonly maxResponseBytes?: number | undefined
}

export interface NeonHttpEndpointStats {
  /** `POST /sql` requests received. */
  readonly requests: number
  /** Statements executed (a batch counts each of its queries). */
  readonly queries: number
  /** `POST /sql` requests per `application_name` found in `Neon-Connection-String`. */
  readonly byApplicationName: ReadonlyMap<string, number>
}

export interface NeonHttpEndpoint {
  /** `http://127.0.0.1:P/sql`, the value for the driver's `fetchEndpoint`. */
  readonly url: string
  readonly port: number
  readonly stats: NeonHttpEndpointStats
  stop(): Promise<void>
}

const MIB10 = 10 * 1024 * 1024

/** What Neon's proxy runs before a pooled connection is used again (conn_pool_lib reset). */
const SESSION_RESET =
  'ROLLBACK; CLOSE ALL; SET SESSION AUTHORIZATION DEFAULT; RESET ALL; DEALLOCATE ALL; UNLISTEN *; ' +
  'SELECT pg_advisory_unlock_all(); DISCARD TEMP; DISCARD SEQUENCES;'

const CORS_ALLOW_HEADERS =
  'Authorization, Neon-Connection-String, Neon-Raw-Text-Output, Neon-Array-Mode, Neon-Pool-Opt-In, ' +
  'Neon-Batch-Read-Only, Neon-Batch-Isolation-Level'

const ISOLATION_LEVELS: Readonly<Record<string, string>> = {
  ReadUncommitted: 'READ UNCOMMITTED',
  ReadCommitted: 'READ COMMITTED',
  RepeatableRead: 'REPEATABLE READ',
  Serializable: 'SERIALIZABLE',
}

const ignoreError = (): void => undefined

/** Keeps every value as the text Postgres sent (the proxy never parses values itself). */
const RAW_TYPES = { getTypeParser: () => (value: string) => value }

// ---------------------------------------------------------------------------------------------
// Errors

/** The 17 keys of Neon's error body, in Neon's order. */
const ERROR_KEYS = [
  'message', 'code', 'detail', 'hint', 'position', 'internalPosition', 'internalQuery', 'severity', 'where',
  'table', 'column', 'schema', 'dataType', 'constraint', 'file', 'line', 'routine',
] as const

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const isDatabaseError = (e: unknown): e is pg.DatabaseError => e instanceof pg.DatabaseError

/** Error body: Postgres fields when the error came from Postgres, else `code`/`severity` = "". */
const errorBody = (e: unknown): string => {
  const body: Record<string, string | null> = {}
  if (isDatabaseError(e)) {
    const fields = e as unknown as Record<string, unknown>
    for (const k of ERROR_KEYS) {
      const v = fields[k]
      body[k] = typeof v === 'string' ? v : null
    }
  } else {
    for (const k of ERROR_KEYS) body[k] = null
    body.message = e instanceof Error ? e.message : String(e)
    body.code = ''
    body.severity = ''
  }
  return JSON.stringify(body)
}

// ---------------------------------------------------------------------------------------------
// Request parsing

interface QueryData {
  readonly query: string
  readonly params: readonly (string | null)[]
  readonly arrayMode: boolean | undefined
}
type Payload = { readonly kind: 'single'; readonly query: QueryData } | { readonly kind: 'batch'; readonly queries: readonly QueryData[] }

interface ConnInfo {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
  readonly database: string
  readonly applicationName: string | undefined
  /** Startup `options`, with query pairs other than application_name/options as `-c k=v`. */
  readonly options: string | undefined
}

interface TxHeaders {
  readonly rawOutput: boolean
  readonly arrayMode: boolean
  readonly isolation: string | undefined
  readonly readOnly: boolean
  readonly deferrable: boolean
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : v
}

const parseConnInfo = (req: IncomingMessage): ConnInfo => {
  const raw = header(req, 'neon-connection-string')
  if (raw === undefined) throw new HttpError(400, 'invalid header: neon-connection-string')
  let url: URL
  try {
    url = new URL(raw)
  } catch (e) {
    throw new HttpError(400, `invalid connection string: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new HttpError(400, 'incorrect scheme')
  const dbSegment = url.pathname.replace(/^\//, '').split('/')[0] ?? ''
  if (dbSegment === '') throw new HttpError(400, 'missing database name')
  if (url.username === '') throw new HttpError(400, 'missing username')
  if (url.password === '') throw new HttpError(400, 'missing authentication credentials: required password')
  if (url.hostname === '') throw new HttpError(400, 'missing hostname')
  let applicationName: string | undefined
  const options: string[] = []
  for (const [k, v] of url.searchParams) {
    if (k === 'application_name') applicationName = v
    else if (k === 'options') options.push(v)
    // sslmode etc. mean nothing to a local plaintext connection; Neon forwards them as startup params.
    else if (k !== 'sslmode' && k !== 'channel_binding') options.push(`-c ${k}=${v.replace(/([\\ ])/g, '\\$1')}`)
  }
  return {
    host: url.hostname,
    port: url.port === '' ? 5432 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(dbSegment),
    applicationName,
    options: options.length > 0 ? options.join(' ') : undefined,
  }
}

const parseTxHeaders = (req: IncomingMessage): TxHeaders => {
  const iso = header(req, 'neon-batch-isolation-level')
  if (iso !== undefined && !Object.hasOwn(ISOLATION_LEVELS, iso)) throw new HttpError(400, 'invalid isolation level')
  return {
    // Neon acts on these only when they are exactly `true`.
    rawOutput: header(req, 'neon-raw-text-output') === 'true',
    arrayMode: header(req, 'neon-array-mode') === 'true',
    isolation: iso === undefined ? undefined : ISOLATION_LEVELS[iso],
    readOnly: header(req, 'neon-batch-read-only') === 'true',
    deferrable: header(req, 'neon-batch-deferrable') === 'true',
  }
}

/** Read the body; past the limit keep draining (so the client can read our answer) and fail. */
const readBody = (req: IncomingMessage, limit: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
    })
    req.on('end', () => {
      if (size > limit) reject(new HttpError(413, `request is too large (max is ${limit} bytes)`))
      else resolve(Buffer.concat(chunks).toString('utf8'))
    })
    req.on('error', (e) => reject(new HttpError(400, `could not read the HTTP request body: ${e.message}`)))
  })

const SHAPE_ERROR = 'could not parse the HTTP request body: data did not match any variant of untagged enum Payload'

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** A JSON param as Postgres text, as Neon's json_to_pg_text does. */
const paramToText = (v: unknown): string | null => {
  if (v === null) return null
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return arrayParamToText(v)
  return JSON.stringify(v)
}
/** Inside an array literal strings are JSON-quoted and objects become quoted JSON text. */
const arrayParamToText = (v: unknown): string | null => {
  if (v === null) return null
  if (Array.isArray(v)) return `{${v.map((x) => arrayParamToText(x) ?? 'NULL').join(',')}}`
  if (isObject(v)) return JSON.stringify(JSON.stringify(v))
  return JSON.stringify(v)
}

const parseQueryData = (v: unknown): QueryData | undefined => {
  if (!isObject(v) || typeof v.query !== 'string') return undefined
  const params = v.params ?? []
  if (!Array.isArray(params)) return undefined
  const arrayMode = v.arrayMode
  if (arrayMode !== undefined && arrayMode !== null && typeof arrayMode !== 'boolean') return undefined
  return { query: v.query, params: params.map(paramToText), arrayMode: arrayMode ?? undefined }
}

const parsePayload = (body: string): Payload => {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch (e) {
    throw new HttpError(400, `could not parse the HTTP request body: ${e instanceof Error ? e.message : String(e)}`)
  }
  // Like serde's untagged enum: a single query is tried before a batch.
  const single = parseQueryData(json)
  if (single) return { kind: 'single', query: single }
  if (isObject(json) && Array.isArray(json.queries)) {
    const queries = json.queries.map(parseQueryData)
    if (queries.every((q): q is QueryData => q !== undefined)) return { kind: 'batch', queries }
  }
  throw new HttpError(400, SHAPE_ERROR)
}

// ---------------------------------------------------------------------------------------------
// Results → JSON

/** JSON text that is already valid JSON (json/jsonb values in typed output). */
class RawJson {
  constructor(readonly text: string) {}
}
type Out = string | number | boolean | null | RawJson | readonly Out[]

const serialize = (v: Out): string => {
  if (v instanceof RawJson) return v.text
  if (Array.isArray(v)) return `[${v.map(serialize).join(',')}]`
  return JSON.stringify(v)
}

/** Element type of the built-in array types (typed output only; the driver asks for raw text). */
const ARRAY_ELEMENT: ReadonlyMap<number, number> = new Map([
  [1000, 16], [1005, 21], [1007, 23], [1016, 20], [1021, 700], [1022, 701], [1009, 25], [1015, 1043],
  [1014, 1042], [1231, 1700], [199, 114], [3807, 3802], [1182, 1082], [1183, 1083], [1115, 1114],
  [1185, 1184], [1001, 17], [2951, 2950], [1028, 26],
])

/** Neon's non-raw conversion: bool, int2/int4, finite floats and json become JSON; rest stays text. */
const typedScalar = (text: string, oid: number): Out => {
  switch (oid) {
    case 16:
      return text === 't'
    case 21:
    case 23:
      return Number.parseInt(text, 10)
    case 700:
    case 701: {
      const n = Number(text)
      return Number.isFinite(n) ? n : text
    }
    case 114:
    case 3802:
      return new RawJson(text)
    default:
      return text
  }
}

/** Parse an array literal (`[1:2]={...}` bounds dropped) into nested arrays of typed elements. */
const typedArray = (literal: string, elemOid: number): Out => {
  let s = literal
  if (s.startsWith('[')) s = s.slice(s.indexOf('=') + 1)
  let i = 0
  const ws = (): void => {
    while (i < s.length && /\s/.test(s.charAt(i))) i++
  }
  const parseArray = (): Out[] => {
    ws()
    if (s.charAt(i) !== '{') throw new Error('unbalanced array')
    i++
    const out: Out[] = []
    ws()
    if (s.charAt(i) === '}') {
      i++
      return out
    }
    for (;;) {
      ws()
      const c = s.charAt(i)
      if (c === '{') out.push(parseArray())
      else if (c === '"') {
        i++
        let text = ''
        while (i < s.length && s.charAt(i) !== '"') {
          if (s.charAt(i) === '\\') i++
          text += s.charAt(i)
          i++
        }
        if (i >= s.length) throw new Error('unbalanced quoted string')
        i++
        out.push(typedScalar(text, elemOid))
      } else {
        let j = i
        while (j < s.length && s.charAt(j) !== ',' && s.charAt(j) !== '}') j++
        const item = s.slice(i, j).trim()
        i = j
        out.push(item === 'NULL' ? null : typedScalar(item, elemOid))
      }
      ws()
      if (s.charAt(i) === ',') {
        i++
        continue
      }
      if (s.charAt(i) === '}') {
        i++
        return out
      }
      throw new Error('unbalanced array')
    }
  }
  return parseArray()
}

const typedValue = (text: string, oid: number): Out => {
  const elem = ARRAY_ELEMENT.get(oid)
  return elem === undefined ? typedScalar(text, oid) : typedArray(text, elem)
}

const resultToJson = (result: pg.QueryArrayResult<(string | null)[]>, arrayMode: boolean, raw: boolean): string => {
  const fields = result.fields.map((f) =>
    JSON.stringify({
      name: f.name,
      dataTypeID: f.dataTypeID,
      tableID: f.tableID,
      columnID: f.columnID,
      dataTypeSize: f.dataTypeSize,
      dataTypeModifier: f.dataTypeModifier,
      format: 'text',
    }),
  )
  const rows = result.rows.map((row) => {
    const values = row.map((v, i): string => {
      if (v === null) return 'null'
      return raw ? JSON.stringify(v) : serialize(typedValue(v, result.fields[i]?.dataTypeID ?? 25))
    })
    // Object mode keeps duplicate column names as duplicate keys, like Neon.
    return arrayMode
      ? `[${values.join(',')}]`
      : `{${values.map((v, i) => `${JSON.stringify(result.fields[i]?.name ?? '')}:${v}`).join(',')}}`
  })
  return (
    `{"fields":[${fields.join(',')}],"rows":[${rows.join(',')}],` +
    `"command":${JSON.stringify(result.command ?? '')},"rowCount":${JSON.stringify(result.rowCount ?? null)},` +
    `"rowAsArray":${arrayMode}}`
  )
}

// ---------------------------------------------------------------------------------------------
// Server

export const startNeonHttpEndpoint = async (options: NeonHttpEndpointOptions): Promise<NeonHttpEndpoint> => {
  const maxRequest = options.maxRequestBytes ?? MIB10
  const maxResponse = options.maxResponseBytes ?? MIB10
  const pools = new Map<string, pg.Pool>()
  const byApplicationName = new Map<string, number>()
  const counters = { requests: 0, queries: 0 }

  const poolFor = (info: ConnInfo): pg.Pool => {
    // Neon keys its pool by endpoint, database and role; application_name is not part of the key.
    const [host, port] = options.routeByHost ? [info.host, info.port] : [options.pgHost, options.pgPort]
    const key = JSON.stringify([host, port, info.user, info.password, info.database, info.options ?? ''])
    let pool = pools.get(key)
    if (!pool) {
      pool = new pg.Pool({
        host,
        port,
        user: info.user,
        password: info.password,
        database: info.database,
        application_name: info.applicationName,
        options: info.options,
        max: 20,
        idleTimeoutMillis: 60_000,
        allowExitOnIdle: true,
      })
      // An idle connection that dies (server restart) must not crash the process.
      pool.on('error', () => undefined)
      pools.set(key, pool)
    }
    return pool
  }

  const runQuery = async (client: pg.PoolClient, q: QueryData, h: TxHeaders): Promise<string> => {
    counters.queries++
    const config = {
      text: q.query,
      values: [...q.params],
      rowMode: 'array',
      types: RAW_TYPES,
      // pg uses the simple protocol for parameterless queries unless told otherwise; Neon never does.
      queryMode: 'extended',
    } as pg.QueryArrayConfig
    const result = await client.query<(string | null)[]>(config)
    return resultToJson(result, q.arrayMode ?? h.arrayMode, h.rawOutput)
  }

  const execute = async (client: pg.PoolClient, payload: Payload, h: TxHeaders): Promise<string> => {
    switch (payload.kind) {
      case 'single':
        return runQuery(client, payload.query, h)
      case 'batch': {
        const clauses = [
          h.isolation !== undefined ? `ISOLATION LEVEL ${h.isolation}` : undefined,
          h.readOnly ? 'READ ONLY' : undefined,
          h.deferrable ? 'DEFERRABLE' : undefined,
        ].filter((c): c is string => c !== undefined)
        await client.query(`START TRANSACTION${clauses.length > 0 ? ` ${clauses.join(', ')}` : ''}`)
        const results: string[] = []
        try {
          for (const q of payload.queries) results.push(await runQuery(client, q, h))
        } catch (e) {
          await client.query('ROLLBACK').catch(() => undefined)
          throw e
        }
        // COMMIT can fail too (deferred constraints, serialization): that is the request's error.
        await client.query('COMMIT')
        return `{"results":[${results.join(',')}]}`
      }
      default: {
        const never: never = payload
        throw new TypeError(`unknown payload ${String(never)}`)
      }
    }
  }

  const send = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void => {
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Access-Control-Allow-Origin': '*',
      ...headers,
    })
    res.end(body)
  }

  const handleSql = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    counters.requests++
    let client: pg.PoolClient | undefined
    try {
      const info = parseConnInfo(req)
      const tag = info.applicationName ?? ''
      byApplicationName.set(tag, (byApplicationName.get(tag) ?? 0) + 1)
      const h = parseTxHeaders(req)
      const payload = parsePayload(await readBody(req, maxRequest))
      try {
        client = await poolFor(info).connect()
      } catch (e) {
        // Postgres refused (wrong password, unknown db): a user error with its fields, as on Neon.
        if (isDatabaseError(e)) throw e
        throw new HttpError(500, `could not connect to the database: ${e instanceof Error ? e.message : String(e)}`)
      }
      // While checked out the pool does not listen for 'error'; a connection dying between two
      // queries must fail the request, not crash the process hosting the endpoint.
      client.on('error', ignoreError)
      const body = await execute(client, payload, h)
      if (Buffer.byteLength(body) > maxResponse) {
        throw new HttpError(507, `response is too large (max is ${maxResponse} bytes)`)
      }
      const echo: Record<string, string> = {}
      if (payload.kind === 'batch') {
        if (h.readOnly) echo['Neon-Batch-Read-Only'] = 'true'
        if (h.deferrable) echo['Neon-Batch-Deferrable'] = 'true'
        const iso = header(req, 'neon-batch-isolation-level')
        if (iso !== undefined) echo['Neon-Batch-Isolation-Level'] = iso
      }
      send(res, 200, body, echo)
    } catch (e) {
      req.resume()
      const status = e instanceof HttpError ? e.status : 400
      send(res, status, errorBody(e))
    } finally {
      if (client) {
        const c = client
        c.off('error', ignoreError)
        // Session state never survives a request; a connection that cannot be reset is dropped.
        await c.query(SESSION_RESET).then(
          () => c.release(),
          (err: unknown) => c.release(err instanceof Error ? err : true),
        )
      }
    }
  }

  const statsBody = (): string =>
    JSON.stringify({
      requests: counters.requests,
      queries: counters.queries,
      byApplicationName: Object.fromEntries(byApplicationName),
    })

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method === 'OPTIONS') {
      res.writeHead(200, {
        Allow: 'OPTIONS, POST',
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
        'Access-Control-Max-Age': '86400',
      })
      res.end()
      return
    }
    if (req.method === 'GET' && path === '/__stats') {
      send(res, 200, statsBody())
      return
    }
    if (req.method !== 'POST' || path !== '/sql') {
      req.resume()
      send(res, 400, JSON.stringify('query is not supported'))
      return
    }
    handleSql(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, errorBody(e))
    })
  })
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port

  return {
    url: `http://127.0.0.1:${port}/sql`,
    port,
    stats: {
      get requests() {
        return counters.requests
      },
      get queries() {
        return counters.queries
      },
      byApplicationName,
    },
    stop: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await Promise.all([...pools.values()].map((p) => p.end().catch(() => undefined)))
      pools.clear()
    },
  }
}
