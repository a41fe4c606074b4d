/**
 * @module dev/jwks-server: a local identity provider's key endpoint, for tests and development of
 * PGRST_JWT_JWKS_URL: it publishes a JWKS over real HTTP, signs tokens with its private keys,
 * rotates keys on demand and can be switched "down".
 *
 * Independent key sets ("tenants") live side by side under their own path prefix, so tests that run
 * in parallel against one server do not disturb each other. A tenant is created, with one RS256
 * key, the first time its prefix is used. Everything is plain HTTP, so tests inside workerd drive
 * it with `fetch`:
 *
 * - `GET  /<tenant>/jwks.json` — the published public keys `{"keys":[…]}` (counted in stats);
 *   while the tenant is down: 503, or with `POST /<tenant>/down {"mode":"reset"}` the connection is
 *   dropped without an answer;
 * - `POST /<tenant>/sign` `{"claims":{…}, "kid"?: string, "omitKid"?: boolean, "alg"?: string}` —
 *   a compact JWT signed with the current key (or the named one; `omitKid` leaves `kid` out of the
 *   header), answered as `{"token":"…","kid":"…"}`;
 * - `POST /<tenant>/rotate` `{"alg"?: "RS256"|"ES256"|"EdDSA"|…, "retire"?: boolean}` — a new
 *   current key, published next to the old ones (or alone with `retire: true`); answers `{"kid"}`;
 * - `POST /<tenant>/down` `{"mode"?: "status"|"reset"}`, `POST /<tenant>/up`;
 * - `GET  /<tenant>/stats` — `{"hits": n, "kids": [...published]}`.
 *
 * Run alone: `npx tsx dev/jwks-server.ts [--port 8788]` prints its base URL.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose'

type Alg = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA'
const ALGS: readonly Alg[] = ['RS256', 'RS384', 'RS512', 'PS256', 'ES256', 'ES384', 'ES512', 'EdDSA']

interface Key {
  readonly kid: string
  readonly alg: Alg
  readonly privateKey: CryptoKey
  readonly publicJwk: JWK
}

interface Tenant {
  readonly name: string
  keys: Key[]
  current: Key
  serial: number
  hits: number
  down: 'status' | 'reset' | null
}

export interface JwksServer {
  /** `http://127.0.0.1:P` */
  readonly url: string
  /** `http://127.0.0.1:P/<tenant>/jwks.json`, the value for PGRST_JWT_JWKS_URL. */
  readonly jwksUrl: (tenant: string) => string
  stop(): Promise<void>
}

const newKey = async (tenant: string, serial: number, alg: Alg): Promise<Key> => {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true })
  const kid = `${tenant}-${serial}`
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } }
}

const readJson = async (req: IncomingMessage): Promise<Record<string, unknown>> => {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.trim() === '') return {}
  const v: unknown = JSON.parse(text)
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('expected a JSON object')
  return v as Record<string, unknown>
}

const send = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

const asAlg = (v: unknown, dflt: Alg): Alg => {
  if (v === undefined) return dflt
  const hit = ALGS.find((a) => a === v)
  if (hit === undefined) throw new Error(`unsupported alg ${JSON.stringify(v)}`)
  return hit
}

export const startJwksServer = async (options: { readonly port?: number } = {}): Promise<JwksServer> => {
  const tenants = new Map<string, Promise<Tenant>>()
  const tenant = (name: string): Promise<Tenant> => {
    let t = tenants.get(name)
    if (t === undefined) {
      t = newKey(name, 1, 'RS256').then((k) => ({ name, keys: [k], current: k, serial: 1, hits: 0, down: null }))
      tenants.set(name, t)
    }
    return t
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const m = /^\/([A-Za-z0-9_.-]+)\/(jwks\.json|sign|rotate|down|up|stats)$/.exec(url.pathname)
    if (m === null) return send(res, 404, { error: 'not found' })
    const t = await tenant(m[1] ?? '')
    const action = m[2]
    switch (action) {
      case 'jwks.json':
        t.hits++
        if (t.down === 'reset') {
          req.socket.destroy()
          return
        }
        if (t.down === 'status') return send(res, 503, { error: 'down' })
        return send(res, 200, { keys: t.keys.map((k) => k.publicJwk) })
      case 'stats':
        return send(res, 200, { hits: t.hits, kids: t.keys.map((k) => k.kid) })
      case 'up':
        t.down = null
        return send(res, 200, {})
      case 'down': {
        const body = await readJson(req)
        t.down = body['mode'] === 'reset' ? 'reset' : 'status'
        return send(res, 200, {})
      }
      case 'rotate': {
        const body = await readJson(req)
        t.serial++
        const k = await newKey(t.name, t.serial, asAlg(body['alg'], t.current.alg))
        t.keys = body['retire'] === true ? [k] : [...t.keys, k]
        t.current = k
        return send(res, 200, { kid: k.kid })
      }
      case 'sign': {
        const body = await readJson(req)
        const kid = body['kid']
        const key = typeof kid === 'string' ? t.keys.find((k) => k.kid === kid) : t.current
        if (key === undefined) return send(res, 400, { error: `no key ${String(kid)}` })
        const claims = body['claims']
        const payload = typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : {}
        const alg = asAlg(body['alg'], key.alg)
        const header = body['omitKid'] === true ? { alg } : { alg, kid: key.kid }
        const token = await new SignJWT(payload).setProtectedHeader(header).sign(key.privateKey)
        return send(res, 200, { token, kid: key.kid })
      }
      default:
        return send(res, 404, { error: 'not found' })
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) send(res, 400, { error: e instanceof Error ? e.message : String(e) })
      else res.end()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    jwksUrl: (name) => `${url}/${name}/jwks.json`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const isMain = typeof process !== 'undefined' && process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href
if (isMain) {
  const i = process.argv.indexOf('--port')
  const port = i > 0 ? Number(process.argv[i + 1]) : 8788
  const server = await startJwksServer({ port })
  console.log(`JWKS server on ${server.url} — e.g. ${server.jwksUrl('demo')}`)
}
