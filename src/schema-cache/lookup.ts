/**
 * @module schema-cache/lookup: small read helpers over a loaded `SchemaCache`, so callers do not
 * build map keys by hand.
 */
import type {
  Column,
  DataRepresentation,
  MediaHandler,
  QualifiedIdentifier,
  Relationship,
  Routine,
  SchemaCache,
  Table,
} from './types.ts'
import { qiKey } from './types.ts'

const none: readonly never[] = Object.freeze([])

export const findTable = (cache: SchemaCache, schema: string, name: string): Table | undefined =>
  cache.tables.get(qiKey({ schema, name }))

export const findColumn = (cache: SchemaCache, table: QualifiedIdentifier, column: string): Column | undefined =>
  cache.columns.get(qiKey(table))?.get(column)

/** The tables, views, materialized views, foreign and partitioned tables of one schema. */
export const tablesInSchema = (cache: SchemaCache, schema: string): Table[] =>
  cache.snapshot.tables.filter((t) => t.schema === schema)

/** Every relationship whose source is `table`, in PostgREST's order. */
export const relationshipsFrom = (cache: SchemaCache, table: QualifiedIdentifier): readonly Relationship[] =>
  cache.relationships.get(qiKey(table)) ?? none

/**
 * The relationships PostgREST considers when embedding from `table` in `schema`: those towards
 * that schema (for a computed relationship, the schema of its function).
 */
export const relationshipsFromInSchema = (
  cache: SchemaCache,
  table: QualifiedIdentifier,
  schema: string,
): Relationship[] =>
  relationshipsFrom(cache, table).filter((r) => (r.kind === 'fk' ? r.foreignTable.schema : r.function.schema) === schema)

/** The overloads of a function, fewest parameters first. */
export const findRoutines = (cache: SchemaCache, schema: string, name: string): readonly Routine[] =>
  cache.routines.get(qiKey({ schema, name })) ?? none

/** Key of `SchemaCache.representations`. */
export const representationKey = (sourceType: string, targetType: string): string => `${sourceType}\u0000${targetType}`

/** The cast function turning `sourceType` into `targetType` (e.g. a domain into `json`), if any. */
export const findRepresentation = (
  cache: SchemaCache,
  sourceType: string,
  targetType: string,
): DataRepresentation | undefined => cache.representations.get(representationKey(sourceType, targetType))

/**
 * The custom handler for a relation (or a function, for handlers of kind "domain applied to a
 * function's result") and a media type; `relation` null looks up the handlers for any element.
 * `mediaType` is compared in lower case, as the snapshot stores it.
 */
export function findMediaHandler(
  cache: SchemaCache,
  relation: QualifiedIdentifier | null,
  mediaType: string,
): MediaHandler | undefined {
  const mt = mediaType.toLowerCase()
  return cache.mediaHandlers.find(
    (h) =>
      h.mediaType === mt &&
      (relation === null
        ? h.relation === null
        : h.relation !== null && h.relation.schema === relation.schema && h.relation.name === relation.name),
  )
}
