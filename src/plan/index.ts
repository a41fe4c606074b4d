/**
 * @module plan: ApiRequest + schema cache → ActionPlan. Dispatches on the action; all name
 * resolution happens here so the SQL stage only formats.
 */
import { err, ok, type Result } from '../result.ts'
import { apiErr, cacheErr, type AppError } from '../errors/types.ts'
import type { ApiRequest, MediaType, QualifiedIdentifier } from '../parse/types.ts'
import { toMime } from '../parse/media-type.ts'
import type { AppConfig } from '../config/types.ts'
import type { SchemaCache, Table } from '../schema-cache/types.ts'
import { qiKey } from '../schema-cache/types.ts'
import { tableNotFoundHint } from '../schema-cache/fuzzy.ts'
import { hasDefaultSelect, readPlan } from './read-plan.ts'
import { negotiateContent } from './negotiate.ts'
import { mutatePlan, postChecks } from './mutate-plan.ts'
import { callReadPlan, routineAllow } from './call-plan.ts'
import type { ActionPlan, ReadPlan } from './types.ts'

export const findTable = (cache: SchemaCache, qi: QualifiedIdentifier): Result<Table, AppError> => {
  const t = cache.tables.get(qiKey(qi))
  return t
    ? ok(t)
    : err(cacheErr({ kind: 'tableNotFound', schema: qi.schema, name: qi.name, suggestion: tableNotFoundHint(cache, qi.schema, qi.name) }))
}

const strictPrefs = (req: ApiRequest): AppError | null =>
  req.preferences.invalid.length > 0 && req.preferences.handling === 'strict'
    ? apiErr({ kind: 'invalidPreferences', prefs: req.preferences.invalid })
    : null

/** Methods a table/view allows, for OPTIONS (PostgREST's RelInfoPlan). */
const allowedMethods = (t: Table): string[] => {
  const m = ['OPTIONS', 'GET', 'HEAD']
  if (t.insertable) m.push('POST')
  if (t.updatable) m.push(t.insertable && t.pkCols.length > 0 ? 'PUT' : '', 'PATCH')
  if (t.deletable) m.push('DELETE')
  return m.filter((x) => x !== '')
}

export const actionPlan = (req: ApiRequest, config: AppConfig, cache: SchemaCache): Result<ActionPlan, AppError> => {
  const act = req.action
  switch (act.kind) {
    case 'relationRead': {
      const t = findTable(cache, act.qi)
      if (!t.ok) return t
      const rp = readPlan(act.qi, config, cache, req)
      if (!rp.ok) return rp
      const neg = negotiateContent(config, req, act.qi, cache, hasDefaultSelect(rp.value))
      if (!neg.ok) return err(apiErr(neg.error))
      const strict = strictPrefs(req)
      if (strict) return err(strict)
      return ok({ kind: 'read', readPlan: rp.value, handler: neg.value[0], media: neg.value[1], headersOnly: act.headersOnly, qi: act.qi, txMode: 'read' })
    }
    case 'relationInfo': {
      const t = findTable(cache, act.qi)
      if (!t.ok) return t
      return ok({ kind: 'relationInfo', qi: act.qi, allow: allowedMethods(t.value) })
    }
    case 'relationMut': {
      // PostgREST's mutateReadPlan: table, read-back plan, write, strict preferences, negotiation.
      const t = findTable(cache, act.qi)
      if (!t.ok) return t
      const rp = readPlan(act.qi, config, cache, req)
      if (!rp.ok) return rp
      const mp = mutatePlan(act.mutation, t.value, req, cache, rp.value)
      if (!mp.ok) return mp
      const strict = strictPrefs(req)
      if (strict) return err(strict)
      const neg = negotiateContent(config, req, act.qi, cache, hasDefaultSelect(rp.value))
      if (!neg.ok) return err(apiErr(neg.error))
      const [handler, media] = neg.value
      return ok({
        kind: 'mutate',
        mutation: act.mutation,
        readPlan: rp.value,
        mutatePlan: mp.value,
        handler,
        media,
        qi: act.qi,
        txMode: 'write',
        // An EXPLAIN (even with ANALYZE) is answered as it comes: PostgREST checks nothing on it.
        checks: media.kind === 'plan' ? [] : postChecks(act.mutation, req, media.kind === 'singular'),
      })
    }
    case 'routine':
      return callReadPlan(act.qi, config, cache, req, act.invMethod)
    case 'routineInfo': {
      // As PostgREST does, the whole call is planned (so an unknown function is still a 404).
      const cp = callReadPlan(act.qi, config, cache, req, act.invMethod)
      if (!cp.ok) return cp
      return ok({ kind: 'routineInfo', qi: act.qi, allow: routineAllow(cp.value.routine) })
    }
    case 'schemaRead': {
      // PostgREST's inspectPlan: the document is served as application/openapi+json whenever the
      // client accepts that, JSON or anything; edgerest adds OpenAPI 3.1 when that comes first.
      const media = openApiMedia(req.acceptMediaTypes)
      if (media === null) return err(apiErr({ kind: 'mediaType', mediaTypes: req.acceptMediaTypes.map(toMime) }))
      return ok({ kind: 'inspect', schema: act.schema, headersOnly: act.headersOnly, media })
    }
    case 'schemaInfo':
      return ok({ kind: 'schemaInfo', allow: ['OPTIONS', 'GET', 'HEAD'] })
    default: {
      const never: never = act
      throw new TypeError(`unknown action ${String(never)}`)
    }
  }
}

/** The OpenAPI document version for an Accept list: the first one it names (2.0 for JSON or anything). */
const openApiMedia = (accepts: readonly MediaType[]): (MediaType & { kind: 'openapi' | 'openapi31' }) | null => {
  for (const m of accepts) {
    if (m.kind === 'openapi31') return m
    if (m.kind === 'openapi' || m.kind === 'json' || m.kind === 'any') return { kind: 'openapi' }
  }
  return null
}

/** Embeds referenced by table name although they have an alias (deprecated in v16): (name, alias) pairs. */
export const legacyWarnings = (plan: ActionPlan): [string, string][] => {
  if (plan.kind !== 'read' && plan.kind !== 'mutate' && plan.kind !== 'call') return []
  const out: [string, string][] = []
  const walk = (n: ReadPlan): void => {
    if (n.relIsLegacyTargetNameMatch && n.relAlias !== undefined) out.push([n.relName, n.relAlias])
    n.children.forEach(walk)
  }
  walk(plan.readPlan)
  return out
}
