/**
 * The generated schema-cache/queries.ts must carry exactly the text of schema-cache/queries/*.sql
 * (regenerate with `npx tsx schema-cache/build-queries.ts`).
 */
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { queriesModule, renderQueriesModule } from '../../schema-cache/build-queries.ts'
import { queries } from '../../schema-cache/queries.ts'

describe('schema-cache/queries.ts', () => {
  it('is up to date with the .sql files', () => {
    expect(readFileSync(queriesModule, 'utf8')).toBe(renderQueriesModule())
  })

  it('holds one query per file, verbatim', () => {
    expect(Object.keys(queries).sort()).toEqual([
      'computedRelationships', 'constraints', 'dbSettings', 'loginRole', 'mediaHandlers', 'representations', 'roleSettings', 'routines', 'server', 'tables', 'typeInfo', 'views',
    ])
    const sql = readFileSync(new URL('../../schema-cache/queries/tables.sql', import.meta.url), 'utf8')
    expect(queries.tables).toBe(sql)
  })
})
