/**
 * @module openapi/openapi31: beyond PostgREST (its issue #932), the same API as an OpenAPI 3.1
 * document, served at `/` for `Accept: application/vnd.oai.openapi+json;version=3.1`.
 *
 * Compared with the Swagger 2.0 document: JSON Schema 2020-12 types (a nullable column is
 * `type: [T, "null"]`, json/jsonb any value, date/time/uuid formats), request bodies per media type
 * (a JSON object or array, form fields, CSV), response bodies per media type (array, singular
 * object, CSV), the error body, `Content-Range`/`Location` headers, the JWT bearer security scheme,
 * and the PostgREST query grammar — horizontal filters with their operators, `select`, `order`,
 * `limit`/`offset`, `Range`, `Prefer`, `on_conflict`, `columns` — as documented parameters.
 */
import type { Column, Routine, RoutineParam, Table } from '../schema-cache/types.ts'
import type { ApiModel } from './model.ts'
import { obj, POSTGREST_DOCS_URL, POSTGREST_VERSION, splitDescription, type Json, type JsonObject } from './model.ts'
import { columnDefault, columnDescription, hostWithPort, SINGULAR, SINGULAR_STRIPPED } from './swagger2.ts'
import { displayType, elementType } from './pg-types.ts'


/** JSON Schema 2020-12 for a Postgres type (element types of arrays included). */
export const typeSchema = (pgType: string): JsonObject => {
  if (pgType.endsWith('[]')) return { type: 'array', items: typeSchema(elementType(pgType)) }
  switch (pgType) {
    case 'smallint':
    case 'integer':
      return { type: 'integer', format: 'int32' }
    case 'bigint':
      return { type: 'integer', format: 'int64' }
    case 'real':
      return { type: 'number', format: 'float' }
    case 'double precision':
      return { type: 'number', format: 'double' }
    case 'numeric':
      return { type: 'number' }
    case 'boolean':
      return { type: 'boolean' }
    case 'json':
    case 'jsonb':
      // Any JSON value.
      return {}
    case 'uuid':
      return { type: 'string', format: 'uuid' }
    case 'date':
      return { type: 'string', format: 'date' }
    case 'timestamp with time zone':
    case 'timestamp without time zone':
      return { type: 'string', format: 'date-time' }
    case 'time with time zone':
    case 'time without time zone':
      return { type: 'string', format: 'time' }
    default:
      return { type: 'string' }
  }
}

/** `type: T` → `type: [T, "null"]`; an untyped schema already admits null. */
const orNull = (s: JsonObject): JsonObject => {
  const t = s['type']
  if (t === undefined) return s
  const withNull: JsonObject = { ...s, type: [t as Json, 'null'] }
  const e = s['enum']
  if (Array.isArray(e)) withNull['enum'] = [...e, null]
  return withNull
}

const columnSchema = (model: ApiModel, table: Table, col: Column): JsonObject => {
  const type = displayType(col.type, model.visibleSchemas)
  const base: JsonObject = { ...typeSchema(col.type), ...(col.enum.length > 0 ? { type: 'string', enum: [...col.enum] } : {}) }
  const s = obj({
    ...base,
    maxLength: col.maxLen ?? undefined,
    description: columnDescription(model, table, col),
    default: columnDefault(col),
    // The Postgres type, for readers that care (the JSON type alone loses it).
    'x-pg-type': type,
  })
  return col.nullable ? orNull(s) : s
}

const rowSchema = (model: ApiModel, t: Table): JsonObject =>
  obj({
    type: 'object',
    description: t.description ?? undefined,
    properties: Object.fromEntries(t.columns.map((c) => [c.name, columnSchema(model, t, c)])),
    required: t.columns.some((c) => !c.nullable) ? t.columns.filter((c) => !c.nullable).map((c) => c.name) : undefined,
  })

/** A POST body: columns without a default that cannot be NULL must be given. */
const insertSchema = (t: Table): JsonObject => {
  const required = t.columns.filter((c) => !c.nullable && c.default === null).map((c) => c.name)
  return obj({
    type: 'object',
    properties: Object.fromEntries(t.columns.map((c) => [c.name, { $ref: `#/components/schemas/${componentName(t.name)}/properties/${pointer(c.name)}` }])),
    required: required.length > 0 ? required : undefined,
    additionalProperties: false,
  })
}

