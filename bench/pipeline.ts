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
  'three-level embed': '', // filled below from the schema's relationships
}

const config = readConfigOrThrow({ PGRST_DB_SCHEMAS: 'bench', PGRST_DB_ANON_ROLE: 'anonymous', PGRST_DB_URI: 'postgresql://x@localhost/db' })
const auth: AuthResult = { role: 'anonymous', claims: {}, authenticated: false }

/** Find t_a → t_b → t_c through to-one/to-many FK relationships for a three-level embed. */
const threeLevelPath = (cache: SchemaCache): string => {
  for (const [, rels] of cache.relationships) {
    for (const r1 of rels) {
      if (r1.kind !== 'fk' || r1.cardinality.kind !== 'O2M') continue
      const second = cache.relationships.get(`${r1.foreignTable.schema}\u0000${r1.foreignTable.name}`) ?? []
      for (const r2 of second) {
        if (r2.kind !== 'fk' || r2.cardinality.kind !== 'M2O' || r2.isSelf) continue
        const hint2 = r2.cardinality.constraint
        const hint1 = r1.cardinality.constraint
        return `/${r1.table.name}?select=id,name,${r1.foreignTable.name}!${hint1}(id,name,${r2.foreignTable.name}!${hint2}(id,name,amount))&limit=10`
      }
    }
  }
  throw new Error('no three-level path in the generated schema')
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
  mainQuery(plan.value, config, req.value, auth)
}

const main = async (): Promise<void> => {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '20000' } } })
  const runs = Number(values.runs)
  const cache = await loadBenchSchemaCache()
  REQUESTS['three-level embed'] = threeLevelPath(cache)
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
