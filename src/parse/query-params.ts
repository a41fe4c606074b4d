/**
 * @module parse/query-params: the query-string grammar (`select`, filters, `and`/`or`, `order`,
 * `limit`/`offset`, `columns`, `on_conflict`, RPC arguments), following PostgREST's
 * ApiRequest/QueryParams.hs rule for rule so that both results and PGRST100 error texts
 * (positions and Parsec's "unexpected … expecting …" details) are the same.
 *
 * Quirks kept on purpose because they are PostgREST's behaviour: parsers do not require the end
 * of input unless the grammar says so (`is.nullx` is `is.null`), `;` separates parameters like
 * `&`, the first `select`/`columns`/`on_conflict` wins, an unreadable `limit` is ignored.
 */
import { err, ok, type Result } from '../result.ts'
import type { ApiRequestError } from '../errors/types.ts'
import {
  alt,
  anyChar,
  between,
  bind,
  char,
  digit,
  eof,
  hsStrip,
  label,
  lazy,
  left,
  letter,
  lookAhead,
  many,
  many1,
  map,
  noneOf,
  notFollowedBy,
  oneOf,
  option,
  optionMaybe,
  type Parser,
  ret,
  right,
  runParser,
  sepBy,
  sepBy1,
  seq,
  showErrorMessages,
  showHsChar,
  showSourcePos,
  string,
  tryP,
  voidP,
  zero,
} from './parsec.ts'
import {
  limitOffsetRange,
  limitParamRange,
  offsetParamRange,
  toApiRange,
  type BoundaryRange,
} from './range.ts'
import type {
  AggregateFunction,
  EmbedPath,
  Field,
  Filter,
  FtsOperator,
  IsValue,
  JoinType,
  JsonOperation,
  LogicTree,
  OpExpr,
  Operation,
  OrderDirection,
  OrderNulls,
  OrderTerm,
  QuantOperator,
  QueryParams,
  Range,
  SelectItem,
  SimpleOperator,
} from './types.ts'
import { memoize } from './memo.ts'
import { canonicalQuery, parseQueryDecoded, toSortedSet, type DecodedQueryItem } from './url-encoding.ts'

// ---------------------------------------------------------------------------------------------
// lexical pieces

const ws = many(oneOf(' \t'))

const lexeme = <A>(p: Parser<A>): Parser<A> => map(seq(ws, p, ws), ([, a]) => a)

const constant = <A>(p: Parser<unknown>, value: A): Parser<A> => map(p, () => value)

const joined = (p: Parser<string[]>): Parser<string> => map(p, (cs) => cs.join(''))

/** `"…"` with backslash escapes (any character after `\` is taken literally). */
const pQuotedValue: Parser<string> = between(char('"'), char('"'), joined(many(alt(noneOf('\\"'), right(char('\\'), anyChar)))))

const pDelimiter: Parser<string> = label(char('.'), 'delimiter (.)')

const pIdentifierChar: Parser<string> = alt(letter, digit, oneOf('_ $'))
const pIdentifier: Parser<string> = map(many1(pIdentifierChar), (cs) => hsStrip(cs.join('')))

/** A `-` that is not the start of `->`. */
const dash: Parser<string> = constant(tryP(right(char('-'), notFollowedBy(char('>'), showHsChar))), '-')
const sepByDash = (p: Parser<string>): Parser<string> => map(sepBy1(p, dash), (parts) => parts.join('-'))

export const pFieldName: Parser<string> = label(alt(pQuotedValue, sepByDash(pIdentifier)), 'field name (* or [a..z0..9_$])')

const pJsonKeyIdentifier: Parser<string> = map(many1(noneOf('(-:.,>)')), (cs) => hsStrip(cs.join('')))
const pJsonKeyName: Parser<string> = label(
  alt(pQuotedValue, sepByDash(pJsonKeyIdentifier)),
  'any non reserved character different from: .,>()',
)

const lookAheadString = (s: string): Parser<undefined> => tryP(voidP(lookAhead(string(s))))

