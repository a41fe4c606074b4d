/**
 * @module pipeline: the one place the stages meet, top to bottom like PostgREST's
 * postgrestResponse: auth → parse → plan → sql → execute → respond. Times each stage for
 * Server-Timing. Every failure ends as an AppError rendered by errors/http.
 */
import type { AppConfig } from './config/types.ts'
import type { SchemaCache } from './schema-cache/types.ts'
import type { Executor, IsolationLevel, StatementResult, TxOptions } from './execute/types.ts'
import type { CompiledSql } from './sql/fragment.ts'
import type { Authenticator } from './auth/index.ts'
import type { AuthResult } from './auth/types.ts'
import { apiErr, isPgrstError, pgErr, type AppError } from './errors/types.ts'
import { ok } from './result.ts'
import { errorToResponse } from './errors/http.ts'
import { readBody } from './request-body.ts'
import { withStaleSnapshotHint } from './stale-snapshot.ts'
import { parseApiRequest } from './parse/index.ts'
import { actionPlan, legacyWarnings } from './plan/index.ts'
import { mainCall, mainQuery, mainWrite, prelude, SET_CONSTRAINTS_IMMEDIATE, type MainQuery, type RoleSettingPairs } from './sql/main.ts'
import { rememberShape, useShape, type ShapeCache, type ShapeUse } from './shape-cache.ts'
import { postCheckFailure } from './sql/post-check.ts'
import { decodeExplainTotal, decodeOpenApiRow, decodePlanOutput, decodeResultSet } from './execute/result.ts'
import { actionResponse, planResponse, readTotal } from './respond/index.ts'
import { openApiResponse } from './respond/openapi.ts'
import { emptyResponse } from './respond/empty-body.ts'
import { mainInspect } from './sql/openapi.ts'
import type { PgrstResponse, ResultSet } from './respond/types.ts'
import type { ApiRequest, MediaType } from './parse/types.ts'
import type { ActionPlan, PostCheck } from './plan/types.ts'
import type { Log, RequestTrace } from './log/types.ts'

/** The part of a request URL the pipeline reads. */
export interface RequestTarget {
  readonly pathname: string
  readonly search: string
}

export interface PipelineDeps {
  readonly config: AppConfig
  readonly cache: SchemaCache
  readonly authenticate: Authenticator
  /** The executor for this request. `interactive` is used when a write must roll back after reading results. */
  readonly executor: Executor
  readonly interactiveExecutor?: Executor | undefined
  /** Read replicas (EDGEREST_DB_READ_URI): where read-only transactions go; unset = `executor`. */
  readonly readExecutor?: Executor | undefined
  /** Where the app reports requests (log/); absent = nothing is reported. */
  readonly log?: Log | undefined
  /** Plans and statements of reads by request shape (shape-cache.ts); absent = every request is planned. */
  readonly shapes?: ShapeCache | undefined
}

const METHODS_WITH_BODY = new Set(['POST', 'PATCH', 'PUT', 'DELETE'])

type Timings = Partial<Record<'jwt' | 'parse' | 'plan' | 'transaction' | 'response', number>>

const timed = async <T>(timings: Timings, key: keyof Timings, f: () => T | Promise<T>): Promise<T> => {
  const t0 = performance.now()
  try {
    return await f()
  } finally {
    timings[key] = performance.now() - t0
  }
}

const serverTiming = (t: Timings): string =>
  (['jwt', 'parse', 'plan', 'transaction', 'response'] as const)
    .filter((k) => t[k] !== undefined)
    .map((k) => `${k};dur=${(t[k] as number).toFixed(1)}`)
    .join(', ')

/** Whether the transaction ends in ROLLBACK (db-tx-end, Prefer: tx). */
const txEnd = (config: AppConfig, req: ApiRequest): TxOptions['end'] => {
  const pref = req.preferences.transaction
  return pref === 'rollback' || (config.dbTxRollbackAll && pref !== 'commit') ? 'rollback' : 'commit'
}

/**
 * Header values are byte strings in the fetch API. PostgREST sends names such as a non-ASCII table
 * in Content-Location as raw UTF-8, so such values are passed as their UTF-8 bytes.
 */
export const byteStringHeader = (v: string): string =>
  /[^\u0000-\u00ff]/.test(v) ? String.fromCharCode(...new TextEncoder().encode(v)) : v

