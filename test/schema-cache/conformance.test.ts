/**
 * The schema cache against PostgREST's own expectations. PostgREST's spec fixture schema
 * (../shared/conformance/fixtures/schema.sql, PostGIS types replaced by text since the test
 * server has no PostGIS) is loaded into a scratch database and introspected for each
 * configuration the corpus uses; then, for every case of the corpus answering
 *   PGRST200 (no relationship)  → the "Perhaps you meant" hint,
 *   PGRST201 (ambiguous embed)  → the candidate relationships, in order, as PostgREST lists them,
 *   PGRST202 (no function)      → the hint,
 *   PGRST205 (no table)         → the hint,
 * the snapshot must give what PostgREST answered. Skipped when the corpus is not next to the repo.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { introspectUrl } from '../../schema-cache/from-url.ts'
import { noRelBetweenHint, noRpcHint, tableNotFoundHint } from '../../src/schema-cache/fuzzy.ts'
import { loadSchemaCacheOrThrow } from '../../src/schema-cache/load.ts'
import { relationshipsFromInSchema } from '../../src/schema-cache/lookup.ts'
import type { Relationship, SchemaCache } from '../../src/schema-cache/types.ts'
import { stackUrls, superuserQuery } from '../helpers/stack.ts'

const corpus = process.env['EDGEREST_CONFORMANCE_DIR'] ?? fileURLToPath(new URL('../../../shared/conformance/', import.meta.url))
const present = existsSync(`${corpus}/cases`) && existsSync(`${corpus}/fixtures/schema.sql`)

interface Case {
  readonly id: string
  readonly config: { readonly settings: Record<string, string> }
  readonly request: { readonly method: string; readonly path?: string; readonly headers?: [string, string][] }
  readonly expect: { readonly body?: unknown } | null
}
interface ErrorBody {
  readonly code: string
  readonly message: string
  readonly details: unknown
  readonly hint: unknown
}

const CODES = new Set(['PGRST200', 'PGRST201', 'PGRST202', 'PGRST205'])

const loadCases = (): { c: Case; body: ErrorBody }[] => {
  const out: { c: Case; body: ErrorBody }[] = []
  for (const file of readdirSync(`${corpus}/cases`).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(`${corpus}/cases/${file}`, 'utf8').split('\n')) {
      if (line.trim() === '') continue
      const c = JSON.parse(line) as Case
      const body = c.expect?.body as ErrorBody | undefined
      if (body !== undefined && body !== null && typeof body === 'object' && CODES.has(body.code)) out.push({ c, body })
    }
  }
  return out
}

const list = (s: string | undefined): string[] =>
  (s ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '')

/** The schema a request addresses: its profile header, else the first db-schema. */
const requestSchema = (c: Case): string => {
  const want = ['GET', 'HEAD'].includes(c.request.method) ? 'accept-profile' : 'content-profile'
  const header = (c.request.headers ?? []).find(([n]) => n.toLowerCase() === want)
  return header?.[1] ?? list(c.config.settings['PGRST_DB_SCHEMAS'])[0] ?? ''
}

/** PostgREST's rendering of a relationship in PGRST201 details (`compressedRel`). */
const compressed = (r: Relationship): Record<string, string> => {
  if (r.kind === 'computed') return {}
  const c = r.cardinality
  const fmt = (els: readonly string[]) => `(${els.join(', ')})`
  const embedding = `${r.table.name} with ${r.foreignTable.name}`
  switch (c.kind) {
    case 'M2M':
      return {
        embedding,
        cardinality: 'many-to-many',
        relationship: `${c.junction.table.name} using ${c.junction.constraint1}${fmt(c.junction.colsSource.map((p) => p[1]))} and ${c.junction.constraint2}${fmt(c.junction.colsTarget.map((p) => p[1]))}`,
      }
    case 'M2O':
    case 'O2O':
    case 'O2M':
      return {
        embedding,
        cardinality: { M2O: 'many-to-one', O2O: 'one-to-one', O2M: 'one-to-many' }[c.kind],
        relationship: `${c.constraint} using ${r.table.name}${fmt(c.columns.map((p) => p[0]))} and ${r.foreignTable.name}${fmt(c.columns.map((p) => p[1]))}`,
      }
  }
}

/** The candidates PostgREST's findRel keeps for `origin?select=target(*)` without a `!hint`. */
const candidates = (cache: SchemaCache, schema: string, origin: string, target: string): Relationship[] =>
  relationshipsFromInSchema(cache, { schema, name: origin }, schema).filter((r) => {
    if (r.kind === 'computed') return r.function.name === target
    const c = r.cardinality
    const singleCol = c.kind !== 'M2M' && c.columns.length === 1 ? c.columns[0]?.[0] : undefined
    if (r.isSelf) return (r.foreignTable.name === target && c.kind === 'O2M') || (singleCol === target && c.kind === 'M2O')
    return (
      r.foreignTable.name === target ||
      (c.kind !== 'M2M' && c.constraint === target && !r.foreignTableIsView) ||
      (singleCol === target && !r.foreignTableIsView)
    )
  })

const between = (text: string, start: string, end: string): string | null => {
  const i = text.indexOf(start)
  if (i < 0) return null
  const j = text.indexOf(end, i + start.length)
  return j < 0 ? null : text.slice(i + start.length, j)
}

