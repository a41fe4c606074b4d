/**
 * @module plan/call-plan: `/rpc/fn` → the call plan (PostgREST's callReadPlan, findProc, callPlan
 * and toRpcParams). Picks the overload the arguments name, reads the arguments from the query
 * string, a urlencoded body, the JSON body or a raw body, and plans the function's result like a
 * table (select, filters, order, range, embeds) through the read plan.
 */
import { err, ok, type Result } from '../result.ts'
import { apiErr, cacheErr, type AppError, type SchemaCacheError } from '../errors/types.ts'
import type { ApiRequest, InvokeMethod, MediaType, QualifiedIdentifier } from '../parse/types.ts'
import type { AppConfig } from '../config/types.ts'
import type { Routine, RoutineParam, SchemaCache } from '../schema-cache/types.ts'
import { findRoutines } from '../schema-cache/lookup.ts'
import { noRpcHint } from '../schema-cache/fuzzy.ts'
import { compareCodePoints } from '../parse/url-encoding.ts'
import { hasDefaultSelect, readPlan } from './read-plan.ts'
import { negotiateContent } from './negotiate.ts'
import type { ActionPlan, CallArgs, CallParams, CallPlan, CoercibleLogicTree, PostCheck, ReadPlan, RpcParamValue } from './types.ts'

const sorted = (xs: Iterable<string>): string[] => [...new Set(xs)].sort(compareCodePoints)

export const funcReturnsSingle = (r: Routine): boolean => r.returnType.kind === 'single'
export const funcReturnsScalar = (r: Routine): boolean => r.returnType.kind === 'single' && r.returnType.type.kind === 'scalar'
export const funcReturnsSetOfScalar = (r: Routine): boolean => r.returnType.kind === 'setOf' && r.returnType.type.kind === 'scalar'

/** The table (or composite type) a function returns rows of, by name. */
export const funcTableName = (r: Routine): string | null => (r.returnType.type.kind === 'composite' ? r.returnType.type.qi.name : null)

type NoRpcContentType = Extract<SchemaCacheError, { kind: 'noRpc' }>['contentType']

const noRpcContentType = (m: MediaType): NoRpcContentType => {
  switch (m.kind) {
    case 'json':
    case 'text':
    case 'xml':
    case 'octet':
      return m.kind
    default:
      return 'other'
  }
}

/**
 * A POST whose body is the single unnamed argument: JSON for json/jsonb, text/plain for text,
 * text/xml for xml, octet-stream for bytea.
 */
const hasSingleUnnamedParam = (r: Routine, contentType: MediaType, isInvPost: boolean): boolean => {
  const [p, ...rest] = r.params
  if (p === undefined || rest.length > 0 || !isInvPost || p.name !== '') return false
  switch (contentType.kind) {
    case 'json':
      return p.type === 'json' || p.type === 'jsonb'
    case 'text':
      return p.type === 'text'
    case 'xml':
      return p.type === 'xml'
    case 'octet':
      return p.type === 'bytea'
    default:
      return false
  }
}

const sameSet = (a: ReadonlySet<string>, b: ReadonlySet<string>): boolean => a.size === b.size && [...a].every((x) => b.has(x))

/** Required parameters must all be given; optional ones may be; nothing else may be. */
const matchesParams = (r: Routine, keys: ReadonlySet<string>, contentType: MediaType, isInvPost: boolean): boolean => {
  if (r.params.length === 0) {
    // A raw body is an argument: it cannot go to a function without parameters.
    const rawBody = isInvPost && (contentType.kind === 'octet' || contentType.kind === 'text' || contentType.kind === 'xml')
    return keys.size === 0 && !rawBody
  }
  const required = new Set(r.params.filter((p) => p.required).map((p) => p.name))
  const optional = new Set(r.params.filter((p) => !p.required).map((p) => p.name))
  if (optional.size === 0) return sameSet(keys, required)
  if (required.size === 0) return [...keys].every((k) => optional.has(k))
  return sameSet(new Set([...keys].filter((k) => !optional.has(k))), required)
}

