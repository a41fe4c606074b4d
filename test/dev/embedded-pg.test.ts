/**
 * The embedded PostgreSQL of the global setup (settings, roles from test/fixtures/00-roles.sql,
 * SCRAM login over TCP) and startEmbeddedPg's persistent mode.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { startEmbeddedPg } from '../../dev/embedded-pg.ts'
import { stackUrls, superuserQuery } from '../helpers/stack.ts'

const { authUrl, dbUrl } = stackUrls()

const queryAs = async (url: string, text: string): Promise<Record<string, unknown>[]> => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query(text)).rows
  } finally {
    await client.end()
  }
}

describe('the test database', () => {
  it('is PostgreSQL 17, UTF8, TimeZone UTC, listening on 127.0.0.1', async () => {
    const [row] = await queryAs(
      dbUrl,
      `SELECT current_setting('server_version_num')::int / 10000 AS major, current_setting('server_encoding') AS enc,
              current_setting('TimeZone') AS tz, current_setting('listen_addresses') AS listen,
              now()::text LIKE '%+00' AS utc_now, current_user AS who`,
    )
    expect(row).toEqual({ major: 17, enc: 'UTF8', tz: 'UTC', listen: '127.0.0.1', utc_now: true, who: 'postgres' })
  })

  it('has the fixture roles: authenticator (LOGIN NOINHERIT) granted anonymous and authenticated', async () => {
    const roles = await superuserQuery(
      `SELECT rolname, rolcanlogin, rolinherit FROM pg_roles WHERE rolname IN ('authenticator', 'anonymous', 'authenticated') ORDER BY rolname`,
    )
    expect(roles.rows).toEqual([
      { rolname: 'anonymous', rolcanlogin: false, rolinherit: true },
      { rolname: 'authenticated', rolcanlogin: false, rolinherit: true },
      { rolname: 'authenticator', rolcanlogin: true, rolinherit: false },
    ])
    const members = await superuserQuery(
      `SELECT r.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
       WHERE m.member = 'authenticator'::regrole ORDER BY 1`,
    )
    expect(members.rows.map((r) => r.rolname)).toEqual(['anonymous', 'authenticated'])
  })

  it('lets authenticator log in over TCP with SCRAM, and only switch role explicitly', async () => {
    const secret = await superuserQuery(`SELECT left(rolpassword, 14) AS p FROM pg_authid WHERE rolname = 'authenticator'`)
    expect(secret.rows[0]?.p).toBe('SCRAM-SHA-256$')
    const rules = await superuserQuery(`SELECT auth_method FROM pg_hba_file_rules WHERE type = 'host' AND 'all' = ANY(database)`)
    expect(new Set(rules.rows.map((r) => r.auth_method))).toEqual(new Set(['scram-sha-256']))
    const [row] = await queryAs(
      authUrl,
      `SELECT current_user AS who, pg_has_role('authenticated', 'USAGE') AS inherits, pg_has_role('authenticated', 'MEMBER') AS member`,
    )
    expect(row).toEqual({ who: 'authenticator', inherits: false, member: true })
    const bad = new URL(authUrl)
    bad.password = 'nope'
    await expect(queryAs(bad.toString(), 'SELECT 1')).rejects.toMatchObject({ code: '28P01' })
  })
})

describe('startEmbeddedPg', () => {
  it('keeps a persistent data directory across restarts', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'edgerest-pg-test-'))
    chmodSync(parent, 0o755) // the postgres OS user must traverse it when we run as root
    const dataDir = join(parent, 'data')
    try {
      const first = await startEmbeddedPg({ dataDir, persistent: true })
      try {
        await queryAs(first.url, 'CREATE TABLE kept (x int); INSERT INTO kept VALUES (7)')
      } finally {
        await first.stop()
      }
      const second = await startEmbeddedPg({ dataDir, persistent: true })
      try {
        expect(await queryAs(second.url, `SELECT x, current_setting('TimeZone') AS tz FROM kept`)).toEqual([{ x: 7, tz: 'UTC' }])
      } finally {
        await second.stop()
      }
    } finally {
      rmSync(parent, { recursive: true, force: true })
    }
  })
})