/** What may follow an array index in a JSON path (note: not `)`, so `rel(data->0)` reads key "0"). */
const pJsonIdxEnd: Parser<undefined> = alt(
  lookAheadString('->'),
  lookAheadString('::'),
  lookAheadString('.'),
  lookAheadString(','),
  tryP(eof),
)

type JsonOperand = JsonOperation['operand']

const pJsonOperand: Parser<JsonOperand> = alt<JsonOperand>(
  tryP(map(seq(option('+', char('-')), many1(digit), pJsonIdxEnd), ([sign, digits]) => ({ kind: 'idx' as const, value: sign + digits.join('') }))),
  tryP(map(pJsonKeyName, (value) => ({ kind: 'key' as const, value }))),
)

const pJsonArrow: Parser<JsonOperation['op']> = alt(
  tryP(constant(string('->>'), 'doubleArrow' as const)),
  tryP(constant(string('->'), 'arrow' as const)),
)

export const pJsonPath: Parser<JsonOperation[]> = many(map(seq(pJsonArrow, pJsonOperand), ([op, operand]) => ({ op, operand })))

export const pField: Parser<Field> = lexeme(map(seq(pFieldName, option([], pJsonPath)), ([name, jsonPath]) => ({ name, jsonPath })))

const aliasSeparator: Parser<undefined> = right(char(':'), notFollowedBy(char(':'), showHsChar))
const pAlias: Parser<string | undefined> = optionMaybe(tryP(left(pFieldName, aliasSeparator)))
const pCast: Parser<string | undefined> = optionMaybe(right(string('::'), pIdentifier))

// ---------------------------------------------------------------------------------------------
// select

interface EmbedParams {
  readonly hint: string | undefined
  readonly joinType: JoinType | undefined
}

type EmbedParam = { readonly kind: 'join'; readonly joinType: JoinType } | { readonly kind: 'hint'; readonly hint: string }

const pEmbedParam: Parser<EmbedParam> = right(
  char('!'),
  alt<EmbedParam>(
    tryP(constant(string('left'), { kind: 'join', joinType: 'left' })),
    tryP(constant(string('inner'), { kind: 'join', joinType: 'inner' })),
    tryP(map(pFieldName, (hint) => ({ kind: 'hint', hint }))),
  ),
)

const hintOf = (p: EmbedParam | undefined): string | undefined => (p?.kind === 'hint' ? p.hint : undefined)
const joinOf = (p: EmbedParam | undefined): JoinType | undefined => (p?.kind === 'join' ? p.joinType : undefined)

const pEmbedParams: Parser<EmbedParams> = map(seq(optionMaybe(pEmbedParam), optionMaybe(pEmbedParam)), ([p1, p2]) => ({
  hint: hintOf(p1) ?? hintOf(p2),
  joinType: joinOf(p1) ?? joinOf(p2),
}))

const pEmbedOpen: Parser<undefined> = lookAheadString('(')

type RelationHead = Omit<Extract<SelectItem, { kind: 'relation' }>, 'children'>
type SpreadHead = Omit<Extract<SelectItem, { kind: 'spread' }>, 'children'>

export const pRelationSelect: Parser<RelationHead> = lexeme(
  bind(seq(pAlias, pFieldName), ([alias, relation]) =>
    relation === 'count'
      ? zero<RelationHead>()
      : map(seq(pEmbedParams, pEmbedOpen), ([{ hint, joinType }]) => ({ kind: 'relation' as const, relation, alias, hint, joinType })),
  ),
)

export const pSpreadRelationSelect: Parser<SpreadHead> = lexeme(
  map(seq(right(string('...'), pFieldName), pEmbedParams, pEmbedOpen), ([relation, { hint, joinType }]) => ({
    kind: 'spread' as const,
    relation,
    hint,
    joinType,
  })),
)

const pSelectEnd: Parser<undefined> = alt(lookAheadString(')'), lookAheadString(','), tryP(eof))

