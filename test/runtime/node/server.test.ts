/**
 * The Node server (src/entry/node-server.ts, what `npm run serve` and the `edgerest` bin run) over
 * a real socket: PostgREST's framing of responses as seen by an HTTP client (Content-Length on
 * every response with a body status, none on HEAD, several Set-Cookie headers kept apart), the
 * schema cache read from the database at start or from a snapshot file, EDGEREST_BASE_PATH, and
 * startup failures. Operations (admin server, reloads, restarts) are in ops-*.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startNodeServer, type NodeServer } from '../../../src/entry/node-server.ts'
import { EdgerestConfigError } from '../../../src/edgerest.ts'
import { introspectUrl } from '../../../schema-cache/from-url.ts'
import { superuserQuery, uniqueName } from '../../helpers/stack.ts'
import { hideServerNotices } from '../../helpers/quiet.ts'

hideServerNotices()

const schema = uniqueName('node_server')
const servers: NodeServer[] = []

const settings = (extra: Record<string, string> = {}): Record<string, string> => ({
  PGRST_DB_URI: inject('authUrl'),
  PGRST_DB_SCHEMAS: schema,
  PGRST_DB_ANON_ROLE: 'anonymous',
  PGRST_SERVER_HOST: '127.0.0.1',
  PGRST_SERVER_PORT: '0',
  ...extra,
})

const start = async (extra: Record<string, string> = {}): Promise<NodeServer> => {
  const server = await startNodeServer(settings(extra))
  servers.push(server)
  return server
}

let server: NodeServer

beforeAll(async () => {
  await superuserQuery(`
    CREATE SCHEMA ${schema};
    CREATE TABLE ${schema}.notes (id serial PRIMARY KEY, body text NOT NULL);
    INSERT INTO ${schema}.notes (body) VALUES ('first'), ('second');
    CREATE FUNCTION ${schema}.two_cookies() RETURNS int LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM set_config('response.headers', '[{"Set-Cookie": "a=1; Path=/"}, {"Set-Cookie": "b=2; HttpOnly"}]', true);
      RETURN 2;
    END $$;
    GRANT USAGE ON SCHEMA ${schema} TO anonymous;
    GRANT ALL ON ${schema}.notes TO anonymous;
    GRANT USAGE ON SEQUENCE ${schema}.notes_id_seq TO anonymous;
    GRANT EXECUTE ON FUNCTION ${schema}.two_cookies() TO anonymous;
  `)
  // No EDGEREST_SCHEMA_CACHE: the server reads the catalog at start, as PostgREST does.
  server = await start()
})

afterAll(async () => {
  for (const s of servers) await s.close()
  await superuserQuery(`DROP SCHEMA ${schema} CASCADE`)
})

describe('responses as PostgREST frames them', () => {
  it('a read carries the Content-Length of its body', async () => {
    const res = await fetch(`${server.url}/notes?select=body&order=id`)
    const body = await res.text()
    expect(res.status).toBe(200)
    expect(JSON.parse(body)).toEqual([{ body: 'first' }, { body: 'second' }])
    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(body)))
    expect(res.headers.get('transfer-encoding')).toBeNull()
  })

  it('HEAD answers carry no Content-Length and no body', async () => {
    const res = await fetch(`${server.url}/notes`, { method: 'HEAD', headers: { Prefer: 'count=exact' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-range')).toBe('0-1/2')
    expect(res.headers.get('content-length')).toBeNull()
    expect(await res.text()).toBe('')
  })

  it('an empty 201 says Content-Length: 0 and has no Content-Type', async () => {
    const res = await fetch(`${server.url}/notes`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"body":"third"}' })
    expect(res.status).toBe(201)
    expect(res.headers.get('content-length')).toBe('0')
    expect(res.headers.get('content-type')).toBeNull()
    expect(res.headers.get('transfer-encoding')).toBeNull()
  })

  it('204 answers have neither Content-Length nor a body', async () => {
    const res = await fetch(`${server.url}/notes?body=eq.third`, { method: 'DELETE' })
    expect(res.status).toBe(204)
    expect(res.headers.get('content-length')).toBeNull()
    expect(await res.text()).toBe('')
  })

  it('several Set-Cookie headers stay separate', async () => {
    const res = await fetch(`${server.url}/rpc/two_cookies`, { method: 'POST' })
    expect(await res.json()).toBe(2)
    expect(res.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; HttpOnly'])
  })

  it('a request body is read in full', async () => {
    const body = 'x'.repeat(200_000)
    const res = await fetch(`${server.url}/notes?select=id`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Prefer: 'return=representation' },
      body: JSON.stringify({ body }),
    })
    expect(res.status).toBe(201)
    const [row] = (await res.json()) as { id: number }[]
    const back = await fetch(`${server.url}/notes?id=eq.${row?.id}&select=body`)
    expect(((await back.json()) as { body: string }[])[0]?.body).toHaveLength(body.length)
  })
})

describe('EDGEREST_BASE_PATH and a snapshot file', () => {
  let prefixed: NodeServer

  beforeAll(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'edgerest-node-')), 'snapshot.json')
    writeFileSync(file, JSON.stringify(await introspectUrl(inject('authUrl'), { schemas: [schema] })))
    prefixed = await start({ EDGEREST_BASE_PATH: '/rest/v1', EDGEREST_SCHEMA_CACHE: file })
  })

  it('serves the API under the prefix; Content-Location includes it', async () => {
    const res = await fetch(`${prefixed.url}/rest/v1/notes?select=body&id=eq.1`)
    expect(await res.json()).toEqual([{ body: 'first' }])
    expect(res.headers.get('content-location')).toBe('/rest/v1/notes?id=eq.1&select=body')
  })

  it('Location of an insert includes the prefix', async () => {
    const res = await fetch(`${prefixed.url}/rest/v1/notes`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Prefer: 'return=headers-only' },
      body: '{"body":"located"}',
    })
    expect(res.status).toBe(201)
    expect(res.headers.get('location')).toMatch(/^\/rest\/v1\/notes\?id=eq\.\d+$/)
  })

  it('paths outside the prefix are not the API: 404 PGRST125', async () => {
    for (const path of ['/notes', '/rest/notes', '/rest/v10/notes']) {
      const res = await fetch(`${prefixed.url}${path}`)
      expect(res.status).toBe(404)
      expect(await res.json()).toEqual({ code: 'PGRST125', details: null, hint: null, message: 'Invalid path specified in request URL' })
    }
  })
})

describe('startup failures', () => {
  it('bad settings: every problem, before anything listens', async () => {
    const failure = await startNodeServer(settings({ PGRST_DB_MAX_ROWS: 'lots', EDGEREST_BASE_PATH: 'rest' })).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(EdgerestConfigError)
    expect((failure as EdgerestConfigError).problems).toEqual([
      'EDGEREST_BASE_PATH: expected a path such as /rest/v1 (a leading slash, no trailing slash), got "rest"',
      'PGRST_DB_MAX_ROWS: expected an integer, got "lots"',
    ])
  })

  it('an unreachable database, with PGRST_DB_POOL_AUTOMATIC_RECOVERY=false: no retries, the start fails', async () => {
    const settingsDown = settings({ PGRST_DB_URI: 'postgres://nobody@127.0.0.1:1/none', PGRST_DB_POOL_AUTOMATIC_RECOVERY: 'false', PGRST_DB_CHANNEL_ENABLED: 'false' })
    await expect(startNodeServer(settingsDown)).rejects.toThrow(/^could not load the schema cache: connect ECONNREFUSED/)
  })

  it('an unreachable database: the server answers 503 PGRST002 with Retry-After while it retries', async () => {
    const down = await start({ PGRST_DB_URI: 'postgres://nobody@127.0.0.1:1/none', PGRST_DB_CHANNEL_ENABLED: 'false', PGRST_LOG_LEVEL: 'crit' })
    const res = await fetch(`${down.url}/notes`)
    expect([res.status, await res.json()]).toEqual([
      503,
      { code: 'PGRST002', details: null, hint: null, message: 'Could not query the database for the schema cache. Retrying.' },
    ])
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
  })
})