const toResponse = (r: PgrstResponse, extra: readonly (readonly [string, string])[]): Response => {
  const headers = new Headers()
  for (const [k, v] of r.headers) headers.append(k, byteStringHeader(v))
  for (const [k, v] of extra) if (!headers.has(k)) headers.set(k, v)
  const noBody = r.status === 204 || r.status === 304 || (r.status >= 100 && r.status < 200)
  // An empty string body would get a default `Content-Type: text/plain` (e.g. a 201 without
  // representation, which PostgREST sends with no Content-Type at all).
  if (noBody) return new Response(null, { status: r.status, headers })
  if (r.bodyBytes !== undefined) return new Response(r.bodyBytes, { status: r.status, headers })
  return r.body === '' ? emptyResponse(r.status, headers) : new Response(r.body, { status: r.status, headers })
}

/**
 * `target` is the request's path and query relative to where the API is served: the app
 * (app.ts, base-path.ts) strips the mount point and EDGEREST_BASE_PATH from the URL before the
 * pipeline sees it, so parse only ever reads `/table`, `/rpc/fn` or `/`.
 */
export const handleRequest = async (
  request: Request,
  deps: PipelineDeps,
  target: RequestTarget = new URL(request.url),
  /** Filled in for the access log: the role the request ran as. */
  trace?: RequestTrace,
): Promise<Response> => {
  const { config } = deps
  const timings: Timings = {}
  let auth: AuthResult | null = null
  const fail = (e: AppError): Response => {
    const withAuth: AppError =
      e.origin === 'pg' && e.error.kind === 'server' ? pgErr({ ...e.error, authenticated: auth?.authenticated ?? false }) : e
    return errorToResponse(withAuth, config.clientErrorVerbosity)
  }
  try {
    const authed = await timed(timings, 'jwt', () => deps.authenticate(request.headers.get('authorization')))
    if (!authed.ok) return fail(authed.error)
    auth = authed.value
    if (trace !== undefined) trace.role = auth.role
    const read = METHODS_WITH_BODY.has(request.method) ? await readBody(request, config.maxBodyBytes) : null
    if (read !== null && !read.ok) return fail(read.error)
    const body = read === null ? null : read.value
    const parsed = await timed(timings, 'parse', () =>
      parseApiRequest({ method: request.method, url: target, headers: request.headers, body }, config),
    )
    if (!parsed.ok) return fail(parsed.error)
    const req = parsed.value
    const shape = deps.shapes === undefined ? NO_SHAPE : useShape(deps.shapes, config, request.method, target, request.headers, auth.role, req)
    let plan: ActionPlan
    if (shape.kind === 'hit') plan = shape.plan
    else {
      const planned = await timed(timings, 'plan', () => actionPlan(req, config, deps.cache))
      if (!planned.ok) return fail(await withStaleSnapshotHint(planned.error, deps))
      plan = planned.value
    }
    const result = await runPlan(plan, req, auth, deps, timings, request.url, shape)
    if (!result.ok) return fail(result.error)
    const extra: [string, string][] = []
    if (config.serverTimingEnabled) extra.push(['Server-Timing', serverTiming(timings)])
    const warnings = config.urlUseLegacyTargetNames ? legacyWarnings(plan) : []
    if (warnings.length > 0) extra.push(['Warning', legacyWarningHeader(warnings)])
    extra.push(['Vary', 'Accept, Prefer, Range'])
    return toResponse(result.value, extra)
  } catch (e) {
    if (isPgrstError(e)) return fail(e.pgrstAppError)
    throw e
  }
}

/**
 * RFC 7234 warn-code 299 with PostgREST's agent and text: clients written against PostgREST
 * match on it, so edgerest reports the PostgREST version it is compatible with.
 */
const legacyWarningHeader = (pairs: readonly (readonly [string, string])[]): string => {
  const hint = pairs.map(([name, alias]) => `\`${name}\` to \`${alias}\``).join(', ')
  return `299 PostgRESTv16.2 "Embedded resource was referenced by relation name even though it has an alias. This is deprecated and will stop working in a future release. Update ${hint} in query string filters, orders or limits."`
}

type RunResult = { ok: true; value: PgrstResponse } | { ok: false; error: AppError }

/**
 * The impersonated role's `ALTER ROLE … SET` settings and isolation level, as PostgREST applies
 * them: read with the schema cache (so the edge needs no round trip for them), only with db-config.
 */
const roleContext = (deps: PipelineDeps, role: string): { settings: RoleSettingPairs; isolation: IsolationLevel | null } => {
  const r = deps.config.dbConfig ? deps.cache.roleSettings.get(role) : undefined
  return { settings: r?.settings ?? [], isolation: r?.isolationLevel ?? null }
}

/** Without a shape cache every request is planned. */
const NO_SHAPE: ShapeUse = { kind: 'none' }

