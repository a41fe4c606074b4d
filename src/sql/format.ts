/**
 * @module sql/format: formatters for one typed thing each (fields, filters, logic trees, order
 * terms, ranges, casts), mirroring PostgREST's SqlFragment.hs. Every user value becomes a
 * parameter of unknown type so Postgres infers it from the column (`unknownLiteral`).
 */
import type { JsonOperation, QualifiedIdentifier, Range } from '../parse/types.ts'
import type {
  CoercibleField,
  CoercibleFilter,
  CoercibleLogicTree,
  CoercibleOrderTerm,
  CoercibleSelectField,
  JoinCondition,
} from '../plan/types.ts'
import { concat, empty, ident, join, param, raw, sql, type SqlFragment } from './fragment.ts'

/** `"schema"."name"`, or just `"name"` when the schema is empty (aliases, CTEs). */
export const fromQi = (q: QualifiedIdentifier): SqlFragment =>
  q.schema === '' ? ident(q.name) : concat(ident(q.schema), raw('.'), ident(q.name))

export const fmtColumn = (table: QualifiedIdentifier, column: string): SqlFragment =>
  column === '*' ? concat(fromQi(table), raw('.*')) : concat(fromQi(table), raw('.'), ident(column))

/** A function name from the schema cache (already schema-qualified text such as `test.fn`). */
const callUnary = (fn: string, arg: SqlFragment): SqlFragment => {
  const dot = fn.indexOf('.')
  const name = dot > 0 ? concat(ident(fn.slice(0, dot)), raw('.'), ident(fn.slice(dot + 1))) : ident(fn)
  return concat(name, raw('('), arg, raw(')'))
}

export const fmtJsonPath = (path: readonly JsonOperation[]): SqlFragment =>
  concat(
    ...path.map((p) => {
      const op = raw(p.op === 'arrow' ? '->' : '->>')
      return p.operand.kind === 'key' ? concat(op, param(p.operand.value)) : concat(op, param(p.operand.value), raw('::int'))
    }),
  )

const ftsLang = (lang: string | undefined): SqlFragment => (lang === undefined ? empty : concat(param(lang), raw(', ')))

export const fmtField = (table: QualifiedIdentifier, f: CoercibleField): SqlFragment => {
  let fld: SqlFragment
  if (f.fullRow) fld = ident(table.name)
  else if (f.jsonPath.length === 0) fld = fmtColumn(table, f.name)
  else if (f.toJson) fld = concat(raw('to_jsonb('), fmtColumn(table, f.name), raw(')'), fmtJsonPath(f.jsonPath))
  else fld = concat(fmtColumn(table, f.name), fmtJsonPath(f.jsonPath))
  return f.toTsVector ? concat(raw('to_tsvector('), ftsLang(f.toTsVector.language), fld, raw(')')) : fld
}

/** Apply the field's output representation function, if any. */
export const fmtTableCoerce = (table: QualifiedIdentifier, f: CoercibleField): SqlFragment =>
  f.transform !== undefined ? callUnary(f.transform, fmtField(table, f)) : fmtField(table, f)

/**
 * Casts are written unquoted on purpose: `1::"bigint"` fails while `1::bigint` works. The parser
 * only lets identifier characters through, so this is not an injection vector.
 */
export const applyCast = (cast: string | undefined, f: SqlFragment): SqlFragment =>
  cast === undefined ? f : concat(raw('CAST( '), f, raw(' AS '), raw(cast), raw(' )'))

export const applyAggregate = (agg: CoercibleSelectField['aggregate'], aggCast: string | undefined, f: SqlFragment): SqlFragment =>
  agg === undefined ? f : applyCast(aggCast, concat(raw(agg.toUpperCase()), raw('('), f, raw(')')))

export const fmtAs = (alias: string | undefined): SqlFragment => (alias === undefined ? empty : concat(raw(' AS '), ident(alias)))

export const fmtSelectItem = (table: QualifiedIdentifier, s: CoercibleSelectField): SqlFragment =>
  concat(applyAggregate(s.aggregate, s.aggregateCast, applyCast(s.cast, fmtTableCoerce(table, s.field))), fmtAs(s.alias))

const simpleOps = { neq: '<>', cs: '@>', cd: '<@', ov: '&&', sl: '<<', sr: '>>', nxr: '&<', nxl: '&>', adj: '-|-' } as const
const quantOps = { eq: '=', gte: '>=', gt: '>', lte: '<=', lt: '<', like: 'like', ilike: 'ilike', match: '~', imatch: '~*' } as const
const ftsOps = { fts: '@@ to_tsquery', plfts: '@@ plainto_tsquery', phfts: '@@ phraseto_tsquery', wfts: '@@ websearch_to_tsquery' } as const

/** A value from the query string, passed through the field's text→type representation if any. */
const unknownLiteralFor = (value: string, f: CoercibleField): SqlFragment =>
  f.transform !== undefined ? callUnary(f.transform, param(value)) : param(value)

/**
 * A Postgres array literal built by hand so the array is one parameter of unknown element type
 * (`= ANY($1)`) and statement shapes do not depend on the number of values.
 */
