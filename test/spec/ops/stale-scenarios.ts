/**
 * @module test/spec/ops/stale-scenarios: PGRST205 for a table the database has but the snapshot
 * does not: the hint says the schema cache is stale and how to rebuild it.
 */
import { expect } from 'vitest'
import type { OpsScenario } from './target.ts'
import { unique } from './target.ts'

export const staleScenarios: OpsScenario[] = [
  {
    name: "PGRST205 for a table created after the snapshot: the hint says it is stale and how to rebuild it",
    run: async (t) => {
      const late = unique('late')
      const { generatedAt } = JSON.parse(t.snapshotJson) as { generatedAt: string }
      await t.admin(`CREATE TABLE ops.${late} (id int); GRANT SELECT ON ops.${late} TO anonymous`)
      try {
        const res = await t.send(new Request(`http://localhost/${late}`))
        expect([res.status, await res.json()]).toEqual([
          404,
          {
            code: 'PGRST205',
            details: null,
            hint:
              `The table exists in the database but not in the schema cache, built at ${generatedAt}: the schema cache is stale. ` +
              "Rebuild the snapshot (npx edgerest-schema-cache) and deploy it again, or reload the Node server's schema cache (NOTIFY pgrst, 'reload schema')",
            message: `Could not find the table 'ops.${late}' in the schema cache`,
          },
        ])
      } finally {
        await t.admin(`DROP TABLE ops.${late}`)
      }
    },
  },
  {
    name: 'PGRST205 for a table the database does not have either: PostgREST hint, nothing about staleness',
    run: async (t) => {
      const res = await t.send(new Request('http://localhost/itemz'))
      expect([res.status, await res.json()]).toEqual([
        404,
        { code: 'PGRST205', details: null, hint: "Perhaps you meant the table 'ops.items'", message: "Could not find the table 'ops.itemz' in the schema cache" },
      ])
      const none = await t.send(new Request(`http://localhost/${unique('never')}`))
      expect(((await none.json()) as { hint: unknown }).hint).toBeNull()
    },
  },
]
