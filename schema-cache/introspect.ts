/**
 * @module schema-cache/introspect: reads the catalog of a PostgreSQL database and builds a
 * `SchemaCacheSnapshot`, the file the Worker loads at startup instead of introspecting.
 *
 * It takes any function that runs a parameterised query and returns rows (node-postgres,
 * the Neon driver, an executor adapter), so the CLI and the Node entry share it. The SQL comes
 * from `queries.ts` (generated from `queries/*.sql`), so this module needs no file system.
 * Each query is self-contained: the ones whose output depends on the search_path empty it for
 * their own statement, so the caller's session settings do not matter. (Run them outside an
 * explicit transaction, or in one of their own: inside a caller's transaction the emptied
 * search_path would last until that transaction ends.)
 */
import type {
  DatabaseSettings,
  DataRepresentation,
  IsolationLevelName,
  MediaHandler,
  PgType,
  Relationship,
  RetType,
  RoleSettings,
  Routine,
  SchemaCacheSnapshot,
  Table,
  Volatility,
} from '../src/schema-cache/types.ts'
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../src/schema-cache/types.ts'
import { deriveRelationships, viewKeyDependencies, withViewPrimaryKeys } from './derive.ts'
import { compareQi, compareRoutine, compareText } from './order.ts'
import { queries } from './queries.ts'
import type {
  ComputedRelRow,
  ConstraintRow,
  DbSettingRow,
  MediaHandlerRow,
  QueryFn,
  RepresentationRow,
  RoleSettingRow,
  RoutineRow,
  ServerRow,
  TableRow,
  TypeInfoRow,
  ViewRow,
} from './rows.ts'
import { rowObjects } from './rows.ts'
import { fingerprintOf } from './snapshot-json.ts'
import { quoteIdent } from '../src/sql/fragment.ts'
import { IN_DB_PREFIX, IN_DB_SETTINGS } from '../src/config/in-db.ts'
import { buildTypeInfo } from './type-info.ts'

export type { QueryFn } from './rows.ts'

export interface IntrospectOptions {
  /** db-schemas: the schemas whose tables, views and functions are exposed. */
  readonly schemas: readonly string[]
  /** db-extra-search-path: views there may sit between exposed views and their tables. */
  readonly extraSearchPath?: readonly string[] | undefined
  /** ISO timestamp to record instead of now (tests, reproducible builds). */
  readonly generatedAt?: string | undefined
  /**
   * db-pre-config: a function whose `set_config('pgrst.…')` calls are part of the in-database
   * configuration (below the login role's own `pgrst.*` settings).
   */
  readonly preConfig?: { readonly schema: string; readonly name: string } | null | undefined
  /**
   * Told when db-pre-config fails: as in PostgREST the failure is reported and the rest of the
   * configuration still applies (a mistake in the function must not keep the API down).
   */
  readonly onWarning?: ((message: string) => void) | undefined
}

const unique = (items: readonly string[]): string[] => [...new Set(items)]

const volatility = (v: string): Volatility => (v === 'i' ? 'immutable' : v === 's' ? 'stable' : 'volatile')

/** `SET default_transaction_isolation` of a function, read as PostgREST reads it. */
function isolationLevel(config: readonly string[]): Routine['isolationLevel'] {
  const entry = config.find((c) => c.startsWith('default_transaction_isolation'))
  if (entry === undefined) return null
  const value = (entry.split('=')[1] ?? '').split(',')[0] ?? ''
  switch (value.trim().toLowerCase()) {
    case 'repeatable read':
      return 'repeatable read'
    case 'serializable':
      return 'serializable'
    default:
      return 'read committed'
  }
}

/** `name=value` entries of `proconfig`, split at the first `=`. */
const settings = (config: readonly string[]): (readonly [string, string])[] =>
  config.map((c) => {
    const at = c.indexOf('=')
    return at < 0 ? ([c, ''] as const) : ([c.slice(0, at), c.slice(at + 1)] as const)
  })

function toRoutine(row: RoutineRow): Routine {
  const qi = { schema: row.returnSchema, name: row.returnName }
  const type: PgType = row.returnsComposite
    ? { kind: 'composite', qi, isDomainAlias: row.returnsDomain }
    : { kind: 'scalar', qi }
  const returnType: RetType = row.returnsSet ? { kind: 'setOf', type } : { kind: 'single', type }
  return {
    schema: row.schema,
    name: row.name,
    description: row.description,
    params: row.params.map((p) => ({
      name: p.name,
      type: p.type,
      typeMaxLength: p.typeMaxLength,
      required: p.required,
      variadic: p.variadic,
    })),
    returnType,
    volatility: volatility(row.volatility),
    hasVariadic: row.hasVariadic,
    isolationLevel: isolationLevel(row.config),
    settings: settings(row.config),
    signature: row.signature,
  }
}

