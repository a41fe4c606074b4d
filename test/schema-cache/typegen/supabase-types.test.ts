/**
 * Generated types against the real client: types are generated from the fixtures' snapshots (the
 * `typegen` schema of test/fixtures/85-typegen.sql introspected here, and the read specs' snapshot
 * the global setup provides), then files of supabase-js queries (`createClient<Database>`, from,
 * select with embeds, insert, update, upsert, rpc) are type-checked with the TypeScript compiler
 * API: the correct ones must compile cleanly, the wrong ones must fail with exactly the expected
 * errors, at the expected places.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { introspectUrl } from '../../../schema-cache/from-url.ts'
import { generateTypes } from '../../../schema-cache/typegen/generate.ts'
import { loadSchemaCacheOrThrow } from '../../../src/schema-cache/load.ts'
import type { SchemaCacheSnapshot } from '../../../src/schema-cache/types.ts'
import { stackUrls } from '../../helpers/stack.ts'
import { SPEC_CLEAN, TYPEGEN_CLEAN, TYPEGEN_READ_ONLY, TYPEGEN_WRONG } from './client-files.ts'
import { typecheck } from './typecheck.ts'

const typesOf = (snapshot: SchemaCacheSnapshot): string => {
  const result = generateTypes(snapshot)
  if (!result.ok) throw new Error(result.error)
  return result.value
}

let typegenTypes: string
beforeAll(async () => {
  typegenTypes = typesOf(await introspectUrl(stackUrls().authUrl, { schemas: ['typegen'], extraSearchPath: ['public'] }))
})

/** Line and column (1-based) of `token` on the line of `source` that carries the comment `marker`. */
const at = (source: string, marker: string, token: string): { line: number; column: number } => {
  const lines = source.split('\n')
  const index = lines.findIndex((l) => l.endsWith(`// ${marker}`))
  const column = (lines[index] ?? '').indexOf(token)
  if (index < 0 || column < 0) throw new Error(`no line marked ${marker} with ${token}`)
  return { line: index + 1, column: column + 1 }
}

/** The diagnostics of `queries.ts` checked next to `database.ts`, without their message. */
const check = (types: string, queries: string) => typecheck({ 'database.ts': types, 'queries.ts': queries })

describe('types of the typegen fixture schema', () => {
  it('compile cleanly, on their own and with correct supabase-js queries', () => {
    expect(check(typegenTypes, TYPEGEN_CLEAN)).toEqual([])
  })

  it('reject a wrong column, a wrong row type and a missing required insert column, and only those', () => {
    const errors = check(typegenTypes, TYPEGEN_WRONG)
    expect(errors.map(({ file, line, column, code }) => ({ file, line, column, code }))).toEqual([
      // Object literal may only specify known properties (… Did you mean to write 'title'?)
      { file: 'queries.ts', ...at(TYPEGEN_WRONG, 'wrong column', 'titel'), code: 2561 },
      // Type 'string' is not assignable to type 'number'
      { file: 'queries.ts', ...at(TYPEGEN_WRONG, 'wrong row type', 'title:'), code: 2322 },
      // Argument of type '{ author_id: number; }' is not assignable to parameter of type …
      { file: 'queries.ts', ...at(TYPEGEN_WRONG, 'missing required column', '{ author_id'), code: 2345 },
    ])
    const [column, rowType, missing] = errors.map((e) => e.message)
    expect(column).toMatch(/^Object literal may only specify known properties, but 'titel' does not exist in type .*Did you mean to write 'title'\?$/s)
    expect(rowType).toBe("Type 'string' is not assignable to type 'number'.")
    expect(missing).toMatch(/^Argument of type '\{ author_id: number; \}' is not assignable to parameter of type /)
    expect(missing).toContain("Property 'title' is missing in type '{ author_id: number; }' but required in type")
  })

  it('reject values for the columns only the database writes, and an argument outside an enum', () => {
    const errors = check(typegenTypes, TYPEGEN_READ_ONLY)
    expect(errors.map(({ line, column, code }) => ({ line, column, code }))).toEqual([
      { ...at(TYPEGEN_READ_ONLY, 'generated column', 'title_length'), code: 2322 },
      { ...at(TYPEGEN_READ_ONLY, 'identity column', 'id:'), code: 2322 },
      { ...at(TYPEGEN_READ_ONLY, 'computed view column', 'shout'), code: 2322 },
      { ...at(TYPEGEN_READ_ONLY, 'not a label of the enum', 'wanted'), code: 2322 },
    ])
    const messages = errors.map((e) => e.message.split('\n')[0])
    expect(messages.slice(0, 3)).toEqual([
      "Type 'number' is not assignable to type 'undefined'.",
      "Type 'number' is not assignable to type 'undefined'.",
      "Type 'string' is not assignable to type 'undefined'.",
    ])
    expect(messages[3]).toBe(`Type '"deleted"' is not assignable to type '"draft" | "published" | "archived"'.`)
  })
})

describe('types of the read specs snapshot (provided by the global setup)', () => {
  it('compile with queries over several schemas, embeds through a junction and a one-to-one', () => {
    const snapshot = loadSchemaCacheOrThrow(JSON.parse(inject('schemaCacheJson'))).snapshot
    expect(check(typesOf(snapshot), SPEC_CLEAN)).toEqual([])
  })
})
