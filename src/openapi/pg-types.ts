/**
 * @module openapi/pg-types: Postgres type names as OpenAPI types and formats, the way PostgREST's
 * OpenAPI output maps them (string by default; json/jsonb untyped; `x[]` an array of x's type), and
 * the column/parameter type names as they appear in the document.
 */

export type JsonType = 'string' | 'boolean' | 'integer' | 'number' | 'array'

/** PostgREST's toSwaggerType: null for json/jsonb (any JSON value). */
export const jsonType = (pgType: string): JsonType | null => {
  switch (pgType) {
    case 'character varying':
    case 'character':
    case 'text':
      return 'string'
    case 'boolean':
      return 'boolean'
    case 'smallint':
    case 'integer':
    case 'bigint':
      return 'integer'
    case 'numeric':
    case 'real':
    case 'double precision':
      return 'number'
    case 'json':
    case 'jsonb':
      return null
    default:
      return pgType.endsWith('[]') ? 'array' : 'string'
  }
}

/** PostgREST's toSwaggerFormat: int32/int64 for the integer types, else the type name itself. */
export const jsonFormat = (pgType: string): string => {
  switch (pgType) {
    case 'smallint':
    case 'integer':
      return 'int32'
    case 'bigint':
      return 'int64'
    default:
      return pgType
  }
}

/** The element type of an array type (`text[]` → `text`). */
export const elementType = (pgType: string): string => (pgType.endsWith('[]') ? pgType.slice(0, -2) : pgType)

/**
 * Splits `schema.name` (either part possibly double-quoted) at its first dot outside quotes;
 * null when the name is not qualified.
 */
const splitQualified = (name: string): { schema: string; rest: string } | null => {
  let quoted = false
  for (let i = 0; i < name.length; i++) {
    const c = name[i]
    if (c === '"') quoted = !quoted
    else if (c === '.' && !quoted) {
      const raw = name.slice(0, i)
      const schema = raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1).replace(/""/g, '"') : raw
      return { schema, rest: name.slice(i + 1) }
    }
  }
  return null
}

/**
 * A type name as the document shows it. The snapshot qualifies every type outside pg_catalog
 * (`api.mood[]`); PostgREST shows them as its connection's search_path does, so types of the
 * exposed schema, the extra search path and public read unqualified (`mood[]`).
 */
export const displayType = (pgType: string, visibleSchemas: readonly string[]): string => {
  const split = splitQualified(pgType)
  return split === null || !visibleSchemas.includes(split.schema) ? pgType : split.rest
}
