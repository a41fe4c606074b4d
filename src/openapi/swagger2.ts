/**
 * @module openapi/swagger2: the Swagger 2.0 document PostgREST serves at `/` (its
 * Response/OpenAPI.hs), rebuilt from the schema cache: a path per table/view (GET, and
 * POST/PATCH/DELETE when it can be written) and per function (`/rpc/name`: POST, and GET unless
 * volatile), a definition per table with column types, formats, enums, defaults, required columns
 * and the primary/foreign key notes, the shared query/header parameters, the JWT security
 * definition when PGRST_OPENAPI_SECURITY_ACTIVE is on. Same keys and values as PostgREST's, so
 * tools written against it (Swagger UI, code generators, supabase-js's type readers) see no
 * difference.
 */
import type { Column, Routine, RoutineParam, Table } from '../schema-cache/types.ts'
import type { ApiModel } from './model.ts'
import { obj, POSTGREST_DOCS_URL, POSTGREST_VERSION, splitDescription, type Json, type JsonObject } from './model.ts'
import { displayType, elementType, jsonFormat, jsonType } from './pg-types.ts'


const nonEmpty = <T extends Json>(list: T[]): T[] | undefined => (list.length === 0 ? undefined : list)

export const SINGULAR_STRIPPED = 'application/vnd.pgrst.object+json;nulls=stripped'
export const SINGULAR = 'application/vnd.pgrst.object+json'
const MIME_LIST = ['application/json', SINGULAR_STRIPPED, SINGULAR, 'text/csv']

/** PostgREST's parseDefault: a string type's default loses its cast and quotes; the rest must read as JSON. */
export const columnDefault = (col: Column): Json | undefined => {
  if (col.default === null) return undefined
  let text = col.default
  if (jsonType(col.type) === 'string') {
    const suffix = `::${col.type}`
    const def = text.endsWith(suffix) ? text.slice(0, -suffix.length).replace(/^'+|'+$/g, '') : text
    text = `"${def}"`
  }
  try {
    return JSON.parse(text) as Json
  } catch {
    return undefined
  }
}

/** The foreign-key note of a column: the first single-column many-to-one (or child one-to-one), tables before views. */
const foreignKeyNote = (model: ApiModel, table: Table, col: Column): string | undefined => {
  const candidates = model
    .relationshipsOf(table)
    .filter((r) => r.kind === 'fk')
    .sort((a, b) => Number(a.kind === 'fk' && a.foreignTableIsView) - Number(b.kind === 'fk' && b.foreignTableIsView))
  for (const r of candidates) {
    if (r.kind !== 'fk') continue
    const c = r.cardinality
    const single = (c.kind === 'M2O' || (c.kind === 'O2O' && !c.isParent)) && c.columns.length === 1 && c.columns[0]?.[0] === col.name
    if (single) {
      const [, fCol] = c.columns[0] as readonly [string, string]
      const fTable = r.foreignTable.name
      return `This is a Foreign Key to \`${fTable}.${fCol}\`.<fk table='${fTable}' column='${fCol}'/>`
    }
  }
  return undefined
}

/** A column's description with PostgREST's "Note:" lines for primary and foreign keys. */
export const columnDescription = (model: ApiModel, table: Table, col: Column): string | undefined => {
  const fk = foreignKeyNote(model, table, col)
  const notes = [...(table.pkCols.includes(col.name) ? ['This is a Primary Key.<pk/>'] : []), ...(fk === undefined ? [] : [fk])]
  if (notes.length === 0) return col.description ?? undefined
  return `${col.description === null ? '' : `${col.description}\n\n`}Note:\n${notes.join('\n')}`
}

/** `items` of an array type: the element's type (none for json[]). */
const arrayItems = (pgType: string): JsonObject | undefined =>
  jsonType(pgType) === 'array' ? obj({ type: jsonType(elementType(pgType)) ?? undefined }) : undefined