const pAggregation: Parser<AggregateFunction> = alt<AggregateFunction>(
  constant(string('sum'), 'sum'),
  constant(string('avg'), 'avg'),
  constant(string('count'), 'count'),
  tryP(constant(string('max'), 'max')),
  tryP(constant(string('min'), 'min')),
)

type FieldItem = Extract<SelectItem, { kind: 'field' }>

export const pFieldSelect: Parser<FieldItem> = lexeme(
  alt<FieldItem>(
    tryP(map(seq(string('*'), pSelectEnd), () => ({ kind: 'field' as const, field: { name: '*', jsonPath: [] } }))),
    tryP(
      map(seq(pAlias, string('count()'), pCast, pSelectEnd), ([alias, , aggregateCast]) => ({
        kind: 'field' as const,
        field: { name: '*', jsonPath: [] },
        alias,
        aggregate: 'count' as const,
        aggregateCast,
      })),
    ),
    map(
      seq(pAlias, pField, pCast, optionMaybe(tryP(between(char('.'), string('()'), pAggregation))), pCast, pSelectEnd),
      ([alias, field, cast, aggregate, aggregateCast]) => ({ kind: 'field' as const, field, alias, cast, aggregate, aggregateCast }),
    ),
  ),
)

export const pFieldForest: Parser<SelectItem[]> = lazy(() => sepBy(pFieldTree, lexeme(char(','))))

const pChildren: Parser<SelectItem[]> = lazy(() => between(char('('), char(')'), pFieldForest))

const pFieldTree: Parser<SelectItem> = alt<SelectItem>(
  map(seq(tryP(pSpreadRelationSelect), pChildren), ([head, children]) => ({ ...head, children })),
  map(seq(tryP(pRelationSelect), pChildren), ([head, children]) => ({ ...head, children })),
  pFieldSelect,
)

// ---------------------------------------------------------------------------------------------
// filters

