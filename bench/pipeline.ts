/**
 * @module bench/pipeline: CPU time of the pure stages (parse → plan → sql) for typical requests
 * against the generated 2,000-table / 5,000-FK schema, i.e. what a Worker spends per request
 * before the one database round trip. Run: `npx tsx bench/pipeline.ts [--runs N]`.
 * Reports process CPU time (user+system) per request, measured over many iterations.
 */
import { parseArgs } from 'node:util'
import { readConfigOrThrow } from '../src/config/from-env.ts'
import { parseApiRequest } from '../src/parse/index.ts'
import { actionPlan } from '../src/plan/index.ts'
import { mainQuery } from '../src/sql/main.ts'
import type { AuthResult } from '../src/auth/types.ts'
import type { SchemaCache } from '../src/schema-cache/types.ts'
import { loadBenchSchemaCache } from './schema-cache.ts'

const REQUESTS: Record<string, string> = {
  'typical GET (filters, order, limit)': '/t0001?select=id,name,amount,status&status=eq.active&amount=gt.10&order=created_at.desc,id&limit=20',
  'GET with or-tree and count': '/t0002?select=*&or=(name.ilike.*foo*,and(amount.gte.5,amount.lt.100))&offset=40&limit=20',
  'three-level embed (O2M → M2M)': '', // filled below from the schema's relationships
}

const config = readConfigOrThrow({ PGRST_DB_SCHEMAS: 'bench', PGRST_DB_ANON_ROLE: 'anonymous', PGRST_DB_URI: 'postgresql://x@localhost/db' })
const auth: AuthResult = { role: 'anonymous', claims: {}, authenticated: false }

/**
 * A real three-level embed: A → B (one-to-many) → C (many-to-many through a junction table), with
 * A, B and C three distinct tables (and the junction a fourth), each level filtered or ordered, so
 * every level is planned, resolved against the schema cache and compiled. Constraint hints keep it
 * unambiguous whatever the generated schema holds.
 */
const threeLevelPath = (cache: SchemaCache): string => {
  for (const [, rels] of cache.relationships) {
    for (const r1 of rels) {
      if (r1.kind !== 'fk' || r1.cardinality.kind !== 'O2M' || r1.isSelf) continue
      const second = cache.relationships.get(`${r1.foreignTable.schema}\u0000${r1.foreignTable.name}`) ?? []
      for (const r2 of second) {
        if (r2.kind !== 'fk' || r2.cardinality.kind !== 'M2M' || r2.isSelf) continue
        const names = new Set([r1.table.name, r1.foreignTable.name, r2.foreignTable.name, r2.cardinality.junction.table.name])
        if (names.size !== 4) continue
        const a = r1.table.name
        const b = r1.foreignTable.name
        const c = r2.foreignTable.name
        const hint1 = r1.cardinality.constraint
        const hint2 = r2.cardinality.junction.table.name
        return (
          `/${a}?select=id,name,${b}!${hint1}(id,name,status,${c}!${hint2}(id,name,amount))` +
          `&status=eq.active&${b}.order=created_at.desc&${b}.limit=5&${b}.${c}.amount=gt.10&${b}.${c}.order=id&limit=10`
        )
      }
    }
  }
  throw new Error('no three-level path (one-to-many, then many-to-many) in the generated schema')
}

const cpuMicros = (): number => {
  const u = process.cpuUsage()
  return u.user + u.system
}

const runOnce = (cache: SchemaCache, path: string): void => {
  const req = parseApiRequest({ method: 'GET', url: new URL(`http://localhost${path}`), headers: [['accept', 'application/json']], body: null }, config)
  if (!req.ok) throw new Error(`parse failed for ${path}: ${JSON.stringify(req.error)}`)
  const plan = actionPlan(req.value, config, cache)
  if (!plan.ok) throw new Error(`plan failed for ${path}: ${JSON.stringify(plan.error)}`)
  if (plan.value.kind !== 'read') throw new Error('expected a read plan')
  const q = mainQuery(plan.value, config, req.value, auth)
  if (q.main.text.length === 0) throw new Error('no SQL')
}

const main = async (): Promise<void> => {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '20000' } } })
  const runs = Number(values.runs)
  const cache = await loadBenchSchemaCache()
  REQUESTS['three-level embed (O2M → M2M)'] = threeLevelPath(cache)
  console.log(`parse+plan+sql CPU time, ${cache.tables.size} relations in the cache, ${runs} runs each (node ${process.version})`)
  for (const [label, path] of Object.entries(REQUESTS)) {
    for (let i = 0; i < 2000; i++) runOnce(cache, path) // warm-up (JIT, memo caches)
    const c0 = cpuMicros()
    const t0 = performance.now()
    for (let i = 0; i < runs; i++) runOnce(cache, path)
    const cpu = (cpuMicros() - c0) / runs
    const wall = ((performance.now() - t0) * 1000) / runs
    console.log(`  ${label.padEnd(38)} ${cpu.toFixed(1).padStart(7)} µs CPU/request (${wall.toFixed(1)} µs wall)  ${path}`)
  }
}

await main()