/**
 * PostgREST's findProc: among the overloads of `qi` (fewest parameters first), the one whose
 * parameters the argument names match; failing that, the one taking the raw body as its single
 * unnamed parameter. None is PGRST202, several PGRST203.
 */
export const findProc = (
  cache: SchemaCache,
  qi: QualifiedIdentifier,
  argumentKeys: ReadonlySet<string>,
  contentType: MediaType,
  isInvPost: boolean,
): Result<Routine, AppError> => {
  const overloads = findRoutines(cache, qi.schema, qi.name)
  const matching: Routine[] = []
  const fallback: Routine[] = []
  for (const r of overloads) {
    if (matchesParams(r, argumentKeys, contentType, isInvPost)) matching.push(r)
    else if (hasSingleUnnamedParam(r, contentType, isInvPost)) fallback.push(r)
  }
  const [first, ...others] = matching.length > 0 ? matching : fallback
  if (first === undefined) {
    const keys = sorted(argumentKeys)
    return err(
      cacheErr({
        kind: 'noRpc',
        schema: qi.schema,
        name: qi.name,
        argumentKeys: keys,
        contentType: noRpcContentType(contentType),
        isInvPost,
        suggestion: noRpcHint(cache, qi.schema, qi.name, keys),
      }),
    )
  }
  if (others.length > 0) return err(cacheErr({ kind: 'ambiguousRpc', routines: [first, ...others] }))
  return ok(first)
}

/**
 * Query-string (or urlencoded) arguments by name. A repeated VARIADIC parameter collects its
 * values in order; any other repeated parameter keeps its last value.
 */
export const toRpcParams = (r: Routine, pairs: readonly (readonly [string, string])[]): Map<string, RpcParamValue> => {
  const variadic = new Set(r.params.filter((p) => p.variadic).map((p) => p.name))
  const out = new Map<string, RpcParamValue>()
  for (const [k, v] of pairs) {
    const prev = out.get(k)
    if (!variadic.has(k)) out.set(k, { kind: 'fixed', value: v })
    else out.set(k, { kind: 'variadic', values: prev?.kind === 'variadic' ? [...prev.values, v] : [v] })
  }
  return out
}

const logicFieldNames = (t: CoercibleLogicTree): string[] => {
  if (t.kind === 'expr') return t.children.flatMap(logicFieldNames)
  // A null-embed filter tests the embed's lateral alias, not a column of the function's result.
  return t.filter.kind === 'filter' ? [t.filter.field.name] : []
}

/** Column names the filters of every node use (PostgREST's getFilterFieldNames). */
const filterFieldNames = (n: ReadPlan): string[] => [...n.where.flatMap(logicFieldNames), ...n.children.flatMap(filterFieldNames)]

/**
 * The columns the function's result must provide for the response (PostgREST's
 * inferColsEmbedNeeds): the selected names plus, for each embed, the local columns of its join.
 * `*` when everything is selected or a computed relationship is embedded.
 */
const returnedColumns = (n: ReadPlan): string[] => {
  const names = n.select.map((s) => s.field.name)
  if (names.includes('*')) return ['*']
  const fkCols: string[] = []
  for (const c of n.children) {
    const rel = c.relToParent
    if (rel === undefined) continue
    if (rel.kind === 'computed') return ['*']
    const card = rel.cardinality
    const pairs = card.kind === 'M2M' ? card.junction.colsSource : card.columns
    fkCols.push(...pairs.map(([local]) => local))
  }
  return sorted([...names, ...fkCols])
}

/** PostgREST's callPlan: how the function is called and which of its columns are selected. */
export const callPlan = (r: Routine, paramKeys: ReadonlySet<string>, args: CallArgs, rp: ReadPlan): CallPlan => {
  const [only, ...rest] = r.params
  const params: CallParams =
    only !== undefined && rest.length === 0 && only.name === ''
      ? { kind: 'onePos', param: only }
      : { kind: 'key', params: r.params.filter((p: RoutineParam) => paramKeys.has(p.name)) }
  return {
    qi: { schema: r.schema, name: r.name },
    params,
    args,
    scalar: funcReturnsScalar(r),
    setOfScalar: funcReturnsSetOfScalar(r),
    filterFields: sorted(filterFieldNames(rp)),
    returning: returnedColumns(rp),
  }
}

