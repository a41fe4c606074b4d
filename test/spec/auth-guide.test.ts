/**
 * @module test/spec/auth-guide.test: the README's walkthrough of Neon's PostgREST guide, run as
 * written. The SQL blocks, the settings and the tokens are read from README.md (the
 * `<!-- guide:… -->` markers), executed in a database of their own, and every response the
 * walkthrough promises is checked through the Node app: anonymous reads, writes with a token whose
 * payload is {"role":"authenticated"}, then row-level security on `sub`.
 *
 * Differences from typing it by hand, all in the setup: the roles already exist in the test
 * cluster (CREATE ROLE becomes "create unless it exists", so the test `authenticator` keeps its
 * password), and PGRST_DB_URI points at the test database. The app is rebuilt after each schema
 * change, as the README says to restart the server.
 *
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'
import pg from 'pg'
import { createSpecApp, type SpecApp } from './harness.ts'
import { superuserQuery, uniqueName } from '../helpers/stack.ts'

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

/** The fenced block right after `<!-- guide:<name> -->` in the README. */
const block = (name: string): string => {
  const m = new RegExp(`<!-- guide:${name} -->\\s*\\n\`\`\`[a-z]*\\n([\\s\\S]*?)\\n\`\`\``).exec(README)
  if (m === null || m[1] === undefined) throw new Error(`README.md has no block after <!-- guide:${name} -->`)
  return m[1]
}

/** The cluster already has these roles: create each only when missing. */
const idempotentRoles = (sql: string): string =>
  sql.replace(/CREATE ROLE (\w+)([^;]*);/g, (_all, role: string, rest: string) =>
    `DO $guide$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role}${rest}; END IF; END $guide$;`,
  )