/** JSON Pointer escaping of a reference token (RFC 6901), then URI fragment escaping. */
const pointer = (token: string): string => encodeURIComponent(token.replace(/~/g, '~0').replace(/\//g, '~1'))

/**
 * A component name from Postgres names: OpenAPI 3 allows only `[A-Za-z0-9._-]` there. Letters,
 * digits and `_` stay; every other character becomes `-hex-` (`Weird Names` → `Weird-20-Names`)
 * and `-` becomes `--`, so distinct names stay distinct; `.` is kept free to join parts
 * (`rowFilter.table.column`, `table.insert`).
 */
export const componentName = (...parts: string[]): string =>
  parts.map((p) => p.replace(/[^A-Za-z0-9_]/gu, (c) => (c === '-' ? '--' : `-${(c.codePointAt(0) ?? 0).toString(16)}-`))).join('.')

const schemaRef = (...parts: string[]): JsonObject => ({ $ref: `#/components/schemas/${componentName(...parts)}` })
/** The shared parameters have fixed names; row filters are `rowFilter.table.column`. */
const paramRef = (name: string): JsonObject => ({ $ref: `#/components/parameters/${name}` })
const filterRef = (table: string, column: string): JsonObject => paramRef(componentName('rowFilter', table, column))

const FILTER_OPERATORS =
  'eq|neq|gt|gte|lt|lte|like|ilike|match|imatch|in|is|isdistinct|fts|plfts|phfts|wfts|cs|cd|ov|sl|sr|nxr|nxl|adj'

/** Names with a dot, which table names (escaped by componentName) never have: no table can collide with them. */
const ERROR_SCHEMA_NAME = 'PostgREST.Error'
const FILTER_SCHEMA_NAME = 'PostgREST.Filter'

/** The grammar of a horizontal filter's value, described once and referenced by every column's filter. */
const FILTER_SCHEMA: JsonObject = {
  type: 'string',
  description:
    'An operator, a dot and a value: `eq.1`, `in.(1,2)`, `is.null`, `like.*abc*`, `not.eq.1`; `(any)`/`(all)` after ' +
    'eq/like/ilike/gt/gte/lt/lte/match/imatch take a list (`like(any).{a*,b*}`); fts/plfts/phfts/wfts take a language (`fts(english).cat`).',
  // An optional `(any)`/`(all)` quantifier or `(language)` of full-text search.
  pattern: `^(not\\.)?(${FILTER_OPERATORS})(\\([A-Za-z0-9_]+\\))?\\.`,
}

/** A horizontal filter on a column: `col=op.value` in PostgREST's grammar. */
const rowFilter = (col: Column, type: string): JsonObject => ({
  name: col.name,
  in: 'query',
  required: false,
  description: `Filter on \`${col.name}\` (${type})${col.description === null ? '' : `: ${col.description}`}.`,
  schema: { $ref: `#/components/schemas/${FILTER_SCHEMA_NAME}` },
})

const ERROR_SCHEMA: JsonObject = {
  type: 'object',
  description: "PostgREST's error body.",
  properties: {
    code: { type: 'string', description: 'A PostgREST code (PGRSTnnn) or a PostgreSQL SQLSTATE.' },
    message: { type: 'string' },
    details: { type: ['string', 'null'] },
    hint: { type: ['string', 'null'] },
  },
  required: ['code', 'message'],
}

const preferParam = (description: string, values: readonly string[]): JsonObject => ({
  name: 'Prefer',
  in: 'header',
  required: false,
  description: `${description} Common values: ${values.map((v) => `\`${v}\``).join(', ')}.`,
  schema: { type: 'string' },
})

/**
 * An optional query parameter. No `example`: tools such as Swagger UI fill examples in when trying
 * an operation out, and an example filter or select would change the answer.
 */
const queryParam = (name: string, description: string, schema: JsonObject): JsonObject => ({ name, in: 'query', required: false, description, schema })

const SHARED_PARAMETERS: JsonObject = {
  select: queryParam(
    'select',
    'Columns to return, renamed (`alias:col`), cast (`col::text`), JSON paths (`data->a->>b`), embedded resources (`rel(col,…)`, `rel!hint!inner(*)`), spreads (`...rel(col)`), aggregates (`col.sum()`); e.g. `id,name,rel(*)`.',
    { type: 'string' },
  ),
  order: queryParam('order', 'Ordering: `col.asc|desc.nullsfirst|nullslast`, several comma separated, `rel(col)` for a to-one embed; e.g. `id.desc`.', { type: 'string' }),
  limit: queryParam('limit', 'At most this many rows (`rel.limit` inside an embed).', { type: 'integer', minimum: 0 }),
  offset: queryParam('offset', 'Skip this many rows.', { type: 'integer', minimum: 0 }),
  or: queryParam('or', 'A disjunction of filters: `(a.eq.1,b.gt.2,and(c.lt.3,d.is.null))`; `and` and `not.or` likewise.', { type: 'string' }),
  and: queryParam('and', 'A conjunction of filters: `(a.eq.1,b.gt.2)`.', { type: 'string' }),
  on_conflict: queryParam('on_conflict', 'Columns of the unique key an upsert (`Prefer: resolution=…`) conflicts on.', { type: 'string' }),
  columns: queryParam('columns', 'Take only these payload keys (the others are ignored).', { type: 'string' }),
  range: { name: 'Range', in: 'header', required: false, description: 'Rows `first-last`, zero based (`Range-Unit: items`); e.g. `0-24`.', schema: { type: 'string', pattern: '^[0-9]+-[0-9]*$' } },
  rangeUnit: obj({ name: 'Range-Unit', in: 'header', required: false, schema: { type: 'string', default: 'items' } }),
  preferRead: preferParam('Counting and time zone: `count=exact|planned|estimated`, `timezone=…`, `handling=strict|lenient`.', ['count=exact', 'count=planned', 'count=estimated']),
  preferWrite: preferParam(
    'What a write answers and how: `return=minimal|headers-only|representation`, `count=exact`, `tx=commit|rollback`, `max-affected=n` with `handling=strict`.',
    ['return=representation', 'return=minimal', 'return=headers-only'],
  ),
  preferPost: preferParam(
    'As for other writes, plus upserts `resolution=merge-duplicates|ignore-duplicates` and `missing=default`.',
    ['return=representation', 'resolution=merge-duplicates', 'resolution=ignore-duplicates', 'missing=default'],
  ),
  preferCall: preferParam('For a function call: `return=…`, `count=…`, `tx=…`, `max-affected=n` with `handling=strict`.', ['count=exact']),
  acceptProfile: obj({ name: 'Accept-Profile', in: 'header', required: false, description: 'The schema to read from, when several are exposed.', schema: { type: 'string' } }),
  contentProfile: obj({ name: 'Content-Profile', in: 'header', required: false, description: 'The schema to write to, when several are exposed.', schema: { type: 'string' } }),
}

/*
 * What every table's operations share lives once in `components` and is referenced: a schema of a
 * few thousand tables stays a document of a few megabytes. A Reference Object's own
 * `description` (allowed in 3.1) overrides the referenced response's.
 */
const HEADERS: JsonObject = {
  'Content-Range': { description: '`first-last/total` of the rows answered (total `*` unless counted).', schema: { type: 'string' } },
  Location: { description: 'The new row, by its primary key (`/table?pk=eq.value`).', schema: { type: 'string' } },
}
const ERROR_RESPONSE = 'PostgREST.Error'
const NO_CONTENT = 'PostgREST.NoContent'
const SHARED_RESPONSES: JsonObject = {
  [ERROR_RESPONSE]: {
    description: "An error, in PostgREST's body (see its error codes).",
    content: { 'application/json': { schema: { $ref: `#/components/schemas/${ERROR_SCHEMA_NAME}` } } },
  },
  [NO_CONTENT]: { description: 'No Content' },
}
const responseRef = (name: string, description?: string): JsonObject => obj({ $ref: `#/components/responses/${name}`, description })
const headerRef = (name: string): JsonObject => ({ $ref: `#/components/headers/${name}` })
const errorResponse = responseRef(ERROR_RESPONSE)