/** PostgREST reads `default_transaction_isolation` case-insensitively; anything else is read committed. */
const isolationName = (value: string): IsolationLevelName => {
  const v = value.trim().toLowerCase()
  return v === 'repeatable read' || v === 'serializable' ? v : 'read committed'
}

/** Role settings rows (sorted by role, then name) → one entry per role. */
function toRoleSettings(rows: readonly RoleSettingRow[]): RoleSettings[] {
  const byRole = new Map<string, { settings: [string, string][]; isolationLevel: IsolationLevelName | null }>()
  for (const row of rows) {
    let entry = byRole.get(row.role)
    if (entry === undefined) byRole.set(row.role, (entry = { settings: [], isolationLevel: null }))
    if (row.key === 'default_transaction_isolation') entry.isolationLevel = isolationName(row.value)
    else entry.settings.push([row.key, row.value])
  }
  return [...byRole.entries()].map(([role, e]) => ({ role, settings: e.settings, isolationLevel: e.isolationLevel }))
}

/**
 * The in-database configuration by PostgREST's precedence: the login role's setting for this
 * database, then its setting for all databases (rows come in that order per name), then what
 * db-pre-config set. Names lose their `pgrst.` prefix.
 */
function toDbConfig(rows: readonly DbSettingRow[], preConfig: Readonly<Record<string, string | null>>): [string, string][] {
  const out = new Map<string, string>()
  for (const row of rows) if (!out.has(row.key)) out.set(row.key, row.value)
  for (const [key, value] of Object.entries(preConfig)) if (value !== null && !out.has(key)) out.set(key, value)
  return [...out.entries()].map(([k, v]) => [k.slice(IN_DB_PREFIX.length), v] as [string, string]).sort(([a], [b]) => compareText(a, b))
}

/**
 * Calls db-pre-config and reads back the settings it made, in one statement (a pre-config
 * function sets them for its transaction only): the CTE runs the function before the outer
 * select reads the settings.
 */
const preConfigQuery = (fn: { readonly schema: string; readonly name: string }): string =>
  `WITH called AS MATERIALIZED (SELECT ${quoteIdent(fn.schema)}.${quoteIdent(fn.name)}()) ` +
  `SELECT (SELECT pg_catalog.json_object_agg(x, pg_catalog.current_setting(x, true)) FROM unnest($1::text[]) AS x) AS r FROM called`