/** `export NAME=value` / `export NAME='value'` lines of the settings block. */
const settings = (sh: string): Record<string, string> => {
  const out: Record<string, string> = {}
  for (const m of sh.matchAll(/^export (\w+)=(?:'([^']*)'|(\S+))$/gm)) out[m[1] ?? ''] = m[2] ?? m[3] ?? ''
  return out
}

const database = uniqueName('neon_guide')
let guideAuthUrl = ''

const runSql = async (sql: string): Promise<void> => {
  const url = new URL(inject('dbUrl'))
  url.pathname = `/${database}`
  const client = new pg.Client({ connectionString: url.toString() })
  await client.connect()
  try {
    await client.query(idempotentRoles(sql))
  } finally {
    await client.end()
  }
}

const env = settings(block('env'))
const token = (name: string): string => block(`token:${name}`).trim()

/** The app as `npm run serve` would start with the README's settings (restarted = rebuilt). */
const start = (): Promise<SpecApp> =>
  createSpecApp({ ...env, PGRST_DB_URI: guideAuthUrl, PGRST_DB_SCHEMAS: '', PGRST_DB_PRE_REQUEST: '' })

interface Reply {
  readonly status: number
  readonly body: unknown
}

const send = async (app: SpecApp, method: string, path: string, opts: { token?: string; json?: unknown; prefer?: string } = {}): Promise<Reply> => {
  const headers: Record<string, string> = {}
  if (opts.token !== undefined) headers['Authorization'] = `Bearer ${opts.token}`
  if (opts.json !== undefined) headers['Content-Type'] = 'application/json'
  if (opts.prefer !== undefined) headers['Prefer'] = opts.prefer
  const res = await app.send({ method, path, headers, ...(opts.json !== undefined ? { body: JSON.stringify(opts.json) } : {}) })
  const text = await res.text()
  return { status: res.status, body: text === '' ? null : (JSON.parse(text) as unknown) }
}


beforeAll(async () => {
  await superuserQuery(`CREATE DATABASE ${database}`)
  const url = new URL(inject('authUrl'))
  url.pathname = `/${database}`
  guideAuthUrl = url.toString()
})

afterAll(async () => {
  await superuserQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
})

describe("README walkthrough: Neon's PostgREST guide", () => {

  it('uses the settings the guide names, and a secret long enough', () => {
    expect(env).toMatchObject({ PGRST_DB_SCHEMA: 'api', PGRST_DB_ANON_ROLE: 'anonymous' })
    expect((env['PGRST_JWT_SECRET'] ?? '').length).toBeGreaterThanOrEqual(32)
  })

  it('step 1–2: anonymous GET lists the students; anonymous writes are refused', async () => {
    await runSql(block('sql:schema'))
    const app = await start()
    expect(await send(app, 'GET', '/students')).toEqual({
      status: 200,
      body: [
        { id: 1, first_name: 'Ada', last_name: 'Lovelace' },
        { id: 2, first_name: 'Alan', last_name: 'Turing' },
      ],
    })
    const post = await send(app, 'POST', '/students', { json: { first_name: 'Grace', last_name: 'Hopper' } })
    expect(post).toEqual({ status: 401, body: { code: '42501', message: 'permission denied for table students', details: null, hint: null } })
  })

  it('step 3: with the {"role":"authenticated"} token: POST, PATCH, DELETE', async () => {
    await runSql(block('sql:authenticated'))
    const app = await start()
    const t = token('authenticated')
    const post = await send(app, 'POST', '/students', { token: t, json: { first_name: 'Grace', last_name: 'Hopper' }, prefer: 'return=representation' })
    expect(post).toEqual({ status: 201, body: [{ id: 3, first_name: 'Grace', last_name: 'Hopper' }] })
    expect(await send(app, 'PATCH', '/students?id=eq.3', { token: t, json: { first_name: 'Rear Admiral Grace' } })).toEqual({ status: 204, body: null })
    expect(await send(app, 'GET', '/students?id=eq.3&select=first_name', { token: t })).toEqual({ status: 200, body: [{ first_name: 'Rear Admiral Grace' }] })
    expect(await send(app, 'DELETE', '/students?id=eq.3', { token: t })).toEqual({ status: 204, body: null })
    expect(await send(app, 'GET', '/students?select=id')).toEqual({ status: 200, body: [{ id: 1 }, { id: 2 }] })
  })

  it('step 4: RLS on sub — reads', async () => {
    await runSql(block('sql:rls'))
    const app = await start()
    // The existing rows were created by nobody: only anonymous readers see them.
    expect(await send(app, 'GET', '/students?select=id')).toEqual({ status: 200, body: [{ id: 1 }, { id: 2 }] })
    expect(await send(app, 'GET', '/students?select=id', { token: token('alice') })).toEqual({ status: 200, body: [] })
  })

  it("step 4: RLS on sub — Alice's row is hers alone", async () => {
    const app = await start()
    const alice = token('alice')
    const bob = token('bob')
    const created = await send(app, 'POST', '/students', { token: alice, json: { first_name: 'Grace', last_name: 'Hopper' }, prefer: 'return=representation' })
    expect(created).toMatchObject({ status: 201, body: [{ first_name: 'Grace', last_name: 'Hopper', created_by: 'alice' }] })
    const id = (created.body as { id: number }[])[0]?.id
    expect(await send(app, 'GET', '/students?select=first_name,created_by', { token: alice })).toEqual({ status: 200, body: [{ first_name: 'Grace', created_by: 'alice' }] })
    expect(await send(app, 'GET', '/students', { token: bob })).toEqual({ status: 200, body: [] })
    expect(await send(app, 'PATCH', `/students?id=eq.${id}`, { token: bob, json: { last_name: 'Bob was here' }, prefer: 'return=representation' })).toEqual({ status: 200, body: [] })
    expect(await send(app, 'DELETE', `/students?id=eq.${id}`, { token: bob, prefer: 'return=representation' })).toEqual({ status: 200, body: [] })
    // Bob cannot write a row in Alice's name either.
    const forged = await send(app, 'POST', '/students', { token: bob, json: { first_name: 'X', last_name: 'Y', created_by: 'alice' } })
    expect(forged).toMatchObject({ status: 403, body: { code: '42501', message: 'new row violates row-level security policy for table "students"' } })
    expect(await send(app, 'GET', '/students?select=first_name,last_name&order=id')).toEqual({
      status: 200,
      body: [
        { first_name: 'Ada', last_name: 'Lovelace' },
        { first_name: 'Alan', last_name: 'Turing' },
        { first_name: 'Grace', last_name: 'Hopper' },
      ],
    })
  })
})