const columnSchema = (model: ApiModel, table: Table, col: Column): JsonObject => {
  const type = displayType(col.type, model.visibleSchemas)
  return obj({
    default: columnDefault(col),
    description: columnDescription(model, table, col),
    enum: nonEmpty([...col.enum]),
    format: jsonFormat(type),
    maxLength: col.maxLen ?? undefined,
    type: jsonType(type) ?? undefined,
    items: arrayItems(type),
  })
}

const tableDefinition = (model: ApiModel, t: Table): JsonObject =>
  obj({
    description: t.description ?? undefined,
    type: 'object',
    properties: t.columns.length === 0 ? undefined : Object.fromEntries(t.columns.map((c) => [c.name, columnSchema(model, t, c)])),
    required: nonEmpty(t.columns.filter((c) => !c.nullable).map((c) => c.name)),
  })

const header = (name: string, description: string, extra: JsonObject = {}): JsonObject => ({
  name,
  description,
  required: false,
  in: 'header',
  type: 'string',
  ...extra,
})

const query = (name: string, description: string): JsonObject => ({ name, description, required: false, in: 'query', type: 'string' })

const preferEnum = (kinds: readonly string[]): JsonObject => {
  const values = kinds.flatMap((k) =>
    k === 'count'
      ? ['count=none']
      : k === 'return'
        ? ['return=representation', 'return=minimal', 'return=none']
        : k === 'resolution'
          ? ['resolution=ignore-duplicates', 'resolution=merge-duplicates']
          : [],
  )
  return header('Prefer', 'Preference', values.length === 0 ? {} : { enum: values })
}

const sharedParameters = (model: ApiModel): JsonObject => {
  const params: JsonObject = {
    preferParams: preferEnum(['params']),
    preferReturn: preferEnum(['return']),
    preferCount: preferEnum(['count']),
    preferPost: preferEnum(['return', 'resolution']),
    select: query('select', 'Filtering Columns'),
    on_conflict: query('on_conflict', 'On Conflict'),
    order: query('order', 'Ordering'),
    range: header('Range', 'Limiting and Pagination'),
    rangeUnit: header('Range-Unit', 'Limiting and Pagination', { default: 'items' }),
    offset: query('offset', 'Limiting and Pagination'),
    limit: query('limit', 'Limiting and Pagination'),
  }
  for (const t of model.tables) {
    params[`body.${t.name}`] = { name: t.name, description: t.name, required: false, in: 'body', schema: { $ref: `#/definitions/${t.name}` } }
    for (const c of t.columns) {
      params[`rowFilter.${t.name}.${c.name}`] = obj({ name: c.name, description: c.description ?? undefined, required: false, in: 'query', type: 'string' })
    }
  }
  return params
}

const ref = (name: string): JsonObject => ({ $ref: `#/parameters/${name}` })

const operationHead = (tags: string[], text: string | null): JsonObject => {
  const d = splitDescription(text)
  return obj({ tags, summary: d?.summary, description: d === null || d.rest === '' ? undefined : d.rest })
}

const tablePath = (t: Table): JsonObject => {
  const head = operationHead([t.name], t.description)
  const rowFilters = t.columns.map((c) => ref(`rowFilter.${t.name}.${c.name}`))
  const get = {
    ...head,
    parameters: [...rowFilters, ...['select', 'order', 'range', 'rangeUnit', 'offset', 'limit', 'preferCount'].map(ref)],
    responses: {
      '200': { description: 'OK', schema: { type: 'array', items: { $ref: `#/definitions/${t.name}` } } },
      '206': { description: 'Partial Content' },
    },
  }
  if (!(t.insertable || t.updatable || t.deletable)) return { get }
  return {
    get,
    post: { ...head, parameters: [ref(`body.${t.name}`), ref('select'), ref('preferPost')], responses: { '201': { description: 'Created' } } },
    patch: { ...head, parameters: [...rowFilters, ref(`body.${t.name}`), ref('preferReturn')], responses: { '204': { description: 'No Content' } } },
    delete: { ...head, parameters: [...rowFilters, ref('preferReturn')], responses: { '204': { description: 'No Content' } } },
  }
}