/** Role settings and in-database configuration, read as the login role. */
async function readDatabaseSettings(query: QueryFn, versionNum: number, opts: IntrospectOptions): Promise<DatabaseSettings> {
  const [login] = rowObjects<{ loginRole: string }>(await query(queries.loginRole, []), 'login role')
  // has_parameter_privilege (PostgreSQL 15+) is left out on older servers.
  const roleSql = versionNum >= 150000 ? queries.roleSettings : queries.roleSettings.replace(/^.*-- pg15\+\n/gm, '')
  const roles = toRoleSettings(rowObjects<RoleSettingRow>(await query(roleSql, []), 'role settings'))
  const names = IN_DB_SETTINGS.map((n) => IN_DB_PREFIX + n)
  const dbRows = rowObjects<DbSettingRow>(await query(queries.dbSettings, [names]), 'in-database settings')
  let fromPreConfig: Record<string, string | null> = {}
  if (opts.preConfig) {
    try {
      fromPreConfig = rowObjects<Record<string, string | null>>(await query(preConfigQuery(opts.preConfig), [names]), 'db-pre-config')[0] ?? {}
    } catch (e) {
      const warn = opts.onWarning ?? ((m: string) => console.warn(m))
      warn(`edgerest: db-pre-config ${opts.preConfig.schema}.${opts.preConfig.name}() failed, its settings are left out: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  return { loginRole: login?.loginRole ?? '', roles, config: toDbConfig(dbRows, fromPreConfig) }
}

function toTable(row: TableRow): Table {
  return {
    schema: row.schema,
    name: row.name,
    description: row.description,
    isView: row.isView,
    insertable: row.insertable,
    updatable: row.updatable,
    deletable: row.deletable,
    pkCols: row.pkCols,
    columns: row.columns.map((c) => ({
      name: c.name,
      description: c.description,
      nullable: c.nullable,
      type: c.type,
      nominalType: c.nominalType,
      maxLen: c.maxLen,
      default: c.default,
      enum: c.enum,
    })),
  }
}

/**
 * Media handlers keyed like PostgREST's map, (relation, media type): one handler per key. When
 * two functions claim the same key, the first in (schema, name) order is kept.
 */
function toMediaHandlers(rows: readonly MediaHandlerRow[]): MediaHandler[] {
  const handlers: MediaHandler[] = rows.map((r) => ({
    mediaType: r.mediaType,
    function: { schema: r.functionSchema, name: r.function },
    relation:
      r.kind === 'aggregate' && r.targetSchema === 'pg_catalog' && r.target === 'anyelement'
        ? null
        : { schema: r.targetSchema, name: r.target },
  }))
  const relKey = (h: MediaHandler): string => (h.relation === null ? '' : `${h.relation.schema}\u0000${h.relation.name}`)
  handlers.sort(
    (a, b) =>
      (a.relation === null ? (b.relation === null ? 0 : -1) : b.relation === null ? 1 : compareQi(a.relation, b.relation)) ||
      compareText(a.mediaType, b.mediaType) ||
      compareQi(a.function, b.function),
  )
  const seen = new Set<string>()
  return handlers.filter((h) => {
    const key = `${relKey(h)}\u0001${h.mediaType}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

function toRepresentations(rows: readonly RepresentationRow[]): DataRepresentation[] {
  const reps = rows.map((r) => ({ sourceType: r.sourceType, targetType: r.targetType, function: r.function }))
  reps.sort((a, b) => compareText(a.sourceType, b.sourceType) || compareText(a.targetType, b.targetType) || compareText(a.function, b.function))
  // one cast per (source, target) pair can exist, so this only guards against surprises
  return reps.filter((r, i) => i === 0 || r.sourceType !== reps[i - 1]?.sourceType || r.targetType !== reps[i - 1]?.targetType)
}

/**
 * Only the role settings and in-database configuration: what PostgREST's config reload (NOTIFY
 * 'reload config', SIGUSR2) reads again, without the rest of the catalog.
 */
export async function introspectSettings(query: QueryFn, opts: IntrospectOptions): Promise<DatabaseSettings> {
  const [server] = rowObjects<ServerRow>(await query(queries.server, [unique(opts.schemas)]), 'server')
  if (server === undefined) throw new Error('schema cache introspection: the server query returned no row')
  return readDatabaseSettings(query, server.versionNum, opts)
}

/** Introspects the database behind `query` into a snapshot for the given schemas. */
export async function introspect(query: QueryFn, opts: IntrospectOptions): Promise<SchemaCacheSnapshot> {
  const dbSchemas = unique(opts.schemas)
  if (dbSchemas.length === 0) throw new Error('schema cache introspection: no schemas given (db-schemas is empty)')
  const extra = unique(opts.extraSearchPath ?? []).filter((s) => !dbSchemas.includes(s))
  const allSchemas = [...dbSchemas, ...extra]

  const [server] = rowObjects<ServerRow>(await query(queries.server, [allSchemas]), 'server')
  if (server === undefined) throw new Error('schema cache introspection: the server query returned no row')
  const missing = allSchemas.filter((s) => !server.existingSchemas.includes(s))
  if (missing.length > 0) {
    const list = missing.map((s) => JSON.stringify(s)).join(', ')
    throw new Error(`schema cache introspection: schema${missing.length > 1 ? 's' : ''} ${list} not found in the database`)
  }

  // Independent reads; sequential so a single-connection client is never asked to overlap them.
  const tableRows = rowObjects<TableRow>(await query(queries.tables, [dbSchemas]), 'tables')
  const constraints = rowObjects<ConstraintRow>(await query(queries.constraints, []), 'constraints')
  const views = rowObjects<ViewRow>(await query(queries.views, [allSchemas]), 'views')
  const routineRows = rowObjects<RoutineRow>(await query(queries.routines, [dbSchemas]), 'routines')
  const computedRows = rowObjects<ComputedRelRow>(await query(queries.computedRelationships, []), 'computed relationships')
  const repRows = rowObjects<RepresentationRow>(await query(queries.representations, []), 'representations')
  const handlerRows = rowObjects<MediaHandlerRow>(await query(queries.mediaHandlers, [dbSchemas]), 'media handlers')
  const typeInfoRows = rowObjects<TypeInfoRow>(await query(queries.typeInfo, [dbSchemas]), 'type info')
  const settings = await readDatabaseSettings(query, server.versionNum, opts)

  const exposed = new Set(dbSchemas)
  const keyDeps = viewKeyDependencies(views, constraints, exposed)
  const tables = withViewPrimaryKeys(tableRows.map(toTable), keyDeps)
  tables.sort(compareQi)
  const derived = deriveRelationships({ constraints, keyDeps, tables, computed: computedRows, exposed })
  const relationships: Relationship[] = derived.relationships
  const routines = routineRows.map(toRoutine)
  routines.sort(compareRoutine)
  const representations = toRepresentations(repRows)
  const mediaHandlers = toMediaHandlers(handlerRows)

  const hiddenRelationshipSources = derived.hiddenSources
  const typeInfo = buildTypeInfo(typeInfoRows, { dbSchemas, tables, routines })
  const content = { schemas: allSchemas, tables, relationships, routines, representations, mediaHandlers, hiddenRelationshipSources, typeInfo, settings }
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    generatedAt: opts.generatedAt ?? new Date().toISOString(),
    pgVersion: { num: server.versionNum, full: server.version },
    schemas: allSchemas,
    fingerprint: await fingerprintOf(content),
    tables,
    relationships,
    routines,
    representations,
    mediaHandlers,
    hiddenRelationshipSources,
    typeInfo,
    settings,
  }
}
