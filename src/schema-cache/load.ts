/**
 * @module schema-cache/load: turns a snapshot (the JSON written by `npm run schema-cache`) into
 * the indexed `SchemaCache` the planner reads.
 *
 * The snapshot is checked before use, since it comes from a file: its format marker, its version
 * (an old or new snapshot fails with a message saying to regenerate it), and the shape of every
 * entry, reporting the first problem by its path (`tables[3].columns[1].nullable must be a
 * boolean, got "yes"`). Relationships and everything else expensive were derived when the
 * snapshot was built, so loading is this check plus building a few maps.
 *
 * Two encodings carry the same content: the plain one (objects with named fields; what
 * introspection returns and the CLI's diff-friendly layout writes) and the packed one
 * (`"encoding": "packed"`, see packed.ts; `--compact`), which is several times smaller and faster to
 * parse for large schemas and is decoded here, checked as it is decoded.
 */
import type { Result } from '../result.ts'
import { err, ok } from '../result.ts'
import type {
  Column,
  DatabaseSettings,
  DataRepresentation,
  MediaHandler,
  Relationship,
  RoleSettings,
  Routine,
  SchemaCache,
  SchemaCacheSnapshot,
  SnapshotCheck,
  Table,
} from './types.ts'
import { qiKey, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './types.ts'
import { representationKey } from './lookup.ts'
import { checkPackedLookup, loadPacked, PACKED_ENCODING, PackedInvalid } from './packed.ts'

const REGENERATE = 'regenerate it with npm run schema-cache'

/**
 * Thrown by a lookup into a packed snapshot loaded with `check: 'on-use'` that finds a bad record;
 * the message is the one loading in full would have returned.
 */
export class CorruptSnapshotError extends Error {
  override readonly name = 'CorruptSnapshotError'
}

/** Thrown inside the checks; carries the path of the offending value. */
class Invalid extends Error {}

const describe = (v: unknown): string => {
  if (v === undefined) return 'nothing'
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'object') return 'an object'
  const text = JSON.stringify(v)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}

/*
 * The checks walk a snapshot of tens of thousands of entries on every cold start, so the path of
 * the current value is kept as a stack of keys and indices and only turned into text
 * (`tables[3].columns[1].nullable`) when something is wrong.
 */
const path: (string | number)[] = []

