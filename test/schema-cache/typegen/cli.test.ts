/**
 * `edgerest-schema-cache --types`: from a snapshot file with no database at all (`--from`, in
 * either encoding, through `main` and through the package bin with no database settings in its
 * environment), next to `--out` when introspecting, to standard output, and its usage errors.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../../schema-cache/cli.ts'
import { introspectUrl } from '../../../schema-cache/from-url.ts'
import { formatSnapshot } from '../../../schema-cache/snapshot-json.ts'
import { generateTypes } from '../../../schema-cache/typegen/generate.ts'
import type { SchemaCacheSnapshot } from '../../../src/schema-cache/types.ts'
import { stackUrls } from '../../helpers/stack.ts'
import { typecheck } from './typecheck.ts'

const { authUrl } = stackUrls()
const dir = mkdtempSync(join(tmpdir(), 'edgerest-typegen-'))
const bin = fileURLToPath(new URL('../../../bin/edgerest-schema-cache.mjs', import.meta.url))
const committed = fileURLToPath(new URL('../../../schema-cache/snapshot.json', import.meta.url))
/** No PGRST_DB_URI, DATABASE_URL or PGRST_DB_SCHEMAS: nothing to find a database with. */
const NO_DB_ENV = {}

let snap: SchemaCacheSnapshot
let expected: string
let snapshotFile: string

beforeAll(async () => {
  snap = await introspectUrl(authUrl, { schemas: ['typegen'], extraSearchPath: ['public'] })
  const result = generateTypes(snap)
  if (!result.ok) throw new Error(result.error)
  expected = result.value
  snapshotFile = join(dir, 'snapshot.json')
  writeFileSync(snapshotFile, formatSnapshot(snap, 'pretty'))
})

const run = async (argv: string[], env: NodeJS.ProcessEnv = NO_DB_ENV): Promise<{ code: number; stdout: string; stderr: string }> => {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, env, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } })
  return { code, stdout, stderr }
}

const SUMMARY = 'types of 8 relations and 13 functions' // add has two overloads

describe('--from SNAPSHOT --types FILE', () => {
  it('writes the types of a snapshot file without a database, and leaves an identical file alone', async () => {
    const out = join(dir, 'database.ts')
    expect(await run(['--from', snapshotFile, '--types', out])).toEqual({ code: 0, stdout: '', stderr: `wrote ${out}: ${SUMMARY}\n` })
    expect(readFileSync(out, 'utf8')).toBe(expected)
    const written = statSync(out).mtimeMs
    expect(await run(['--from', snapshotFile, '--types', out])).toEqual({ code: 0, stdout: '', stderr: `${out} unchanged (${SUMMARY})\n` })
    expect(statSync(out).mtimeMs).toBe(written)
  })

  it('reads the packed encoding too, and writes to standard output with -', async () => {
    const packed = join(dir, 'packed.json')
    writeFileSync(packed, formatSnapshot(snap, 'compact'))
    expect(await run(['--from', packed, '--types', '-'])).toEqual({ code: 0, stdout: expected, stderr: '' })
  })

  it('works as the package bin with no database settings in the environment', async () => {
    const out = join(dir, 'bin.ts')
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PGRST_|DATABASE_URL$|PG)/.test(k)))
    const { stderr } = await promisify(execFile)(process.execPath, [bin, '--from', snapshotFile, '--types', out], { env })
    expect(stderr).toBe(`wrote ${out}: ${SUMMARY}\n`)
    expect(readFileSync(out, 'utf8')).toBe(expected)
  })

  it('writes types that compile from the committed demo snapshot', async () => {
    const out = join(dir, 'demo.ts')
    const result = await run(['--from', committed, '--types', out])
    expect(result).toEqual({ code: 0, stdout: '', stderr: `wrote ${out}: types of 2 relations and 0 functions\n` })
    const queries = [
      "import { createClient } from '@supabase/supabase-js'",
      "import type { Database, TablesInsert } from './database.ts'",
      "const db = createClient<Database>('http://localhost:3000', 'key', { db: { schema: 'api' } })",
      "export const student: TablesInsert<'students'> = { name: 'Ada' }",
      "export const read = () => db.from('students').select('name, courses(title)')",
    ].join('\n')
    expect(typecheck({ 'database.ts': readFileSync(out, 'utf8'), 'queries.ts': queries })).toEqual([])
  })

  it('refuses snapshots it cannot use, naming the problem', async () => {
    const { typeInfo: _, ...old } = snap
    const oldFile = join(dir, 'old.json')
    writeFileSync(oldFile, JSON.stringify(old))
    expect(await run(['--from', oldFile, '--types', join(dir, 'x.ts')])).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'edgerest-schema-cache: cannot generate types: the snapshot has no type information (it was written before --types existed); regenerate it with npm run schema-cache\n',
    })
    const missing = join(dir, 'missing.json')
    const notFound = await run(['--from', missing, '--types', join(dir, 'x.ts')])
    expect(notFound.code).toBe(1)
    expect(notFound.stderr).toMatch(new RegExp(`^edgerest-schema-cache: cannot read a snapshot from ${missing}: ENOENT`))
    const corrupt = join(dir, 'corrupt.json')
    writeFileSync(corrupt, JSON.stringify({ ...snap, version: 1 }))
    expect(await run(['--from', corrupt, '--types', join(dir, 'x.ts')])).toEqual({
      code: 1,
      stdout: '',
      stderr: `edgerest-schema-cache: ${corrupt}: schema cache snapshot version 1 is not supported by this edgerest (expects 2); regenerate it with npm run schema-cache\n`,
    })
  })

  it('is a usage error without --types, or with --out or --check', async () => {
    for (const [argv, message] of [
      [['--from', snapshotFile], '--from needs --types (it only generates types)'],
      [['--from', snapshotFile, '--types', '-', '--out', 'x.json'], '--from cannot be combined with --out or --check'],
      [['--from', snapshotFile, '--types', '-', '--check', 'x.json'], '--from cannot be combined with --out or --check'],
      [['--db-uri', authUrl, '--schemas', 'typegen', '--types', '-', '--check', 'x.json'], '--types cannot be combined with --check'],
    ] as const) {
      const result = await run([...argv])
      expect(result.code).toBe(2)
      expect(result.stderr.startsWith(`${message}\n\nusage: edgerest-schema-cache`)).toBe(true)
    }
  })
})

describe('--types FILE when introspecting', () => {
  it('writes the snapshot and its types', async () => {
    const out = join(dir, 'both.json')
    const types = join(dir, 'both.ts')
    const result = await run(['--db-uri', authUrl, '--schemas', 'typegen', '--out', out, '--types', types])
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(new RegExp(`^wrote ${out}: 8 relations, .*\nwrote ${types}: ${SUMMARY}\n$`))
    expect(readFileSync(types, 'utf8')).toBe(expected)
    expect((JSON.parse(readFileSync(out, 'utf8')) as SchemaCacheSnapshot).fingerprint).toBe(snap.fingerprint)
  })

  it('prints only the types when there is no --out', async () => {
    expect(await run(['--db-uri', authUrl, '--schemas', 'typegen', '--types', '-'])).toEqual({ code: 0, stdout: expected, stderr: '' })
  })
})
