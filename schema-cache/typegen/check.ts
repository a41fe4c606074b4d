/**
 * @module schema-cache/typegen/check: checks a snapshot's `typeInfo` before types are generated
 * from it. The server's loader does not look at it (the server never reads it), and a snapshot is
 * a file that may have been edited or written by an older CLI, so the generator checks it here
 * and names the first problem by its path.
 */
import type { SchemaCacheSnapshot, TypeInfo } from '../../src/schema-cache/types.ts'

class Invalid extends Error {}

type Obj = Record<string, unknown>

const describe = (v: unknown): string =>
  v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : JSON.stringify(v)

function expect(ok: boolean, path: string, what: string, got: unknown): void {
  if (!ok) throw new Invalid(`${path} must be ${what}, got ${describe(got)}`)
}

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

function obj(v: unknown, path: string): Obj {
  expect(isObj(v), path, 'an object', v)
  return v as Obj
}

function list(v: unknown, path: string, check: (item: unknown, path: string) => void): void {
  expect(Array.isArray(v), path, 'an array', v)
  ;(v as unknown[]).forEach((item, i) => check(item, `${path}[${i}]`))
}

const str = (v: unknown, path: string): void => expect(typeof v === 'string', path, 'a string', v)

const fields = (o: Obj, path: string, names: readonly string[]): void => names.forEach((n) => str(o[n], `${path}.${n}`))

const nameAndType = (v: unknown, path: string): void => fields(obj(v, path), path, ['name', 'type'])

function namedType(v: unknown, path: string): void {
  const t = obj(v, path)
  fields(t, path, ['schema', 'name', 'type'])
  switch (t['kind']) {
    case 'enum':
      return list(t['labels'], `${path}.labels`, str)
    case 'composite':
      return list(t['attributes'], `${path}.attributes`, nameAndType)
    case 'domain':
      return str(t['baseType'], `${path}.baseType`)
    case 'relation':
      return
    default:
      expect(false, `${path}.kind`, 'one of "enum", "composite", "domain", "relation"', t['kind'])
  }
}

/** The snapshot's type info, or why there is none to use. */
export function checkTypeInfo(snapshot: SchemaCacheSnapshot): { ok: true; info: TypeInfo } | { ok: false; error: string } {
  const info: unknown = (snapshot as { typeInfo?: unknown }).typeInfo
  if (info === undefined) {
    return {
      ok: false,
      error: 'the snapshot has no type information (it was written before --types existed); regenerate it with npm run schema-cache',
    }
  }
  try {
    const o = obj(info, 'typeInfo')
    list(o['dbSchemas'], 'typeInfo.dbSchemas', str)
    list(o['types'], 'typeInfo.types', namedType)
    list(o['routines'], 'typeInfo.routines', (v, path) => {
      const r = obj(v, path)
      fields(r, path, ['schema', 'name', 'returns'])
      list(r['args'], `${path}.args`, str)
      expect(typeof r['setOf'] === 'boolean', `${path}.setOf`, 'a boolean', r['setOf'])
      expect(typeof r['rows'] === 'number', `${path}.rows`, 'a number', r['rows'])
      list(r['columns'], `${path}.columns`, nameAndType)
    })
    list(o['readOnlyColumns'], 'typeInfo.readOnlyColumns', (v, path) => {
      const r = obj(v, path)
      fields(obj(r['table'], `${path}.table`), `${path}.table`, ['schema', 'name'])
      list(r['columns'], `${path}.columns`, str)
    })
    // routines[i] describes snapshot.routines[i]
    const routines = o['routines'] as TypeInfo['routines']
    expect(routines.length === snapshot.routines.length, 'typeInfo.routines', `${snapshot.routines.length} entries, one per routine`, `${routines.length}`)
    snapshot.routines.forEach((r, i) => {
      const t = routines[i]
      const same = t !== undefined && t.schema === r.schema && t.name === r.name && JSON.stringify(t.args) === JSON.stringify(r.params.map((p) => p.type))
      const sig = (schema: string, name: string, args: readonly string[]): string => `${schema}.${name}(${args.join(', ')})`
      const got = t === undefined ? undefined : sig(t.schema, t.name, t.args)
      expect(same, `typeInfo.routines[${i}]`, `the result of ${sig(r.schema, r.name, r.params.map((p) => p.type))}`, got)
    })
    return { ok: true, info: info as TypeInfo }
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: `the snapshot's type information is invalid (regenerate it with npm run schema-cache): ${e.message}` }
    throw e
  }
}
