/**
 * @module sql/call: a CallPlan → the SELECT that calls the function and becomes the
 * `pgrst_source` CTE of the main statement (PostgREST's callPlanToQuery).
 *
 * Arguments are parameters: query-string and urlencoded values as text cast to the parameter's
 * type, the JSON body as ONE json parameter read into typed columns by `json_to_record` (the
 * first object of an array), a raw body as one parameter cast to the single unnamed parameter's
 * type. Parameter types come from the schema cache (Postgres's own `format_type` text).
 */
import type { QualifiedIdentifier } from '../parse/types.ts'
import type { CallArgs, CallPlan, RpcParamValue } from '../plan/types.ts'
import type { RoutineParam } from '../schema-cache/types.ts'
import { concat, empty, ident, join, param, raw, type SqlFragment } from './fragment.ts'
import { fmtColumn, fromQi, pgArrayLiteral } from './format.ts'

const PGRST_CALL: QualifiedIdentifier = { schema: '', name: 'pgrst_call' }

/** A type name the schema cache took from the catalog: SQL Postgres printed, never a client's value. */
const catalogType = (text: string): SqlFragment => raw(text)

const HEX = '0123456789abcdef'

/** `\x…`: bytea's hex input form, so raw bytes travel as a text parameter. */
export const byteaHex = (bytes: Uint8Array): string => {
  let out = '\\x'
  for (const b of bytes) out += (HEX[b >> 4] as string) + (HEX[b & 15] as string)
  return out
}

const utf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })
const utf8Encoder = new TextEncoder()

const jsonValue = (v: RpcParamValue): string | readonly string[] => (v.kind === 'fixed' ? v.value : v.values)

/** The whole body for the single unnamed parameter (PostgREST's singleParameter). */
const singleParameter = (args: CallArgs, type: string): SqlFragment => {
  let text: string | null
  let bytes: Uint8Array | null
  switch (args.kind) {
    case 'raw':
      bytes = args.body
      text = null
      break
    case 'json':
      text = args.body
      bytes = null
      break
    case 'direct':
      text = JSON.stringify(Object.fromEntries([...args.args].map(([k, v]) => [k, jsonValue(v)])))
      bytes = null
      break
    default: {
      const never: never = args
      throw new TypeError(`unknown call args ${String(never)}`)
    }
  }
  if (type === 'bytea') {
    const b = bytes ?? (text === null ? null : utf8Encoder.encode(text))
    return concat(param(b === null ? null : byteaHex(b)), raw('::bytea'))
  }
  const value = text ?? (bytes === null ? null : utf8.decode(bytes))
  return concat(param(value), raw('::'), catalogType(type))
}

/** `name := $n::type` per named parameter; a parameter the request did not give is NULL. */
const directArgs = (params: readonly RoutineParam[], args: ReadonlyMap<string, RpcParamValue>): SqlFragment =>
  join(
    params.map((p) => {
      const v = args.get(p.name)
      const value =
        v === undefined ? raw('NULL') : v.kind === 'fixed' ? param(v.value) : param(pgArrayLiteral(v.values))
      return concat(raw(p.variadic ? 'VARIADIC ' : ''), ident(p.name), raw(' := '), value, raw('::'), catalogType(p.typeMaxLength))
    }),
    ', ',
  )

/** `name := pgrst_body.name` per named parameter, for arguments read from the JSON body. */
const bodyArgs = (params: readonly RoutineParam[]): SqlFragment =>
  join(
    params.map((p) => concat(raw(p.variadic ? 'VARIADIC ' : ''), ident(p.name), raw(' := pgrst_body.'), ident(p.name))),
    ', ',
  )

const isJsonObject = (body: string | null): boolean => (body ?? '').replace(/^[ \t\n\r]+/, '').startsWith('{')

/**
 * `FROM (SELECT $1::json AS json_data) pgrst_payload, LATERAL (SELECT cols FROM
 * json_to_record[set](…) AS _(col type, …) LIMIT 1) pgrst_body`: the body's arguments as one typed
 * row (an array body calls with its first object).
 */
const fromJsonBody = (body: string | null, params: readonly RoutineParam[]): SqlFragment => {
  const toRecord = isJsonObject(body) ? 'json_to_record' : 'json_to_recordset'
  return concat(
    raw('FROM (SELECT '),
    param(body),
    raw('::json AS json_data) pgrst_payload, LATERAL (SELECT '),
    join(params.map((p) => ident(p.name)), ', '),
    raw(` FROM ${toRecord}(pgrst_payload.json_data) AS _(`),
    join(params.map((p) => concat(ident(p.name), raw(' '), catalogType(p.typeMaxLength))), ', '),
    raw(') LIMIT 1) pgrst_body '),
  )
}

export const callPlanToQuery = (cp: CallPlan): SqlFragment => {
  const returnsScalar = cp.scalar || cp.setOfScalar
  const callIt = (argument: SqlFragment): SqlFragment =>
    returnsScalar
      ? concat(raw('(SELECT '), fromQi(cp.qi), raw('('), argument, raw(') pgrst_scalar) pgrst_call'))
      : concat(fromQi(cp.qi), raw('('), argument, raw(') pgrst_call'))
  let from: SqlFragment
  const p = cp.params
  if (p.kind === 'onePos') from = concat(raw('FROM '), callIt(singleParameter(cp.args, p.param.type)))
  else if (p.params.length === 0) from = concat(raw('FROM '), callIt(empty))
  else if (cp.args.kind === 'direct') from = concat(raw('FROM '), callIt(directArgs(p.params, cp.args.args)))
  else {
    const body = cp.args.kind === 'json' ? cp.args.body : utf8.decode(cp.args.body)
    from = concat(fromJsonBody(body, p.params), raw(', LATERAL '), callIt(bodyArgs(p.params)))
  }
  return concat(raw('SELECT '), returnsScalar ? raw('pgrst_call.pgrst_scalar') : returnedColumns(cp), raw(' '), from)
}

/**
 * The function's columns the rest of the statement reads: everything, or the ones the response
 * needs plus the ones the filters use.
 */
const returnedColumns = (cp: CallPlan): SqlFragment => {
  const [first, ...rest] = cp.returning
  if (first === undefined) return raw('*')
  if (first === '*' && rest.length === 0) return fmtColumn(PGRST_CALL, '*')
  const cols = [...new Set([...cp.returning, ...cp.filterFields])].sort()
  return join(
    cols.map((c) => fmtColumn(PGRST_CALL, c)),
    ', ',
  )
}