const pathText = (last?: string | number): string => {
  let out = ''
  const parts = last === undefined ? path : [...path, last]
  for (const p of parts) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`
  return out
}

const fail = (key: string | number | undefined, expected: string, got: unknown): never => {
  throw new Invalid(`${pathText(key)} must be ${expected}, got ${describe(got)}`)
}

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)

/** `o[key]` as an object (the value itself when `key` is undefined). */
function obj(o: Obj | unknown, key?: string): Obj {
  const v = key === undefined ? o : (o as Obj)[key]
  if (!isObj(v)) fail(key, 'an object', v)
  return v as Obj
}

function str(o: Obj, key: string): void {
  if (typeof o[key] !== 'string') fail(key, 'a string', o[key])
}

function strOrNull(o: Obj, key: string): void {
  const v = o[key]
  if (v !== null && typeof v !== 'string') fail(key, 'a string or null', v)
}

function bool(o: Obj, key: string): void {
  if (typeof o[key] !== 'boolean') fail(key, 'a boolean', o[key])
}

function strings(o: Obj, key: string): void {
  const list = o[key]
  if (!Array.isArray(list)) return fail(key, 'an array', list)
  for (let i = 0; i < list.length; i++) {
    if (typeof list[i] !== 'string') {
      path.push(key)
      fail(i, 'a string', list[i])
    }
  }
}

function qi(o: Obj, key: string): void {
  const q = o[key]
  if (!isObj(q)) return fail(key, 'an object', q)
  if (typeof q['schema'] !== 'string' || typeof q['name'] !== 'string') {
    path.push(key)
    str(q, 'schema')
    str(q, 'name')
  }
}

function pairs(o: Obj, key: string): void {
  const list = o[key]
  if (!Array.isArray(list)) return fail(key, 'an array', list)
  for (let i = 0; i < list.length; i++) {
    const p: unknown = list[i]
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string') {
      path.push(key)
      fail(i, 'a pair of strings', p)
    }
  }
}

/** Runs `check` on each element of the array `o[key]`, with the path kept up to date. */
function each(o: Obj, key: string, check: (v: unknown) => void): void {
  const list = o[key]
  if (!Array.isArray(list)) return fail(key, 'an array', list)
  path.push(key, 0)
  const at = path.length - 1
  for (let i = 0; i < list.length; i++) {
    path[at] = i
    check(list[i])
  }
  path.length -= 2
}

/*
 * Columns and relationships are most of a snapshot: their checks read properties directly (a
 * keyed load `o[key]` through a helper is several times slower before the JIT warms up, and a
 * Worker loads its snapshot cold) and only fall back to the helpers to report a problem.
 */

const isQi = (v: unknown): boolean => isObj(v) && typeof v.schema === 'string' && typeof v.name === 'string'

const isPairs = (v: unknown): boolean => {
  if (!Array.isArray(v)) return false
  for (let i = 0; i < v.length; i++) {
    const p: unknown = v[i]
    if (!Array.isArray(p) || p.length !== 2 || typeof p[0] !== 'string' || typeof p[1] !== 'string') return false
  }
  return true
}

const isStrings = (v: unknown): boolean => {
  if (!Array.isArray(v)) return false
  for (let i = 0; i < v.length; i++) if (typeof v[i] !== 'string') return false
  return true
}

function checkColumn(v: unknown): void {
  if (
    isObj(v) &&
    typeof v.name === 'string' &&
    (v.description === null || typeof v.description === 'string') &&
    typeof v.nullable === 'boolean' &&
    typeof v.type === 'string' &&
    typeof v.nominalType === 'string' &&
    (v.maxLen === null || Number.isInteger(v.maxLen)) &&
    (v.default === null || typeof v.default === 'string') &&
    isStrings(v.enum)
  ) {
    return
  }
  const c = obj(v)
  str(c, 'name')
  strOrNull(c, 'description')
  bool(c, 'nullable')
  str(c, 'type')
  str(c, 'nominalType')
  if (c['maxLen'] !== null && !Number.isInteger(c['maxLen'])) fail('maxLen', 'an integer or null', c['maxLen'])
  strOrNull(c, 'default')
  strings(c, 'enum')
}

function checkTable(v: unknown): void {
  const t = obj(v)
  str(t, 'schema')
  str(t, 'name')
  strOrNull(t, 'description')
  bool(t, 'isView')
  bool(t, 'insertable')
  bool(t, 'updatable')
  bool(t, 'deletable')
  strings(t, 'pkCols')
  each(t, 'columns', checkColumn)
}

const isCardinality = (c: unknown): boolean => {
  if (!isObj(c)) return false
  switch (c.kind) {
    case 'O2M':
    case 'M2O':
      return typeof c.constraint === 'string' && isPairs(c.columns)
    case 'O2O':
      return typeof c.constraint === 'string' && isPairs(c.columns) && typeof c.isParent === 'boolean'
    case 'M2M': {
      const j = c.junction
      return (
        isObj(j) &&
        isQi(j.table) &&
        typeof j.constraint1 === 'string' &&
        typeof j.constraint2 === 'string' &&
        isPairs(j.colsSource) &&
        isPairs(j.colsTarget)
      )
    }
    default:
      return false
  }
}

function checkCardinality(c: Obj): void {
  switch (c['kind']) {
    case 'O2M':
    case 'M2O':
      str(c, 'constraint')
      pairs(c, 'columns')
      return
    case 'O2O':
      str(c, 'constraint')
      pairs(c, 'columns')
      bool(c, 'isParent')
      return
    case 'M2M': {
      const j = obj(c, 'junction')
      path.push('junction')
      qi(j, 'table')
      str(j, 'constraint1')
      str(j, 'constraint2')
      pairs(j, 'colsSource')
      pairs(j, 'colsTarget')
      path.pop()
      return
    }
    default:
      fail('kind', 'one of "O2M", "M2O", "O2O", "M2M"', c['kind'])
  }
}

function checkRelationship(v: unknown): void {
  if (isObj(v)) {
    if (
      v.kind === 'fk' &&
      isQi(v.table) &&
      isQi(v.foreignTable) &&
      typeof v.isSelf === 'boolean' &&
      isCardinality(v.cardinality) &&
      typeof v.tableIsView === 'boolean' &&
      typeof v.foreignTableIsView === 'boolean'
    ) {
      return
    }
    if (
      v.kind === 'computed' &&
      isQi(v.function) &&
      isQi(v.table) &&
      isQi(v.foreignTable) &&
      isQi(v.tableAlias) &&
      typeof v.toOne === 'boolean' &&
      typeof v.isSelf === 'boolean'
    ) {
      return
    }
  }
  const r = obj(v)
  switch (r['kind']) {
    case 'fk': {
      qi(r, 'table')
      qi(r, 'foreignTable')
      bool(r, 'isSelf')
      const c = obj(r, 'cardinality')
      path.push('cardinality')
      checkCardinality(c)
      path.pop()
      bool(r, 'tableIsView')
      bool(r, 'foreignTableIsView')
      return
    }
    case 'computed':
      qi(r, 'function')
      qi(r, 'table')
      qi(r, 'foreignTable')
      qi(r, 'tableAlias')
      bool(r, 'toOne')
      bool(r, 'isSelf')
      return
    default:
      fail('kind', 'one of "fk", "computed"', r['kind'])
  }
}

const VOLATILITIES: readonly unknown[] = ['volatile', 'stable', 'immutable']
const ISOLATION_LEVELS: readonly unknown[] = [null, 'read committed', 'repeatable read', 'serializable']

function checkParam(v: unknown): void {
  const p = obj(v)
  str(p, 'name')
  str(p, 'type')
  str(p, 'typeMaxLength')
  bool(p, 'required')
  bool(p, 'variadic')
}

function checkRoutine(v: unknown): void {
  const r = obj(v)
  str(r, 'schema')
  str(r, 'name')
  strOrNull(r, 'description')
  each(r, 'params', checkParam)
  const ret = obj(r, 'returnType')
  path.push('returnType')
  if (ret['kind'] !== 'single' && ret['kind'] !== 'setOf') fail('kind', 'one of "single", "setOf"', ret['kind'])
  const t = obj(ret, 'type')
  path.push('type')
  if (t['kind'] !== 'scalar' && t['kind'] !== 'composite') fail('kind', 'one of "scalar", "composite"', t['kind'])
  qi(t, 'qi')
  if (t['kind'] === 'composite') bool(t, 'isDomainAlias')
  path.length -= 2
  if (!VOLATILITIES.includes(r['volatility'])) fail('volatility', 'one of "volatile", "stable", "immutable"', r['volatility'])
  bool(r, 'hasVariadic')
  if (!ISOLATION_LEVELS.includes(r['isolationLevel'])) {
    fail('isolationLevel', 'null or one of "read committed", "repeatable read", "serializable"', r['isolationLevel'])
  }
  pairs(r, 'settings')
  if (r['signature'] !== undefined) str(r, 'signature')
}

function checkRoleSettings(v: unknown): void {
  const r = obj(v)
  str(r, 'role')
  pairs(r, 'settings')
  if (!ISOLATION_LEVELS.includes(r['isolationLevel'])) {
    fail('isolationLevel', 'null or one of "read committed", "repeatable read", "serializable"', r['isolationLevel'])
  }
}

function checkSettings(v: unknown): void {
  const s = obj(v)
  str(s, 'loginRole')
  each(s, 'roles', checkRoleSettings)
  pairs(s, 'config')
}

function checkRepresentation(v: unknown): void {
  const r = obj(v)
  str(r, 'sourceType')
  str(r, 'targetType')
  str(r, 'function')
}

function checkMediaHandler(v: unknown): void {
  const h = obj(v)
  str(h, 'mediaType')
  qi(h, 'function')
  if (h['relation'] !== null) qi(h, 'relation')
}

function checkHiddenSource(v: unknown): void {
  const h = obj(v)
  qi(h, 'table')
  str(h, 'schema')
}

/** Checks format and version; returns the problem, or null. */
function checkEnvelope(json: unknown): string | null {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return `schema cache snapshot must be a JSON object, got ${describe(json)}`
  }
  const s = json as Obj
  if (s['format'] !== SNAPSHOT_FORMAT) {
    return `not an edgerest schema cache snapshot: "format" is ${describe(s['format'])}, expected "${SNAPSHOT_FORMAT}"`
  }
  if (s['version'] !== SNAPSHOT_VERSION) {
    return typeof s['version'] === 'number'
      ? `schema cache snapshot version ${s['version']} is not supported by this edgerest (expects ${SNAPSHOT_VERSION}); ${REGENERATE}`
      : `schema cache snapshot has no valid "version" (got ${describe(s['version'])}); ${REGENERATE}`
  }
  if (s['encoding'] !== undefined && s['encoding'] !== PACKED_ENCODING) {
    return `schema cache snapshot has an unknown "encoding" ${describe(s['encoding'])} (expected "${PACKED_ENCODING}" or none); ${REGENERATE}`
  }
  return null
}

/** The header fields both encodings share. */
function checkHeader(s: Obj): void {
  str(s, 'generatedAt')
  const pg = obj(s, 'pgVersion')
  path.push('pgVersion')
  if (!Number.isInteger(pg['num'])) fail('num', 'an integer', pg['num'])
  str(pg, 'full')
  path.pop()
  strings(s, 'schemas')
  str(s, 'fingerprint')
}

/** The parts stored alike in both encodings. */
function checkCommonLists(s: Obj): void {
  each(s, 'routines', checkRoutine)
  each(s, 'representations', checkRepresentation)
  each(s, 'mediaHandlers', checkMediaHandler)
  if (s['hiddenRelationshipSources'] !== undefined) each(s, 'hiddenRelationshipSources', checkHiddenSource)
  if (s['settings'] !== undefined) {
    path.push('settings')
    checkSettings(s['settings'])
    path.pop()
  }
}

const invalid = (message: string): string => `schema cache snapshot is invalid (${REGENERATE}): ${message}`

/**
 * Checks the envelope and every entry of a snapshot in the plain encoding (what introspection
 * returns and the CLI's diff-friendly layout holds); returns the first problem found, or null.
 */
export function validateSnapshot(json: unknown): string | null {
  const envelope = checkEnvelope(json)
  if (envelope !== null) return envelope
  const s = json as Obj
  if (s['encoding'] !== undefined) return invalid(`expected the plain encoding, got "encoding": ${describe(s['encoding'])}`)
  path.length = 0
  try {
    checkHeader(s)
    each(s, 'tables', checkTable)
    each(s, 'relationships', checkRelationship)
    checkCommonLists(s)
  } catch (e) {
    if (e instanceof Invalid) return invalid(e.message)
    throw e
  } finally {
    path.length = 0
  }
  return null
}

const routineIndex = (routines: readonly Routine[]): Map<string, Routine[]> => {
  const out = new Map<string, Routine[]>()
  for (const r of routines) {
    const key = qiKey(r)
    const list = out.get(key)
    if (list === undefined) out.set(key, [r])
    else list.push(r)
  }
  return out
}

const roleSettingsIndex = (settings: DatabaseSettings | undefined): Map<string, RoleSettings> =>
  new Map((settings?.roles ?? []).map((r) => [r.role, r]))

const representationIndex = (reps: readonly DataRepresentation[]): Map<string, DataRepresentation> => {
  const out = new Map<string, DataRepresentation>()
  for (const r of reps) out.set(representationKey(r.sourceType, r.targetType), r)
  return out
}

/** Builds the maps of a plain snapshot already known to be well formed (e.g. just introspected). */
export function indexSnapshot(snapshot: SchemaCacheSnapshot): SchemaCache {
  const tables = new Map<string, Table>()
  const columns = new Map<string, Map<string, Column>>()
  for (const t of snapshot.tables) {
    const key = qiKey(t)
    tables.set(key, t)
    const byName = new Map<string, Column>()
    for (const c of t.columns) byName.set(c.name, c)
    columns.set(key, byName)
  }
  const relationships = new Map<string, Relationship[]>()
  // Relationships come sorted by source table, so most belong to the same list as the previous one.
  let prev: Relationship | undefined
  let prevList: Relationship[] = []
  for (const r of snapshot.relationships) {
    if (prev === undefined || r.table.name !== prev.table.name || r.table.schema !== prev.table.schema) {
      const key = qiKey(r.table)
      const list = relationships.get(key)
      if (list === undefined) relationships.set(key, (prevList = []))
      else prevList = list
    }
    prevList.push(r)
    prev = r
  }
  const mediaHandlers: readonly MediaHandler[] = snapshot.mediaHandlers
  return {
    snapshot,
    tables,
    relationships,
    routines: routineIndex(snapshot.routines),
    columns,
    representations: representationIndex(snapshot.representations),
    mediaHandlers,
    roleSettings: roleSettingsIndex(snapshot.settings),
  }
}

/** Checks and indexes a snapshot in either encoding. */
function readSnapshot(json: unknown, check: SnapshotCheck): Result<SchemaCache, string> {
  const envelope = checkEnvelope(json)
  if (envelope !== null) return err(envelope)
  const s = json as Obj
  if (s['encoding'] === undefined) {
    const problem = validateSnapshot(json)
    if (problem !== null) return err(problem)
    const snapshot = json as SchemaCacheSnapshot
    const seen = new Set<string>()
    for (const t of snapshot.tables) {
      const key = qiKey(t)
      if (seen.has(key)) return err(invalid(`table ${t.schema}.${t.name} appears twice`))
      seen.add(key)
    }
    return ok(indexSnapshot(snapshot))
  }
  path.length = 0
  try {
    checkHeader(s)
    checkCommonLists(s)
    return ok(
      loadPacked(s, {
        routines: routineIndex(s['routines'] as Routine[]),
        representations: representationIndex(s['representations'] as DataRepresentation[]),
        roleSettings: roleSettingsIndex(s['settings'] as DatabaseSettings | undefined),
        check,
        corrupt: (message) => new CorruptSnapshotError(invalid(message)),
      }),
    )
  } catch (e) {
    if (e instanceof Invalid || e instanceof PackedInvalid) return err(invalid(e.message))
    throw e
  } finally {
    path.length = 0
  }
}

export interface LoadOptions {
  /** How much is checked at load (see `SnapshotCheck`); `full` unless given. */
  readonly check?: SnapshotCheck
}

/**
 * Validates and indexes a snapshot. Accepts the parsed JSON or its text, in either encoding.
 * Errors are messages for the operator (bad deployment artefact), not client errors.
 */
export function loadSchemaCache(json: unknown, options: LoadOptions = {}): Result<SchemaCache, string> {
  let value = json
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json)
    } catch (e) {
      return err(`schema cache snapshot is not valid JSON (${REGENERATE}): ${(e as Error).message}`)
    }
  }
  return readSnapshot(value, options.check ?? 'full')
}

/** `loadSchemaCache` for startup code that wants an exception. */
export function loadSchemaCacheOrThrow(json: unknown, options: LoadOptions = {}): SchemaCache {
  const result = loadSchemaCache(json, options)
  if (!result.ok) throw new Error(result.error)
  return result.value
}

/**
 * For build-time tools: the problem with a packed snapshot's `lookup` (the index on-use loading
 * finds records by), or null — also null for snapshots without one (the plain encoding, packed
 * ones written before it), which every loader checks in full.
 */
export function lookupProblem(json: unknown): string | null {
  if (!isObj(json) || json['encoding'] !== PACKED_ENCODING || (json['lookup'] === undefined && json['fkOffsets'] === undefined)) return null
  try {
    checkPackedLookup(json)
    return null
  } catch (e) {
    if (e instanceof PackedInvalid) return invalid(e.message)
    throw e
  }
}

/**
 * Whether the snapshot covers the configured db-schemas; a message naming the missing ones
 * otherwise (a snapshot built for other schemas would answer 404 to everything).
 */
export function missingSchemas(cache: SchemaCache, dbSchemas: readonly string[]): string | null {
  const missing = dbSchemas.filter((s) => !cache.snapshot.schemas.includes(s))
  if (missing.length === 0) return null
  return `the schema cache snapshot was built for the schemas ${cache.snapshot.schemas.join(', ')} but db-schemas includes ${missing.join(', ')}; ${REGENERATE} -- --schemas ${dbSchemas.join(',')}`
}
