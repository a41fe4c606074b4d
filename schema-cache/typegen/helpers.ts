/**
 * @module schema-cache/typegen/helpers: the helper types and constants generated next to
 * `Database`, with the names and usage the Supabase CLI's files have, so code written against
 * those keeps compiling: `Tables<"films">` (a table's or view's row), `TablesInsert<"films">`,
 * `TablesUpdate<"films">`, `Enums<"mood">`, `CompositeTypes<"address">`, each also as
 * `X<{ schema: "other" }, "name">` for another exposed schema, and `Constants` with every enum's
 * labels as values. The default schema is the first of db-schemas, the one PostgREST serves
 * without a profile header (the CLI's is always `public`).
 */
import type { TypeInfo } from '../../src/schema-cache/types.ts'
import { key } from './ts-type.ts'

export const JSON_TYPE = 'export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]\n'

/**
 * One helper: `Name<NameOrSchema, InSchema>` picks `Part` of an entry of `sections` of the default
 * schema by name, or of `{ schema }` by the second argument. `Part` null: the entry itself.
 */
function helper(name: string, sections: readonly string[], part: string | null): string {
  const entries = (schema: string): string => {
    const parts = sections.map((s) => `${schema}[${JSON.stringify(s)}]`)
    return parts.length === 1 ? (parts[0] as string) : `(${parts.join(' & ')})`
  }
  const pick = (entry: string): string => (part === null ? entry : `${entry} extends { ${part}: infer P } ? P : never`)
  return [
    `export type ${name}<`,
    `  NameOrSchema extends keyof ${entries('DefaultSchema')} | { schema: SchemaName },`,
    `  InSchema extends NameOrSchema extends { schema: SchemaName } ? keyof ${entries('Schemas[NameOrSchema["schema"]]')} : never = never,`,
    `> = NameOrSchema extends { schema: SchemaName }`,
    `  ? ${pick(`${entries('Schemas[NameOrSchema["schema"]]')}[InSchema]`)}`,
    `  : NameOrSchema extends keyof ${entries('DefaultSchema')}`,
    `    ? ${pick(`${entries('DefaultSchema')}[NameOrSchema]`)}`,
    `    : never`,
    '',
  ].join('\n')
}

/** The helper types; `Database` must be declared in the same module. */
export function helperTypes(info: TypeInfo): string {
  const defaultSchema = info.dbSchemas[0] ?? ''
  return [
    `type Schemas = Omit<Database, "__InternalSupabase">`,
    `type SchemaName = keyof Schemas`,
    `type DefaultSchema = Schemas[${JSON.stringify(defaultSchema)}]`,
    '',
    helper('Tables', ['Tables', 'Views'], 'Row'),
    helper('TablesInsert', ['Tables'], 'Insert'),
    helper('TablesUpdate', ['Tables'], 'Update'),
    helper('Enums', ['Enums'], null),
    helper('CompositeTypes', ['CompositeTypes'], null),
  ].join('\n')
}

/** `export const Constants = { schema: { Enums: { name: [labels] } } } as const`. */
export function constants(info: TypeInfo): string {
  const schemas = info.dbSchemas.map((schema) => {
    const enums = info.types.flatMap((t) =>
      t.kind === 'enum' && t.schema === schema ? [`      ${key(t.name)}: [${t.labels.map((l) => JSON.stringify(l)).join(', ')}],`] : [],
    )
    const body = enums.length === 0 ? '{}' : `{\n${enums.join('\n')}\n    }`
    return `  ${key(schema)}: {\n    Enums: ${body},\n  },`
  })
  return `export const Constants = {\n${schemas.join('\n')}\n} as const\n`
}
