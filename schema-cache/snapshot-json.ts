/**
 * @module schema-cache/snapshot-json: the snapshot's fingerprint and its file layout.
 *
 * The fingerprint is a SHA-256 (WebCrypto, so it runs anywhere) over the catalog content of the
 * snapshot — schemas, tables, relationships, routines, representations, media handlers, type info — written
 * as compact JSON in the snapshot's deterministic order. The time of generation and the server
 * version are left out: the same catalog gives the same fingerprint.
 *
 * The "pretty" layout puts one column, relationship, routine, representation or media handler
 * per line, so that a schema change shows up in a diff as the lines it touches. The "compact"
 * layout is the packed encoding, for large schemas where load time matters more than diffs.
 */
import type { SchemaCacheSnapshot } from '../src/schema-cache/types.ts'
import { packSnapshot } from './pack.ts'

export type SnapshotContent = Pick<
  SchemaCacheSnapshot,
  | 'schemas'
  | 'tables'
  | 'relationships'
  | 'routines'
  | 'representations'
  | 'mediaHandlers'
  | 'hiddenRelationshipSources'
  | 'typeInfo'
  | 'settings'
>

export async function fingerprintOf(content: SnapshotContent): Promise<string> {
  const canonical = JSON.stringify([
    content.schemas,
    content.tables,
    content.relationships,
    content.routines,
    content.representations,
    content.mediaHandlers,
    content.hiddenRelationshipSources ?? [],
    // type generation reads it, so a change to it (an enum label, say) makes a snapshot stale too
    content.typeInfo ?? null,
    // Role settings and in-database configuration change behaviour too; left out when absent so
    // that snapshots written before they were read keep their fingerprint.
    ...(content.settings === undefined ? [] : [content.settings]),
  ])
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical))
  let hex = ''
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0')
  return hex
}

const lines = (items: readonly unknown[], indent: string, render: (item: unknown) => string): string =>
  items.length === 0 ? '[]' : `[\n${items.map((i) => indent + render(i)).join(',\n')}\n${indent.slice(2)}]`

/**
 * Serialises a snapshot: `compact` is the packed encoding on one line (smallest and fastest to
 * load, see src/schema-cache/packed.ts); `pretty` is the plain encoding in the diff-friendly layout.
 */
export function formatSnapshot(snapshot: SchemaCacheSnapshot, style: 'pretty' | 'compact'): string {
  if (style === 'compact') return JSON.stringify(packSnapshot(snapshot))
  const j = (v: unknown): string => JSON.stringify(v)
  const table = (t: unknown): string => {
    const { columns, ...rest } = t as SchemaCacheSnapshot['tables'][number]
    const head = Object.entries(rest)
      .map(([k, v]) => `      ${j(k)}: ${j(v)}`)
      .join(',\n')
    return `{\n${head},\n      "columns": ${lines(columns, '        ', j)}\n    }`
  }
  const parts = [
    `  "format": ${j(snapshot.format)}`,
    `  "version": ${j(snapshot.version)}`,
    `  "generatedAt": ${j(snapshot.generatedAt)}`,
    `  "pgVersion": ${j(snapshot.pgVersion)}`,
    `  "schemas": ${j(snapshot.schemas)}`,
    `  "fingerprint": ${j(snapshot.fingerprint)}`,
    `  "tables": ${lines(snapshot.tables, '    ', table)}`,
    `  "relationships": ${lines(snapshot.relationships, '    ', j)}`,
    `  "routines": ${lines(snapshot.routines, '    ', j)}`,
    `  "representations": ${lines(snapshot.representations, '    ', j)}`,
    `  "mediaHandlers": ${lines(snapshot.mediaHandlers, '    ', j)}`,
    `  "hiddenRelationshipSources": ${lines(snapshot.hiddenRelationshipSources ?? [], '    ', j)}`,
  ]
  const info = snapshot.typeInfo
  if (info !== undefined) {
    const infoParts = [
      `    "dbSchemas": ${j(info.dbSchemas)}`,
      `    "types": ${lines(info.types, '      ', j)}`,
      `    "routines": ${lines(info.routines, '      ', j)}`,
      `    "readOnlyColumns": ${lines(info.readOnlyColumns, '      ', j)}`,
    ]
    parts.push(`  "typeInfo": {\n${infoParts.join(',\n')}\n  }`)
  }
  if (snapshot.settings !== undefined) parts.push(`  "settings": ${j(snapshot.settings)}`)
  return `{\n${parts.join(',\n')}\n}\n`
}
