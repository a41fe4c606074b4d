/**
 * @module bench/http/templates: the statements the floor handler sends, taken from edgerest's own
 * pipeline stages (parse → plan → sql) once per workload shape at startup, so the floor sends the
 * very same SQL texts with the very same parameters edgerest sends — only the per-request values
 * are substituted.
 *
 * How the per-request parameters are found: the shape is compiled with a unique sentinel in place
 * of each query-string slot and with an example body; a main-statement parameter equal to a
 * sentinel is that slot's value, one equal to the body is the body (edgerest passes a JSON payload
 * as one parameter). Every other parameter is constant for the shape. The tx-vars statement is
 * `select set_config('name', $n, true), …`: its per-request values (role, claims, headers,
 * cookies) are found by setting name. Anything else that would vary fails loudly at startup.
 */
import type { AppConfig } from '../../src/config/types.ts'
import type { SchemaCache } from '../../src/schema-cache/types.ts'
import { parseApiRequest } from '../../src/parse/index.ts'
import { actionPlan } from '../../src/plan/index.ts'
import { mainQuery, mainWrite } from '../../src/sql/main.ts'
import type { CompiledSql } from '../../src/sql/fragment.ts'
import { fillSlots, querySlots, type QuerySlot, type Workload } from './workloads.ts'

/** Per-request values of the tx-vars statement, by the setting they set. */
export type TxVar = 'role' | 'claims' | 'headers' | 'cookies'

const TX_VARS: Readonly<Record<string, TxVar>> = {
  role: 'role',
  'request.jwt.claims': 'claims',
  'request.headers': 'headers',
  'request.cookies': 'cookies',
}

export interface FloorShape {
  readonly workload: string
  readonly method: string
  readonly path: string
  /** How the floor recognises a request of this shape: see `shapeKey`. */
  readonly key: string
  readonly begin: 'BEGIN READ ONLY' | 'BEGIN READ WRITE'
  readonly status: number
  readonly txVars: { readonly text: string; readonly params: readonly (string | null)[]; readonly vars: readonly (readonly [number, TxVar])[] }
  readonly main: {
    readonly text: string
    readonly params: readonly (string | null)[]
    readonly slots: readonly (QuerySlot & { readonly index: number })[]
    /** Index of the parameter that is the request body, or -1. */
    readonly bodyIndex: number
  }
}

/** `METHOD /path?sorted,keys|select`: distinguishes the workloads that share a path. */
export const shapeKey = (method: string, path: string, query: Readonly<Record<string, string>>): string =>
  `${method} ${path}?${Object.keys(query).sort().join(',')}|${query['select'] ?? ''}`

const sentinel = (slot: string): string => `zzslot${slot}zz`

const queryRecord = (query: string): Record<string, string> => Object.fromEntries(new URLSearchParams(query))

const compileShape = (w: Workload, config: AppConfig, cache: SchemaCache): { txVars: CompiledSql; main: CompiledSql; readOnly: boolean; body: string | null } => {
  const qslots = querySlots(w)
  const sentinels = Object.fromEntries(Object.keys(w.slots).map((s) => [s, sentinel(s)]))
  // Body slots get an ordinary example value: the body is one parameter, found by equality.
  const body = w.body === undefined ? null : fillSlots(w.body, Object.fromEntries(Object.keys(w.slots).map((s) => [s, '1'])))
  const query = fillSlots(w.query, sentinels)
  const headers = Object.entries(w.headers).map(([k, v]) => [k, v] as const)
  const parsed = parseApiRequest(
    {
      method: w.method,
      url: new URL(`http://localhost${w.path}${query === '' ? '' : `?${query}`}`),
      headers,
      body: body === null ? null : new TextEncoder().encode(body),
    },
    config,
  )
  if (!parsed.ok) throw new Error(`${w.name}: edgerest's parse refused the shape: ${JSON.stringify(parsed.error)}`)
  const planned = actionPlan(parsed.value, config, cache)
  if (!planned.ok) throw new Error(`${w.name}: edgerest's plan refused the shape: ${JSON.stringify(planned.error)}`)
  const plan = planned.value
  // The role and claims only reach the tx-vars parameters, which the floor fills per request.
  const auth = { role: 'anonymous', claims: {}, authenticated: false }
  if (qslots.some((s) => !(s.slot in sentinels))) throw new Error(`${w.name}: a query slot has no generator`)
  switch (plan.kind) {
    case 'read': {
      const mq = mainQuery(plan, config, parsed.value, auth)
      if (mq.preRequest || mq.explain) throw new Error(`${w.name}: pre-request/EXPLAIN statements are not modelled by the floor`)
      return { txVars: mq.txVars, main: mq.main, readOnly: true, body }
    }
    case 'mutate': {
      const mq = mainWrite(plan, config, parsed.value, auth)
      if (mq.preRequest) throw new Error(`${w.name}: pre-request statements are not modelled by the floor`)
      return { txVars: mq.txVars, main: mq.main, readOnly: false, body }
    }
    case 'call':
    case 'inspect':
    case 'schemaInfo':
    case 'relationInfo':
    case 'routineInfo':
      throw new Error(`${w.name}: ${plan.kind} plans are not modelled by the floor`)
    default: {
      const never: never = plan
      throw new TypeError(`unknown plan ${String(never)}`)
    }
  }
}

const containsSentinel = (p: string | null, sentinels: readonly string[]): boolean => p !== null && sentinels.some((s) => p.includes(s))

/** The floor's statement templates for each workload, from edgerest's parse → plan → sql. */
export const floorShapes = (workloads: readonly Workload[], config: AppConfig, cache: SchemaCache): FloorShape[] =>
  workloads.map((w) => {
    const { txVars, main, readOnly, body } = compileShape(w, config, cache)
    const allSentinels = Object.keys(w.slots).map(sentinel)
    const slots = querySlots(w).map((s) => {
      const index = main.params.indexOf(sentinel(s.slot))
      if (index < 0) throw new Error(`${w.name}: slot {${s.slot}} is not one whole parameter of the main statement`)
      return { ...s, index }
    })
    const bodyIndex = body === null ? -1 : main.params.indexOf(body)
    if (body !== null && bodyIndex < 0) throw new Error(`${w.name}: the body is not one parameter of the main statement`)
    main.params.forEach((p, i) => {
      if (i !== bodyIndex && !slots.some((s) => s.index === i) && containsSentinel(p, allSentinels)) {
        throw new Error(`${w.name}: main parameter $${i + 1} mixes a slot with other text: ${String(p)}`)
      }
    })
    const vars: [number, TxVar][] = []
    for (const m of txVars.text.matchAll(/set_config\('([^']+)', \$(\d+), true\)/g)) {
      const v = TX_VARS[m[1] as string]
      if (v !== undefined) vars.push([Number(m[2]) - 1, v])
    }
    txVars.params.forEach((p, i) => {
      if (!vars.some(([j]) => j === i) && containsSentinel(p, allSentinels)) {
        throw new Error(`${w.name}: tx-vars parameter $${i + 1} depends on a slot: ${String(p)}`)
      }
    })
    return {
      workload: w.name,
      method: w.method,
      path: w.path,
      key: shapeKey(w.method, w.path, queryRecord(w.query)),
      begin: readOnly ? 'BEGIN READ ONLY' : 'BEGIN READ WRITE',
      status: w.status,
      txVars: { text: txVars.text, params: txVars.params, vars },
      main: { text: main.text, params: main.params, slots, bodyIndex },
    }
  })