const runPlan = async (
  plan: ActionPlan,
  req: ApiRequest,
  auth: AuthResult,
  deps: PipelineDeps,
  timings: Timings,
  url: string,
  /** The shape cache's word on this request (a hit carries the main statement). */
  shape: ShapeUse,
): Promise<RunResult> => {
  const { config } = deps
  const role = roleContext(deps, auth.role)
  switch (plan.kind) {
    case 'inspect': {
      const run = await runStatements(mainInspect(plan, config, req, auth, role.settings), { readOnly: true, isolation: role.isolation, checks: [] }, req, deps, timings)
      if (!run.ok) return run
      const visible = decodeOpenApiRow(run.value.results[run.value.mainIdx])
      return timed(timings, 'response', () => ok(openApiResponse(plan, req, config, deps.cache, visible, new URL(url))))
    }
    case 'schemaInfo':
    case 'relationInfo':
    case 'routineInfo':
      // No transaction, but PostgREST still reports one (of no duration) in Server-Timing.
      timings.transaction = 0
      return timed(timings, 'response', () => actionResponse(plan, req, config, decodeResultSet(undefined)))
    case 'read': {
      const mq: MainQuery =
        shape.kind === 'hit' ? { ...prelude(config, req, auth, role.settings), main: shape.main, explain: null } : mainQuery(plan, config, req, auth, role.settings)
      if (shape.kind === 'learn' && deps.shapes !== undefined && plan.media.kind !== 'plan' && mq.explain === null) {
        rememberShape(deps.shapes, config, shape.key, req, mq.main, (probe) => {
          const p = actionPlan(probe, config, deps.cache)
          if (!p.ok || p.value.kind !== 'read') return null
          const m = mainQuery(p.value, config, probe, auth, role.settings)
          return { plan: p.value, main: m.explain === null ? m.main : null }
        })
      }
      const tx: TxShape = { readOnly: true, isolation: role.isolation, checks: [] }
      if (plan.media.kind === 'plan') return explainPlan(plan.media, mq, tx, req, deps, timings)
      const run = await runMainQuery(mq, tx, req, deps, timings)
      if (!run.ok) return run
      const { rs, explainTotal } = run.value
      return timed(timings, 'response', () => actionResponse(plan, req, config, { ...rs, tableTotal: readTotal(req, config, rs, explainTotal) }))
    }
    case 'mutate':
      return runAndRespond(
        plan,
        mainWrite(plan, config, req, auth, role.settings),
        { readOnly: false, isolation: role.isolation, checks: plan.checks },
        req,
        deps,
        timings,
      )
    case 'call':
      // Read-only for GET/HEAD and STABLE/IMMUTABLE functions, in the function's own isolation
      // level, else the role's.
      return runAndRespond(
        plan,
        mainCall(plan, config, req, auth, role.settings),
        { readOnly: plan.txMode === 'read', isolation: plan.isolation ?? role.isolation, checks: plan.checks },
        req,
        deps,
        timings,
      )
    default: {
      const never: never = plan
      throw new TypeError(`unknown plan ${String(never)}`)
    }
  }
}

/**
 * The executor for a write. A write that must end in ROLLBACK although it succeeded needs an
 * interactive session: the HTTP batch commits whatever did not fail, and failing it on purpose
 * would lose the results the response is made of. Everything else (including the post-checks,
 * which the statement makes itself) runs as one batch on the request's executor.
 */
const writeExecutor = (deps: Pick<PipelineDeps, 'executor' | 'interactiveExecutor'>, end: TxOptions['end']): Executor => {
  if (end === 'commit' || deps.executor.interactive) return deps.executor
  const ex = deps.interactiveExecutor
  if (ex === undefined || !ex.interactive) {
    throw new TypeError(`a write that ends in ROLLBACK needs an interactive executor; ${deps.executor.kind} has none configured`)
  }
  return ex
}

/**
 * The executor for a read-only transaction: the read replicas', unless the request asks to read
 * its own writes (`Prefer: read-your-writes`) or runs SERIALIZABLE, which a hot standby refuses.
 */
const readExecutor = (deps: PipelineDeps, req: ApiRequest, tx: TxShape): Executor =>
  deps.readExecutor === undefined || req.preferences.readYourWrites || tx.isolation === 'serializable' ? deps.executor : deps.readExecutor

/** How a MainQuery's transaction runs, and the post-checks its failure may stand for. */
interface TxShape {
  readonly readOnly: boolean
  readonly isolation?: IsolationLevel | null | undefined
  readonly checks: readonly PostCheck[]
}