/** A function parameter in the query string: arrays travel as `{…}` text, variadic ones repeat. */
const routineQueryParam = (model: ApiModel, p: RoutineParam): JsonObject => {
  const type = displayType(p.type, model.visibleSchemas)
  if (p.variadic) {
    return {
      in: 'query',
      name: p.name,
      required: p.required,
      type: jsonType(type) ?? 'string',
      collectionFormat: 'multi',
      items: obj({ type: jsonType(elementType(type)) ?? undefined, format: jsonFormat(elementType(type)) }),
    }
  }
  const t = jsonType(type)
  return { in: 'query', name: p.name, required: p.required, format: jsonFormat(type), type: t === null || t === 'array' ? 'string' : t }
}

/** The JSON body of a function call: one property per parameter. */
export const routineBodySchema = (model: ApiModel, r: Routine): JsonObject => {
  const property = (p: RoutineParam): JsonObject => {
    const type = displayType(p.type, model.visibleSchemas)
    return obj({ type: jsonType(type) ?? undefined, items: arrayItems(type), format: jsonFormat(type) })
  }
  return obj({
    description: r.description ?? undefined,
    type: 'object',
    properties: r.params.length === 0 ? undefined : Object.fromEntries(r.params.map((p) => [p.name, property(p)])),
    required: nonEmpty(r.params.filter((p) => p.required).map((p) => p.name)),
  })
}

const routinePath = (model: ApiModel, r: Routine): JsonObject => {
  const head = {
    ...operationHead([`(rpc) ${r.name}`], r.description),
    produces: ['application/json', SINGULAR_STRIPPED, SINGULAR],
    responses: { '200': { description: 'OK' } },
  }
  const post = { ...head, parameters: [{ name: 'args', required: true, in: 'body', schema: routineBodySchema(model, r) }, ref('preferParams')] }
  if (r.volatility === 'volatile') return { post }
  return { get: { ...head, parameters: r.params.map((p) => routineQueryParam(model, p)) }, post }
}

const ROOT_PATH: JsonObject = {
  get: {
    tags: ['Introspection'],
    summary: 'OpenAPI description (this document)',
    produces: ['application/openapi+json', 'application/json'],
    responses: { '200': { description: 'OK' } },
  },
}

/** `host[:port]` as Swagger wants it (IPv6 in brackets). */
export const hostWithPort = (host: string, port: number): string => `${host.includes(':') ? `[${host}]` : host}:${port}`

export const swagger2Document = (model: ApiModel): JsonObject => {
  const info = splitDescription(model.description)
  const paths: JsonObject = { '/': ROOT_PATH }
  for (const t of model.tables) paths[`/${t.name}`] = tablePath(t)
  for (const r of model.routines) paths[`/rpc/${r.name}`] = routinePath(model, r)
  return obj({
    swagger: '2.0',
    info: {
      version: POSTGREST_VERSION,
      title: info?.summary ?? 'PostgREST API',
      description: info?.rest ?? 'This is a dynamic API generated by PostgREST',
    },
    externalDocs: { description: 'PostgREST Documentation', url: POSTGREST_DOCS_URL },
    host: hostWithPort(model.server.host, model.server.port),
    basePath: model.server.basePath,
    schemes: [model.server.scheme],
    consumes: MIME_LIST,
    produces: MIME_LIST,
    paths,
    definitions: Object.fromEntries(model.tables.map((t) => [t.name, tableDefinition(model, t)])),
    parameters: sharedParameters(model),
    securityDefinitions: model.securityActive
      ? { JWT: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Add the token prepending "Bearer " (without quotes) to it' } }
      : undefined,
    security: model.securityActive ? [{ JWT: [] }] : undefined,
  })
}
