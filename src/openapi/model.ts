/**
 * @module openapi/model: what the OpenAPI documents are built from — the schema cache's view of
 * one schema, narrowed to what the request's role may see, plus where the API is served. Pure
 * data; the builders (swagger2.ts, openapi31.ts) are pure functions of it.
 */
import type { Relationship, Routine, Table } from '../schema-cache/types.ts'

export interface ServerLocation {
  /** `http` or `https`. */
  readonly scheme: string
  /** Host name or IP (IPv6 without brackets). */
  readonly host: string
  readonly port: number
  /** Path prefix of the API, `/` when none. */
  readonly basePath: string
}

export interface ApiModel {
  /** The schema the document describes (db-schemas' first, or Accept-Profile's). */
  readonly schema: string
  /** Relations in the document, by name. */
  readonly tables: readonly Table[]
  /** Functions in the document; overloads share a path, the last one wins (as in PostgREST). */
  readonly routines: readonly Routine[]
  /** Relationships from a table into the schema (for the foreign-key notes). */
  readonly relationshipsOf: (table: Table) => readonly Relationship[]
  /** The schema's COMMENT: its first line is the title, the rest the description. */
  readonly description: string | null
  readonly server: ServerLocation
  /** PGRST_OPENAPI_SECURITY_ACTIVE: document the JWT bearer scheme. */
  readonly securityActive: boolean
  /**
   * Schemas whose type names are shown unqualified (the exposed schema, the extra search path,
   * public), as they appear to PostgREST through its connection's search_path.
   */
  readonly visibleSchemas: readonly string[]
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
export type JsonObject = { [key: string]: Json }

/** An object without its undefined members (the documents leave absent fields out). */
export const obj = (entries: Record<string, Json | undefined>): JsonObject => {
  const out: JsonObject = {}
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) out[k] = v
  return out
}

/** PostgREST's version line and the documentation its documents link to. */
export const POSTGREST_VERSION = '16.2'
export const POSTGREST_DOCS_URL = 'https://postgrest.org/en/v16/references/api.html'

/**
 * A description's first line is the summary (or title), the rest — leading line breaks dropped,
 * '' when there is none — the description (PostgREST's breakOn "\n").
 */
export const splitDescription = (text: string | null): { summary: string; rest: string } | null => {
  if (text === null) return null
  const nl = text.indexOf('\n')
  return nl === -1 ? { summary: text, rest: '' } : { summary: text.slice(0, nl), rest: text.slice(nl).replace(/^\n+/, '') }
}