export const pgArrayLiteral = (values: readonly string[]): string =>
  `{${values.map((v) => `"${v.replace(/\u0000/g, '').replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`

const arrayLiteralFor = (values: readonly string[], f: CoercibleField): SqlFragment =>
  f.transform !== undefined
    ? concat(raw('(SELECT '), callUnary(f.transform, concat(raw('unnest('), param(pgArrayLiteral(values)), raw('::text[])'))), raw(')'))
    : param(pgArrayLiteral(values))

const fmtQuant = (q: 'any' | 'all' | undefined, v: SqlFragment): SqlFragment =>
  q === 'any' ? concat(raw('ANY('), v, raw(')')) : q === 'all' ? concat(raw('ALL('), v, raw(')')) : v

export const fmtFilter = (table: QualifiedIdentifier, flt: CoercibleFilter): SqlFragment => {
  if (flt.kind === 'nullEmbed') {
    return concat(ident(flt.aggAlias), raw(flt.negated ? ' IS DISTINCT FROM NULL' : ' IS NOT DISTINCT FROM NULL'))
  }
  const { field, opExpr } = flt
  const not = raw(opExpr.negated ? 'NOT ' : '')
  const fld = fmtField(table, field)
  const op = opExpr.operation
  switch (op.kind) {
    case 'simple':
      return concat(not, fld, raw(` ${simpleOps[op.op]} `), unknownLiteralFor(op.value, field))
    case 'quant': {
      // `*` is accepted as the LIKE wildcard because `%` is awkward in URLs.
      const v =
        op.op === 'like' || op.op === 'ilike' ? param(op.value.replace(/\*/g, '%')) : unknownLiteralFor(op.value, field)
      return concat(not, fld, raw(` ${quantOps[op.op]} `), fmtQuant(op.quantifier, v))
    }
    case 'is': {
      // IS cannot take a parameter, so the operand is one of five whitelisted keywords.
      const kw = { null: 'NULL', not_null: 'NOT NULL', true: 'TRUE', false: 'FALSE', unknown: 'UNKNOWN' }[op.value]
      return concat(not, fld, raw(` IS ${kw}`))
    }
    case 'isdistinct':
      return concat(not, fld, raw(' IS DISTINCT FROM '), param(op.value))
    case 'in':
      // `= ANY` instead of IN: an empty list is valid and the statement shape is stable.
      return op.values.length === 1 && op.values[0] === ''
        ? concat(not, fld, raw(" = ANY('{}')"))
        : concat(not, fld, raw(' = ANY ('), arrayLiteralFor(op.values, field), raw(')'))
    case 'fts':
      return concat(not, fld, raw(` ${ftsOps[op.op]}(`), ftsLang(op.language), param(op.value), raw(')'))
    default: {
      const never: never = op
      throw new TypeError(`unknown operation ${String(never)}`)
    }
  }
}

export const fmtLogicTree = (table: QualifiedIdentifier, t: CoercibleLogicTree): SqlFragment => {
  if (t.kind === 'stmnt') return fmtFilter(table, t.filter)
  return concat(
    raw(t.negated ? 'NOT (' : '('),
    join(
      t.children.map((c) => fmtLogicTree(table, c)),
      t.op === 'and' ? ' AND ' : ' OR ',
    ),
    raw(')'),
  )
}

export const fmtJoinCondition = (j: JoinCondition): SqlFragment =>
  concat(fmtColumn(j.left[0], j.left[1]), raw(' = '), fmtColumn(j.right[0], j.right[1]))

export const fmtOrderTerm = (table: QualifiedIdentifier, o: CoercibleOrderTerm): SqlFragment => {
  const term =
    o.kind === 'field'
      ? fmtField(table, o.field)
      : fmtField({ schema: '', name: o.relation }, { name: o.field.name, jsonPath: o.field.jsonPath, toJson: false, irType: '', baseType: '', fullRow: false })
  const dir = o.direction === 'asc' ? ' ASC' : o.direction === 'desc' ? ' DESC' : ''
  const nulls = o.nulls === 'nullsfirst' ? ' NULLS FIRST' : o.nulls === 'nullslast' ? ' NULLS LAST' : ''
  return concat(term, raw(dir + nulls))
}

export const orderClause = (table: QualifiedIdentifier, terms: readonly CoercibleOrderTerm[]): SqlFragment =>
  terms.length === 0 ? empty : concat(raw('ORDER BY '), join(terms.map((t) => fmtOrderTerm(table, t)), ', '))

export const isAllRange = (r: Range): boolean => r.offset === 0 && r.limit === undefined

export const limitOffsetClause = (r: Range): SqlFragment =>
  isAllRange(r)
    ? empty
    : concat(raw('LIMIT '), r.limit === undefined ? raw('ALL') : param(String(r.limit)), raw(' OFFSET '), param(String(r.offset)))

/** `nullif(current_setting('x', true), '')`: an unset GUC reads as NULL, not ''. */
export const currentSetting = (name: 'response.headers' | 'response.status' | 'pgrst.inserted'): SqlFragment =>
  raw(`nullif(current_setting('${name}', true), '')`)

export { sql }