/** Successful reads: an array, a singular object, or CSV. */
const rowsContent = (item: JsonObject): JsonObject => ({
  'application/json': { schema: { type: 'array', items: item } },
  [SINGULAR]: { schema: item },
  'text/csv': { schema: { type: 'string' } },
})

/** A table's rows as a response (`components.responses`), shared by all its operations. */
const rowsResponse = (t: Table): JsonObject => ({
  description: `Rows of ${t.name}`,
  headers: { 'Content-Range': headerRef('Content-Range') },
  content: rowsContent(schemaRef(t.name)),
})

const tablePath = (t: Table): JsonObject => {
  const d = splitDescription(t.description)
  const head = obj({ tags: [t.name], summary: d?.summary, description: d === null || d.rest === '' ? undefined : d.rest })
  const filters = t.columns.map((c) => filterRef(t.name, c.name))
  const row = schemaRef(t.name)
  const rows = componentName(t.name, 'rows')
  const get = {
    ...head,
    operationId: `${t.name}.get`,
    parameters: [...filters, ...['select', 'order', 'limit', 'offset', 'or', 'and', 'range', 'rangeUnit', 'preferRead', 'acceptProfile'].map(paramRef)],
    responses: { '200': responseRef(rows, 'OK'), '206': responseRef(rows, 'Partial Content'), default: errorResponse },
  }
  const path: JsonObject = { get }
  const written = responseRef(rows, 'The written rows (`Prefer: return=representation`).')
  const none = responseRef(NO_CONTENT)
  if (t.insertable) {
    const insert = schemaRef(t.name, 'insert')
    path['post'] = {
      ...head,
      operationId: `${t.name}.post`,
      parameters: ['select', 'columns', 'on_conflict', 'preferPost', 'contentProfile'].map(paramRef),
      requestBody: {
        required: true,
        content: {
          'application/json': { schema: { oneOf: [insert, { type: 'array', items: insert }] } },
          'application/x-www-form-urlencoded': { schema: insert },
          'text/csv': { schema: { type: 'string' } },
        },
      },
      responses: {
        // Created: the written rows when asked for, Location for a table with a primary key.
        '201': { description: 'Created', headers: { Location: headerRef('Location'), 'Content-Range': headerRef('Content-Range') }, content: rowsContent(row) },
        '200': responseRef(rows, 'Upserted without inserting'),
        default: errorResponse,
      },
    }
  }
  if (t.updatable) {
    path['patch'] = {
      ...head,
      operationId: `${t.name}.patch`,
      parameters: [...filters, ...['select', 'columns', 'preferWrite', 'contentProfile'].map(paramRef)],
      requestBody: { required: true, content: { 'application/json': { schema: row }, 'application/x-www-form-urlencoded': { schema: row } } },
      responses: { '200': written, '204': none, default: errorResponse },
    }
  }
  if (t.insertable && t.updatable && t.pkCols.length > 0) {
    path['put'] = {
      ...head,
      operationId: `${t.name}.put`,
      description: 'Insert or replace the one row the primary-key filters (`pk=eq.value`) name.',
      parameters: [...t.pkCols.map((c) => filterRef(t.name, c)), ...['select', 'preferWrite', 'contentProfile'].map(paramRef)],
      requestBody: { required: true, content: { 'application/json': { schema: row } } },
      responses: { '200': written, '201': responseRef(rows, 'Created'), '204': none, default: errorResponse },
    }
  }
  if (t.deletable) {
    path['delete'] = {
      ...head,
      operationId: `${t.name}.delete`,
      parameters: [...filters, ...['select', 'preferWrite', 'contentProfile'].map(paramRef)],
      responses: { '200': written, '204': none, default: errorResponse },
    }
  }
  return path
}