const callArgs = (r: Routine, req: ApiRequest, invMethod: InvokeMethod): CallArgs => {
  if (invMethod.kind === 'invRead') return { kind: 'direct', args: toRpcParams(r, req.queryParams.params) }
  const p = req.payload
  if (p === undefined) return { kind: 'json', body: null }
  switch (p.kind) {
    case 'urlencoded':
      return { kind: 'direct', args: toRpcParams(r, p.pairs) }
    case 'json':
    case 'rawJson':
      return { kind: 'json', body: p.raw }
    case 'raw':
      return { kind: 'raw', body: p.raw }
    default: {
      const never: never = p
      throw new TypeError(`unknown payload ${String(never)}`)
    }
  }
}

/** Settings of the function that PostgREST sets for the transaction (db-hoisted-tx-settings). */
const hoistedSettings = (r: Routine, config: AppConfig): (readonly [string, string])[] =>
  r.settings.filter(([name]) => config.dbHoistedTxSettings.includes(name))

/**
 * PostgREST's callReadPlan: find the function, plan its result as a read, negotiate the media
 * type, then the preference checks (strict preferences, max-affected on a single-row function).
 */
export const callReadPlan = (
  qi: QualifiedIdentifier,
  config: AppConfig,
  cache: SchemaCache,
  req: ApiRequest,
  invMethod: InvokeMethod,
): Result<ActionPlan & { kind: 'call' }, AppError> => {
  const isInv = invMethod.kind === 'inv'
  const paramKeys: ReadonlySet<string> = isInv ? req.columns : new Set(req.queryParams.params.map(([k]) => k))
  const found = findProc(cache, qi, paramKeys, req.contentMediaType, isInv)
  if (!found.ok) return found
  const r = found.value
  // A set-returning function reads like its table, so that embedding from it works.
  const relIdentifier: QualifiedIdentifier = { schema: r.schema, name: funcTableName(r) ?? r.name }
  const rp = readPlan(relIdentifier, config, cache, req)
  if (!rp.ok) return rp
  const args = callArgs(r, req, invMethod)
  const txMode = !isInv || r.volatility !== 'volatile' ? 'read' : 'write'
  const cp = callPlan(r, paramKeys, args, rp.value)
  const neg = negotiateContent(config, req, relIdentifier, cache, hasDefaultSelect(rp.value))
  if (!neg.ok) return err(apiErr(neg.error))
  const { handling, maxAffected, invalid } = req.preferences
  if (invalid.length > 0 && handling === 'strict') return err(apiErr({ kind: 'invalidPreferences', prefs: invalid }))
  const strictMax = handling === 'strict' && maxAffected !== undefined
  if (strictMax && funcReturnsSingle(r)) return err(apiErr({ kind: 'maxAffectedRpcViolation' }))
  const [handler, media] = neg.value
  // An EXPLAIN is answered as it comes: PostgREST checks nothing on the rows it did not return.
  const checks: PostCheck[] = media.kind === 'plan' ? [] : [
    ...(media.kind === 'singular' ? [{ kind: 'singular' } as const] : []),
    ...(strictMax ? [{ kind: 'maxAffected', max: maxAffected } as const] : []),
  ]
  return ok({
    kind: 'call',
    readPlan: rp.value,
    callPlan: cp,
    routine: r,
    handler,
    media,
    invMethod,
    qi,
    txMode,
    isolation: r.isolationLevel,
    funcSettings: hoistedSettings(r, config),
    checks,
  })
}

/** OPTIONS on a function: what PostgREST's RoutineInfoPlan allows. */
export const routineAllow = (r: Routine): string[] =>
  r.volatility === 'volatile' ? ['OPTIONS', 'POST'] : ['OPTIONS', 'GET', 'HEAD', 'POST']