describe.skipIf(!present)('schema cache vs PostgREST expectations (conformance corpus)', () => {
  const dbName = `sc_conformance_${randomBytes(4).toString('hex')}`
  const dbUrl = (() => {
    const u = new URL(stackUrls().dbUrl)
    u.pathname = `/${dbName}`
    return u.toString()
  })()
  const cases = present ? loadCases() : []
  const caches = new Map<string, SchemaCache>()
  const configKey = (c: Case) => `${c.config.settings['PGRST_DB_SCHEMAS'] ?? ''}|${c.config.settings['PGRST_DB_EXTRA_SEARCH_PATH'] ?? ''}`

  beforeAll(async () => {
    await superuserQuery(`CREATE DATABASE ${dbName}`)
    const schemaSql = readFileSync(`${corpus}/fixtures/schema.sql`, 'utf8')
      .replace(/^create extension if not exists postgis with schema extensions;$/m, '')
      .replace(/extensions\.geometry\([A-Z]+, *4326\)/g, 'text')
    const client = new pg.Client({ connectionString: dbUrl })
    await client.connect()
    try {
      await client.query('DROP SCHEMA public CASCADE')
      await client.query(schemaSql)
    } finally {
      await client.end()
    }
    for (const { c } of cases) {
      const key = configKey(c)
      if (caches.has(key)) continue
      const snapshot = await introspectUrl(dbUrl, {
        schemas: list(c.config.settings['PGRST_DB_SCHEMAS']),
        extraSearchPath: list(c.config.settings['PGRST_DB_EXTRA_SEARCH_PATH']),
      })
      caches.set(key, loadSchemaCacheOrThrow(JSON.parse(JSON.stringify(snapshot))))
    }
  }, 120_000)

  afterAll(async () => {
    await superuserQuery(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`)
  })

  const byCode = (code: string) => cases.filter(({ body }) => body.code === code)

  it('PGRST205: the table hint', () => {
    const checked = byCode('PGRST205').map(({ c, body }) => {
      const schema = requestSchema(c)
      const name = between(body.message, `Could not find the table '${schema}.`, "' in the schema cache")
      if (name === null) throw new Error(`${c.id}: unexpected message ${body.message}`)
      return [c.id, tableNotFoundHint(caches.get(configKey(c)) as SchemaCache, schema, name)]
    })
    expect(checked.length).toBeGreaterThanOrEqual(5)
    expect(checked).toEqual(byCode('PGRST205').map(({ c, body }) => [c.id, body.hint]))
  })

  it('PGRST200: the relationship hint', () => {
    const checked = byCode('PGRST200').map(({ c, body }) => {
      const parent = between(body.message, "Could not find a relationship between '", "' and '")
      const child = between(body.message, "' and '", "' in the schema cache")
      const schema = between(String(body.details), " in the schema '", "', but no matches")
      if (parent === null || child === null || schema === null) throw new Error(`${c.id}: unexpected body ${JSON.stringify(body)}`)
      return [c.id, noRelBetweenHint(caches.get(configKey(c)) as SchemaCache, parent, child, schema)]
    })
    expect(checked.length).toBeGreaterThanOrEqual(3)
    expect(checked).toEqual(byCode('PGRST200').map(({ c, body }) => [c.id, body.hint]))
  })

  it('PGRST202: the function hint', () => {
    let withParams = 0
    const checked = byCode('PGRST202').map(({ c, body }): [string, unknown] => {
      const schema = requestSchema(c)
      const rest = between(body.message, `Could not find the function ${schema}.`, ' in the schema cache')
      if (rest === null) throw new Error(`${c.id}: unexpected message ${body.message}`)
      const cache = caches.get(configKey(c)) as SchemaCache
      if (rest.endsWith(' without parameters')) return [c.id, noRpcHint(cache, schema, rest.slice(0, -' without parameters'.length), [])]
      // "f" alone: a single unnamed body parameter was sought, for which PostgREST gives no hint
      if (!rest.endsWith(')')) return [c.id, null]
      withParams++
      const name = rest.slice(0, rest.indexOf('('))
      const args = rest.slice(rest.indexOf('(') + 1, -1).split(', ')
      return [c.id, noRpcHint(cache, schema, name, args)]
    })
    expect(withParams).toBeGreaterThanOrEqual(2)
    expect(checked).toEqual(byCode('PGRST202').map(({ c, body }) => [c.id, body.hint]))
  })

  it('PGRST201: the candidate relationships, in PostgREST order', () => {
    const plain = byCode('PGRST201').filter(({ c, body }) => {
      const target = between(body.message, "' and '", "'")
      return target !== null && !(c.request.path ?? '').includes(`${target}!`)
    })
    expect(plain.length).toBeGreaterThanOrEqual(4)
    const got = plain.map(({ c, body }) => {
      const origin = between(body.message, "more than one relationship was found for '", "' and '") as string
      const target = between(body.message, "' and '", "'") as string
      return [c.id, candidates(caches.get(configKey(c)) as SchemaCache, requestSchema(c), origin, target).map(compressed)]
    })
    expect(got).toEqual(plain.map(({ c, body }) => [c.id, body.details]))
  })
})