/** What the main statement returned (and the planner's row estimate, when an EXPLAIN ran). */
interface MainResult {
  readonly rs: ResultSet
  readonly explainTotal: number | null
}

/**
 * Run a MainQuery — tx-vars, the optional pre-request call, the main statement, then the EXPLAIN
 * for planned counts or, before a deliberate ROLLBACK of a write, SET CONSTRAINTS ALL IMMEDIATE
 * (as PostgREST does, so deferred constraint errors still surface) — as one transaction. A
 * read-only transaction writes nothing, so commit and rollback are the same for it and any
 * executor will do; a write that must roll back after succeeding goes to the interactive one.
 * A post-check the statement failed on purpose comes back as the request error it stands for.
 */
const runMainQuery = async (
  mq: MainQuery,
  tx: TxShape,
  req: ApiRequest,
  deps: PipelineDeps,
  timings: Timings,
): Promise<{ ok: true; value: MainResult } | { ok: false; error: AppError }> => {
  const run = await runStatements(mq, tx, req, deps, timings)
  if (!run.ok) return run
  const { results, mainIdx } = run.value
  return { ok: true, value: { rs: decodeResultSet(results[mainIdx]), explainTotal: mq.explain ? decodeExplainTotal(results[mainIdx + 1]) : null } }
}

/**
 * An EXPLAIN request (`Accept: application/vnd.pgrst.plan…`): the main statement runs wrapped in
 * EXPLAIN in the same transaction as any request, and its output is the body — every row of it
 * (the text form has one line per row).
 */
const explainPlan = async (
  media: MediaType & { kind: 'plan' },
  mq: MainQuery,
  tx: TxShape,
  req: ApiRequest,
  deps: PipelineDeps,
  timings: Timings,
): Promise<RunResult> => {
  const run = await runStatements(mq, tx, req, deps, timings)
  if (!run.ok) return run
  const body = decodePlanOutput(run.value.results[run.value.mainIdx])
  return timed(timings, 'response', () => ok(planResponse(media, req, body)))
}

/** The statements of a MainQuery run as one transaction, and which result is the main statement's. */
const runStatements = async (
  mq: MainQuery,
  tx: TxShape,
  req: ApiRequest,
  deps: PipelineDeps,
  timings: Timings,
): Promise<{ ok: true; value: { results: readonly StatementResult[]; mainIdx: number } } | { ok: false; error: AppError }> => {
  const wanted = txEnd(deps.config, req)
  const executor = tx.readOnly ? readExecutor(deps, req, tx) : writeExecutor(deps, wanted)
  const end = tx.readOnly && !executor.interactive ? 'commit' : wanted
  const statements: CompiledSql[] = [
    mq.txVars,
    ...(mq.preRequest ? [mq.preRequest] : []),
    mq.main,
    ...(mq.explain ? [mq.explain] : []),
    ...(end === 'rollback' && !tx.readOnly ? [SET_CONSTRAINTS_IMMEDIATE] : []),
  ]
  const options: TxOptions = { readOnly: tx.readOnly, end, ...(tx.isolation ? { isolation: tx.isolation } : {}) }
  let results: readonly StatementResult[]
  try {
    results = await timed(timings, 'transaction', () => executor.run(statements, options))
  } catch (e) {
    const failure = asPostCheckFailure(e, tx.checks)
    if (failure) return { ok: false, error: failure }
    throw e
  }
  return { ok: true, value: { results, mainIdx: mq.preRequest ? 2 : 1 } }
}

/** A post-check the main statement failed on purpose, as the request error it stands for. */
const asPostCheckFailure = (e: unknown, checks: readonly PostCheck[]): AppError | null => {
  if (isPgrstError(e) && e.pgrstAppError.origin === 'pg' && e.pgrstAppError.error.kind === 'server') {
    const failure = postCheckFailure(e.pgrstAppError.error.error, checks)
    if (failure) return apiErr(failure)
  }
  return null
}

/** Run a write or a call's MainQuery and turn its row into the response. */
const runAndRespond = async (
  plan: ActionPlan & { kind: 'mutate' | 'call' },
  mq: MainQuery,
  tx: TxShape,
  req: ApiRequest,
  deps: PipelineDeps,
  timings: Timings,
): Promise<RunResult> => {
  if (plan.media.kind === 'plan') return explainPlan(plan.media, mq, tx, req, deps, timings)
  const run = await runMainQuery(mq, tx, req, deps, timings)
  if (!run.ok) return run
  return timed(timings, 'response', () => actionResponse(plan, req, deps.config, run.value.rs))
}