const paramSchema = (model: ApiModel, p: RoutineParam): JsonObject => {
  const type = displayType(p.type, model.visibleSchemas)
  return { ...typeSchema(p.type), 'x-pg-type': type }
}

/** pg_catalog type names (pg_type.typname) as format_type spells them, for the return types. */
const TYPNAMES: Readonly<Record<string, string>> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  timestamptz: 'timestamp with time zone',
  timestamp: 'timestamp without time zone',
  timetz: 'time with time zone',
  time: 'time without time zone',
}

/** What a function returns, as JSON Schema (a row type is its table's schema when exposed). */
const returnSchema = (model: ApiModel, r: Routine): JsonObject => {
  const t = r.returnType.type
  const exposed = t.kind === 'composite' && model.tables.some((x) => x.schema === t.qi.schema && x.name === t.qi.name)
  const one: JsonObject = exposed ? schemaRef(t.qi.name) : t.kind === 'composite' ? { type: 'object' } : typeSchema(t.qi.schema === 'pg_catalog' ? (TYPNAMES[t.qi.name] ?? t.qi.name) : 'text')
  return r.returnType.kind === 'setOf' ? { type: 'array', items: one } : one
}

const routinePath = (model: ApiModel, r: Routine): JsonObject => {
  const d = splitDescription(r.description)
  const head = obj({ tags: [`(rpc) ${r.name}`], summary: d?.summary, description: d === null || d.rest === '' ? undefined : d.rest })
  const isVoid = r.returnType.type.qi.schema === 'pg_catalog' && r.returnType.type.qi.name === 'void'
  const content = {
    'application/json': { schema: returnSchema(model, r) },
    [SINGULAR]: { schema: r.returnType.kind === 'setOf' ? (returnSchema(model, r)['items'] as Json) : returnSchema(model, r) },
    [SINGULAR_STRIPPED]: { schema: {} },
  }
  const responses: JsonObject = isVoid ? { '204': responseRef(NO_CONTENT), default: errorResponse } : { '200': { description: 'OK', content }, default: errorResponse }
  const unnamed = r.params.length === 1 && r.params[0]?.name === ''
  const body: JsonObject = unnamed
    ? { required: true, content: { 'application/json': { schema: {} }, 'text/plain': { schema: { type: 'string' } }, 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }
    : {
        required: r.params.some((p) => p.required),
        content: {
          'application/json': {
            schema: obj({
              type: 'object',
              properties: Object.fromEntries(r.params.map((p) => [p.name, paramSchema(model, p)])),
              required: r.params.some((p) => p.required) ? r.params.filter((p) => p.required).map((p) => p.name) : undefined,
            }),
          },
        },
      }
  const post = { ...head, operationId: `rpc.${r.name}.post`, parameters: ['preferCall', 'contentProfile'].map(paramRef), requestBody: body, responses }
  if (r.volatility === 'volatile') return { post }
  const args = unnamed
    ? []
    : r.params.map((p) =>
        obj({
          name: p.name,
          in: 'query',
          required: p.required,
          // Arrays in the query string are Postgres array literals (`{1,2}`); a variadic parameter repeats.
          schema: p.variadic ? { type: 'array', items: typeSchema(elementType(p.type)) } : p.type.endsWith('[]') ? { type: 'string' } : paramSchema(model, p),
          explode: p.variadic ? true : undefined,
        }),
      )
  const get = { ...head, operationId: `rpc.${r.name}.get`, parameters: [...args, ...['select', 'order', 'limit', 'offset', 'preferRead', 'acceptProfile'].map(paramRef)], responses }
  return { get, post }
}

export const openApi31Document = (model: ApiModel): JsonObject => {
  const info = splitDescription(model.description)
  const parameters: JsonObject = { ...SHARED_PARAMETERS }
  const schemas: JsonObject = { [ERROR_SCHEMA_NAME]: ERROR_SCHEMA, [FILTER_SCHEMA_NAME]: FILTER_SCHEMA }
  const responses: JsonObject = { ...SHARED_RESPONSES }
  for (const t of model.tables) {
    schemas[componentName(t.name)] = rowSchema(model, t)
    responses[componentName(t.name, 'rows')] = rowsResponse(t)
    if (t.insertable) schemas[componentName(t.name, 'insert')] = insertSchema(t)
    for (const c of t.columns) parameters[componentName('rowFilter', t.name, c.name)] = rowFilter(c, displayType(c.type, model.visibleSchemas))
  }
  const paths: JsonObject = {
    '/': {
      get: {
        tags: ['Introspection'],
        summary: 'OpenAPI description (this document)',
        operationId: 'openapi.get',
        responses: {
          '200': {
            description: 'OK',
            content: { 'application/vnd.oai.openapi+json;version=3.1': { schema: { type: 'object' } }, 'application/openapi+json': { schema: { type: 'object' } } },
          },
        },
      },
    },
  }
  for (const t of model.tables) paths[`/${t.name}`] = tablePath(t)
  for (const r of model.routines) paths[`/rpc/${r.name}`] = routinePath(model, r)
  const base = model.server.basePath === '/' ? '' : model.server.basePath
  return {
    openapi: '3.1.0',
    info: {
      title: info?.summary ?? 'PostgREST API',
      description: info?.rest ?? 'This is a dynamic API generated by PostgREST',
      version: POSTGREST_VERSION,
    },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: `${model.server.scheme}://${hostWithPort(model.server.host, model.server.port)}${base}` }],
    externalDocs: { description: 'PostgREST Documentation', url: POSTGREST_DOCS_URL },
    paths,
    components: {
      schemas,
      responses,
      headers: HEADERS,
      parameters,
      securitySchemes: {
        JWT: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT signed with the API\'s secret; its role claim picks the database role. Without it, requests run as the anonymous role.' },
      },
    },
    // The token is optional: without one a request runs as the anonymous role.
    security: [{ JWT: [] }, {}],
  }
}