const SIMPLE_OPERATORS: readonly SimpleOperator[] = ['neq', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxr', 'nxl', 'adj']
const QUANT_OPERATORS: readonly QuantOperator[] = ['eq', 'gte', 'gt', 'lte', 'lt', 'like', 'ilike', 'match', 'imatch']
const FTS_OPERATORS: readonly FtsOperator[] = ['fts', 'plfts', 'phfts', 'wfts']

const keyword = <A extends string>(words: readonly A[]): Parser<A> => alt(...words.map((w) => tryP(constant(string(w), w))))

const simpleOperator: Parser<SimpleOperator> = label(keyword(SIMPLE_OPERATORS), 'unknown single value operator')
const quantOperator: Parser<QuantOperator> = label(keyword(QUANT_OPERATORS), 'unknown single value operator')

/** Case-insensitive (per character, lower or upper). */
const ciString = (s: string): Parser<string> => joined(seq(...Array.from(s, (c) => alt(char(c), char(c.toUpperCase())))))

const pIsVal: Parser<IsValue> = label(
  alt<IsValue>(
    tryP(constant(ciString('null'), 'null')),
    tryP(constant(ciString('not_null'), 'not_null')),
    tryP(constant(ciString('true'), 'true')),
    tryP(constant(ciString('false'), 'false')),
    tryP(constant(ciString('unknown'), 'unknown')),
  ),
  'isVal: (null, not_null, true, false, unknown)',
)

export const pSingleVal: Parser<string> = joined(many(anyChar))

const pUnquotedListValue: Parser<string> = joined(many(noneOf(',)')))

const pListElement: Parser<string> = alt(tryP(left(pQuotedValue, notFollowedBy(noneOf(',)'), showHsChar))), pUnquotedListValue)

const pListVal: Parser<string[]> = between(lexeme(char('(')), lexeme(char(')')), sepBy1(pListElement, char(',')))

const keywordThenDelimiter = (w: string): Parser<unknown> => tryP(right(string(w), pDelimiter))

const pQuantifier: Parser<'any' | 'all' | undefined> = optionMaybe(
  tryP(between(char('('), char(')'), alt(tryP(constant(string('any'), 'any' as const)), constant(string('all'), 'all' as const)))),
)

const pOperation = (pSVal: Parser<string>): Parser<Operation> =>
  label(
    alt<Operation>(
      right(keywordThenDelimiter('in'), map(pListVal, (values) => ({ kind: 'in' as const, values }))),
      right(keywordThenDelimiter('is'), map(pIsVal, (value) => ({ kind: 'is' as const, value }))),
      right(keywordThenDelimiter('isdistinct'), map(pSVal, (value) => ({ kind: 'isdistinct' as const, value }))),
      tryP(
        map(seq(keyword(FTS_OPERATORS), optionMaybe(tryP(between(char('('), char(')'), pIdentifier))), pDelimiter, pSVal), ([op, language, , value]) => ({
          kind: 'fts' as const,
          op,
          language,
          value,
        })),
      ),
      tryP(map(seq(simpleOperator, pDelimiter, pSVal), ([op, , value]) => ({ kind: 'simple' as const, op, value }))),
      tryP(
        map(seq(quantOperator, pQuantifier, pDelimiter, pSVal), ([op, quantifier, , value]) => ({
          kind: 'quant' as const,
          op,
          quantifier,
          value,
        })),
      ),
    ),
    'operator (eq, gt, ...)',
  )

const pNegation: Parser<boolean> = alt(tryP(constant(right(string('not'), pDelimiter), true)), ret(false))

export const pOpExpr = (pSVal: Parser<string>): Parser<OpExpr> =>
  map(seq(pNegation, pOperation(pSVal)), ([negated, operation]) => ({ negated, operation }))

/** A filter's right-hand side, or (for GET/HEAD /rpc) a plain argument value. */
type FilterValue = { readonly kind: 'op'; readonly opExpr: OpExpr } | { readonly kind: 'noOp'; readonly value: string }

interface TreePath {
  readonly path: EmbedPath
  readonly field: Field
}

const pTreePath: Parser<TreePath> = map(seq(sepBy1(pFieldName, pDelimiter), option([], pJsonPath)), ([p, jsonPath]) => ({
  path: p.slice(0, -1),
  field: { name: p[p.length - 1] as string, jsonPath },
}))

// ---------------------------------------------------------------------------------------------
// order

const pOrderEnd: Parser<undefined> = alt(tryP(voidP(lookAhead(char(',')))), tryP(eof))

const pOrderDir: Parser<OrderDirection> = alt(
  tryP(right(pDelimiter, constant(string('asc'), 'asc' as const))),
  tryP(right(pDelimiter, constant(string('desc'), 'desc' as const))),
)

const pOrderNulls: Parser<OrderNulls> = alt(
  tryP(right(pDelimiter, constant(string('nullsfirst'), 'nullsfirst' as const))),
  tryP(right(pDelimiter, constant(string('nullslast'), 'nullslast' as const))),
)

const pOrderModifiers: Parser<readonly [OrderDirection | undefined, OrderNulls | undefined]> = seq(
  optionMaybe(pOrderDir),
  alt(left(optionMaybe(pOrderNulls), pOrderEnd), constant(pOrderEnd, undefined)),
)

const pOrderTerm: Parser<OrderTerm> = map(seq(pField, pOrderModifiers), ([field, [direction, nulls]]) => ({
  kind: 'field' as const,
  field,
  direction,
  nulls,
}))

const pOrderRelationTerm: Parser<OrderTerm> = map(
  seq(pFieldName, between(char('('), char(')'), pField), pOrderModifiers),
  ([relation, field, [direction, nulls]]) => ({ kind: 'relation' as const, relation, field, direction, nulls }),
)

export const pOrder: Parser<OrderTerm[]> = sepBy1(lexeme(alt(tryP(pOrderRelationTerm), pOrderTerm)), char(','))

// ---------------------------------------------------------------------------------------------
// and / or

const pPgArray: Parser<string> = map(seq(string('{'), many(noneOf('{}')), string('}')), ([a, b, c]) => a + b.join('') + c)

const pLogicSingleVal: Parser<string> = alt(tryP(left(pQuotedValue, notFollowedBy(noneOf(',)'), showHsChar))), tryP(pPgArray), pUnquotedListValue)

const pLogicFilter: Parser<Filter> = map(seq(pField, pDelimiter, pOpExpr(pLogicSingleVal)), ([field, , opExpr]) => ({ field, opExpr }))

const pNot: Parser<boolean> = label(alt(tryP(constant(right(string('not'), pDelimiter), true)), ret(false)), 'negation operator (not)')

const pLogicOp: Parser<'and' | 'or'> = label(
  alt(tryP(constant(string('and'), 'and' as const)), constant(string('or'), 'or' as const)),
  'logic operator (and, or)',
)

export const pLogicTree: Parser<LogicTree> = lazy(() =>
  alt<LogicTree>(
    map(tryP(pLogicFilter), (filter) => ({ kind: 'stmnt' as const, filter })),
    map(
      seq(pNot, pLogicOp, between(lexeme(char('(')), lexeme(char(')')), sepBy1(pLogicTree, lexeme(char(','))))),
      ([negated, op, children]) => ({ kind: 'expr' as const, negated, op, children }),
    ),
  ),
)

/** `clients.not.or` → embed path `['clients']`, operator text `not.or`. */
const pLogicPath: Parser<{ path: EmbedPath; op: string }> = map(sepBy1(pFieldName, pDelimiter), (parts) => {
  const op = parts[parts.length - 1] as string
  return { path: parts.slice(0, -1).filter((p) => p !== 'not'), op: parts.includes('not') ? `not.${op}` : op }
})

const pColumns: Parser<string[]> = sepBy1(pFieldName, lexeme(char(',')))

// ---------------------------------------------------------------------------------------------
// running a parser on one parameter

/** Runs `p` on `input`; a failure becomes PGRST100 with `"<source>" (line l, column c)` and Parsec's details. */
export const parseWith = <A>(p: Parser<A>, source: string, input: string): Result<A, ApiRequestError> => {
  let r: ReturnType<typeof runParser<A>>
  try {
    r = runParser(p, input)
  } catch (e) {
    // Beyond PostgREST: nesting ~1000 levels deep (`a(a(a(…` or `and(and(…`) exhausts the JS
    // stack; answer 400 instead of failing the whole request with an exception.
    if (e instanceof RangeError) return err({ kind: 'queryParam', message: showSourcePos(source, { line: 1, column: 1 }), details: 'nesting too deep' })
    throw e
  }
  if (r.ok) return ok(r.value)
  return err({
    kind: 'queryParam',
    message: showSourcePos(source, r.error.pos),
    details: hsStrip(showErrorMessages(r.error.messages).replace(/\n/g, ' ')),
  })
}

// Fast paths for the most common shapes. Each gives exactly what the Parsec grammar gives for
// inputs it accepts (plain ASCII identifiers; see the equivalence tests), everything else goes
// through the grammar.
const PLAIN_NAME = '[A-Za-z0-9_$]+'
const PLAIN_TREE_PATH = new RegExp(`^${PLAIN_NAME}(?:\\.${PLAIN_NAME})*$`)
const PLAIN_SELECT = new RegExp(`^(?:\\*|${PLAIN_NAME})(?:,(?:\\*|${PLAIN_NAME}))*$`)
const PLAIN_FILTER = /^(not\.)?(eq|neq|gte|gt|lte|lt|like|ilike|match|imatch|cs|cd|ov|sl|sr|nxr|nxl|adj|isdistinct)\.([\s\S]*)$/

const SIMPLE_OPS: ReadonlySet<string> = new Set(SIMPLE_OPERATORS)
const QUANT_OPS: ReadonlySet<string> = new Set(QUANT_OPERATORS)

const plainFilter = (value: string): OpExpr | null => {
  const m = PLAIN_FILTER.exec(value)
  if (m === null) return null
  const negated = m[1] !== undefined
  const name = m[2] as string
  const v = m[3] as string
  if (name === 'isdistinct') return { negated, operation: { kind: 'isdistinct', value: v } }
  if (SIMPLE_OPS.has(name)) return { negated, operation: { kind: 'simple', op: name as SimpleOperator, value: v } }
  if (QUANT_OPS.has(name)) return { negated, operation: { kind: 'quant', op: name as QuantOperator, quantifier: undefined, value: v } }
  return null
}

const plainSelectItem = (name: string): SelectItem =>
  name === '*'
    ? { kind: 'field', field: { name: '*', jsonPath: [] } }
    : { kind: 'field', field: { name, jsonPath: [] }, alias: undefined, cast: undefined, aggregate: undefined, aggregateCast: undefined }

const treePathSlow = memoize((key: string) => parseWith(pTreePath, `failed to parse tree path (${key})`, key))

const parseTreePath = (key: string): Result<TreePath, ApiRequestError> => {
  if (!PLAIN_TREE_PATH.test(key)) return treePathSlow(key)
  // indexOf rather than split: the keys are fresh (sliced) strings, which split handles slowly.
  const path: string[] = []
  let start = 0
  for (let dot = key.indexOf('.'); dot !== -1; dot = key.indexOf('.', start)) {
    path.push(key.slice(start, dot))
    start = dot + 1
  }
  return ok({ path, field: { name: key.slice(start), jsonPath: [] } })
}

const selectSlow = memoize((value: string) => parseWith(pFieldForest, `failed to parse select parameter (${value})`, value))

export const parseSelect = (value: string): Result<SelectItem[], ApiRequestError> =>
  PLAIN_SELECT.test(value) ? ok(value.split(',').map(plainSelectItem)) : selectSlow(value)

export const parseColumns = (value: string): Result<string[], ApiRequestError> =>
  parseWith(pColumns, `failed to parse columns parameter (${value})`, value)

export const parseOnConflict = (value: string): Result<string[], ApiRequestError> =>
  parseWith(pColumns, `failed to parse on_conflict parameter (${value})`, value)

const orderTerms = memoize((value: string) => parseWith(pOrder, `failed to parse order (${value})`, value))

export const parseOrder = (key: string, value: string): Result<readonly [EmbedPath, OrderTerm[]], ApiRequestError> => {
  const tp = parseTreePath(key)
  if (!tp.ok) return tp
  const terms = orderTerms(value)
  if (!terms.ok) return terms
  return ok([tp.value.path, terms.value] as const)
}

const logicPath = memoize((key: string) => parseWith(pLogicPath, `failed to parse logic path (${key})`, key))

/** Keyed by `<op length>:<op><value>`; the operator is prefixed to the value so `or=(…)` parses as `or(…)` and positions count it. */
const logicTree = memoize((k: string) => {
  const colon = k.indexOf(':')
  const opLength = Number(k.slice(0, colon))
  const input = k.slice(colon + 1)
  return parseWith(pLogicTree, `failed to parse logic tree (${input.slice(opLength)})`, input)
})

export const parseLogic = (key: string, value: string): Result<readonly [EmbedPath, LogicTree], ApiRequestError> => {
  const lp = logicPath(key)
  if (!lp.ok) return lp
  const tree = logicTree(`${lp.value.op.length}:${lp.value.op}${value}`)
  if (!tree.ok) return tree
  return ok([lp.value.path, tree.value] as const)
}

const pFilterValue: Parser<FilterValue> = map(pOpExpr(pSingleVal), (opExpr): FilterValue => ({ kind: 'op', opExpr }))

/** The right-hand side of `key=value` through the grammar only (exported for the fast-path equivalence tests). */
export const parseFilterValueSlow = (isRpcRead: boolean, value: string): Result<FilterValue, ApiRequestError> => {
  const p = isRpcRead ? alt(pFilterValue, ret<FilterValue>({ kind: 'noOp', value })) : pFilterValue
  return parseWith(p, `failed to parse filter (${value})`, value)
}

export const parseFilter = (
  isRpcRead: boolean,
  key: string,
  value: string,
): Result<{ readonly path: EmbedPath; readonly field: Field; readonly value: FilterValue }, ApiRequestError> => {
  const tp = parseTreePath(key)
  if (!tp.ok) return tp
  const plain = plainFilter(value)
  const v = plain !== null ? ok<FilterValue>({ kind: 'op', opExpr: plain }) : parseFilterValueSlow(isRpcRead, value)
  if (!v.ok) return v
  return ok({ path: tp.value.path, field: tp.value.field, value: v.value })
}

/** The grammar-only versions of the fast paths (for tests). */
export const slowPaths = {
  treePath: (key: string): Result<TreePath, ApiRequestError> => parseWith(pTreePath, `failed to parse tree path (${key})`, key),
  select: (value: string): Result<SelectItem[], ApiRequestError> => parseWith(pFieldForest, `failed to parse select parameter (${value})`, value),
}
export const fastPaths = { treePath: parseTreePath, select: parseSelect, filter: plainFilter }

// ---------------------------------------------------------------------------------------------
// the whole query string

/** Key for an embed path in range maps: names joined with NUL, '' for the root. */
export const embedPathKey = (path: EmbedPath): string => path.join('\0')

/** Everything but the per-path ranges, plus the ranges keyed by raw parameter name (as PostgREST keeps them). */
export interface ParsedQuery {
  readonly queryParams: Omit<QueryParams, 'ranges'>
  /** `limit` → root, `clients.limit` → clients (offsets are folded into the `.limit` key). */
  readonly rawRanges: ReadonlyMap<string, BoundaryRange>
}

/** The text after the last `.` (all of it without one). */
const lastSegment = (key: string): string => {
  const dot = key.lastIndexOf('.')
  return dot === -1 ? key : key.slice(dot + 1)
}

// Comparisons rather than Set#has: the keys are fresh strings, and hashing them costs more.
const isReserved = (k: string): boolean => k === 'select' || k === 'columns' || k === 'on_conflict'
const isReservedEmbeddable = (k: string): boolean => k === 'order' || k === 'limit' || k === 'offset' || k === 'and' || k === 'or'

/**
 * Parses a raw query string (percent-encoded, with or without `?`). `isRpcRead` is true for GET/HEAD
 * on /rpc, where parameters without an operator are function arguments.
 */
export const parseQueryString = (isRpcRead: boolean, rawQuery: string): Result<ParsedQuery, ApiRequestError> => {
  const items: DecodedQueryItem[] = parseQueryDecoded(rawQuery)
  const lookupParam = (needle: string): string | undefined => {
    const found = items.find((it) => it.key === needle)
    return found === undefined || found.value === null ? undefined : found.value
  }

  // Each parameter's last path segment, computed once: it decides what the parameter is.
  const orderParams: (readonly [string, string])[] = []
  const logicParams: (readonly [string, string])[] = []
  const filterParams: (readonly [string, string])[] = []
  const rangeParams: (readonly [string, string, string])[] = []
  for (const it of items) {
    if (it.value === null) continue
    const k = it.key
    const last = lastSegment(k)
    if (last === 'order') orderParams.push([k, it.value])
    else if (last === 'and' || last === 'or') logicParams.push([k, it.value])
    else if (last === 'limit' || last === 'offset') rangeParams.push([k, it.value, last])
    if (!isReservedEmbeddable(last) && !isReserved(k)) filterParams.push([k, it.value])
  }

  const order: (readonly [EmbedPath, OrderTerm[]])[] = []
  for (const [k, v] of orderParams) {
    const r = parseOrder(k, v)
    if (!r.ok) return r
    order.push(r.value)
  }

  const logic: (readonly [EmbedPath, LogicTree])[] = []
  for (const [k, v] of logicParams) {
    const r = parseLogic(k, v)
    if (!r.ok) return r
    logic.push(r.value)
  }

  let columns: string[] | undefined
  const columnsParam = lookupParam('columns')
  if (columnsParam !== undefined) {
    const r = parseColumns(columnsParam)
    if (!r.ok) return r
    columns = toSortedSet(r.value)
  }

  const select = parseSelect(lookupParam('select') ?? '*')
  if (!select.ok) return select

  const filters: (readonly [EmbedPath, Filter])[] = []
  const params: (readonly [string, string])[] = []
  for (const [k, v] of filterParams) {
    const r = parseFilter(isRpcRead, k, v)
    if (!r.ok) return r
    const fv = r.value.value
    if (fv.kind === 'op') filters.push([r.value.path, { field: r.value.field, opExpr: fv.opExpr }] as const)
    else params.push([r.value.field.name, fv.value] as const)
  }

  let onConflict: string[] | undefined
  const onConflictParam = lookupParam('on_conflict')
  if (onConflictParam !== undefined) {
    const r = parseOnConflict(onConflictParam)
    if (!r.ok) return r
    onConflict = r.value
  }

  // limit/offset: offsets are keyed like their limit (`x.offset` → `x.limit`); last one wins.
  const limits = new Map<string, BoundaryRange>()
  const offsets = new Map<string, BoundaryRange>()
  for (const [k, v, last] of rangeParams) {
    if (last === 'limit') limits.set(k, limitParamRange(v))
    else if (last === 'offset') offsets.set(`${k.slice(0, k.length - 'offset'.length)}limit`, offsetParamRange(v))
  }
  const rawRanges = new Map<string, BoundaryRange>(limits)
  for (const [k, o] of offsets) {
    const l = limits.get(k)
    rawRanges.set(k, l === undefined ? o : limitOffsetRange(l, o))
  }

  return ok({
    queryParams: {
      canonical: canonicalQuery(items),
      params,
      order,
      logic,
      columns,
      select: select.value,
      filters,
      filtersRoot: filters.filter(([p]) => p.length === 0).map(([, f]) => f),
      filtersNotRoot: filters.filter(([p]) => p.length > 0),
      filterFields: toSortedSet(filterParams.map(([k]) => k)),
      onConflict,
    },
    rawRanges,
  })
}

/** Raw range keys → embed-path keys (PostgREST parses these keys as tree paths when planning). */
export const rangesByEmbedPath = (raw: ReadonlyMap<string, BoundaryRange>): Result<Map<string, Range>, ApiRequestError> => {
  const out = new Map<string, Range>()
  // The root `limit` key is applied last so that it wins over odd keys resolving to the root.
  const entries = [...raw].sort(([a], [b]) => (a === 'limit' ? 1 : b === 'limit' ? -1 : 0))
  for (const [k, r] of entries) {
    const tp = parseTreePath(k)
    if (!tp.ok) return tp
    out.set(embedPathKey(tp.value.path), toApiRange(r))
  }
  return ok(out)
}

/** The parsed parameters with their ranges, written out rather than spread (this runs on every request). */
export const withRanges = (q: ParsedQuery['queryParams'], ranges: ReadonlyMap<string, Range>): QueryParams => ({
  canonical: q.canonical,
  params: q.params,
  ranges,
  order: q.order,
  logic: q.logic,
  columns: q.columns,
  select: q.select,
  filters: q.filters,
  filtersRoot: q.filtersRoot,
  filtersNotRoot: q.filtersNotRoot,
  filterFields: q.filterFields,
  onConflict: q.onConflict,
})

/** Parses a query string into QueryParams (ranges from limit/offset only, no Range header). */
export const parseQueryParams = (isRpcRead: boolean, rawQuery: string): Result<QueryParams, ApiRequestError> => {
  const parsed = parseQueryString(isRpcRead, rawQuery)
  if (!parsed.ok) return parsed
  const ranges = rangesByEmbedPath(parsed.value.rawRanges)
  if (!ranges.ok) return ranges
  return ok(withRanges(parsed.value.queryParams, ranges.value))
}
