/**
 * @module test/unit/parse/query-params: the query-string grammar. Expected trees and error texts
 * are PostgREST v16.2's: its QueryParams.hs doctests, its spec suite (test/spec) and the
 * conformance corpus; where neither has a case, what its Parsec grammar produces.
 */
import { describe, expect, it } from 'vitest'
import type { ApiRequestError } from '../../../src/errors/types.ts'
import { runParser, showErrorMessages, type Parser } from '../../../src/parse/parsec.ts'
import {
  fastPaths,
  parseFilterValueSlow,
  parseQueryParams,
  pFieldForest,
  pFieldName,
  pFieldSelect,
  pJsonPath,
  pLogicTree,
  pOpExpr,
  pOrder,
  pRelationSelect,
  pSingleVal,
  pSpreadRelationSelect,
  slowPaths,
} from '../../../src/parse/query-params.ts'
import type { Field, Filter, LogicTree, OpExpr, Operation, OrderTerm, QueryParams, SelectItem } from '../../../src/parse/types.ts'

const parseQs = (qs: string, isRpcRead = false): QueryParams => {
  const r = parseQueryParams(isRpcRead, qs)
  if (!r.ok) throw new Error(`unexpected error: ${JSON.stringify(r.error)}`)
  return r.value
}
const parseQsError = (qs: string, isRpcRead = false): ApiRequestError => {
  const r = parseQueryParams(isRpcRead, qs)
  if (r.ok) throw new Error(`expected an error for ${qs}`)
  return r.error
}

/** Column and one-line details of a failed parse (as Parsec's doctests print them), or the value. */
const parsed = <A>(p: Parser<A>, input: string): unknown => {
  const r = runParser(p, input)
  return r.ok ? r.value : `(column ${r.error.pos.column}) ${showErrorMessages(r.error.messages).trim().replace(/\n/g, ' | ')}`
}

const fld = (name: string, ...jsonPath: Field['jsonPath']): Field => ({ name, jsonPath })
const key = (value: string) => ({ kind: 'key' as const, value })
const idx = (value: string) => ({ kind: 'idx' as const, value })
const col = (name: string, extra: Partial<Extract<SelectItem, { kind: 'field' }>> = {}): SelectItem => ({
  kind: 'field',
  field: fld(name),
  alias: undefined,
  cast: undefined,
  aggregate: undefined,
  aggregateCast: undefined,
  ...extra,
})
const star: SelectItem = { kind: 'field', field: fld('*') }
const op = (operation: Operation, negated = false): OpExpr => ({ negated, operation })
const eq = (value: string): Operation => ({ kind: 'quant', op: 'eq', quantifier: undefined, value })
const stmnt = (field: Field, opExpr: OpExpr): LogicTree => ({ kind: 'stmnt', filter: { field, opExpr } })

describe('PostgREST doctests', () => {
  it.each<[string, Parser<unknown>, string, unknown]>([
    ['pFieldForest', pFieldForest, 'id,clients(name[])', '(column 16) unexpected \'[\' | expecting letter, digit, "-", "->>", "->", "::", ".", ")", "," or end of input'],
    ['pFieldForest', pFieldForest, 'data->>-78xy', '(column 11) unexpected \'x\' | expecting digit, "->", "::", ".", "," or end of input'],
    ['pFieldForest', pFieldForest, '', []],
    ['pFieldName', pFieldName, 'identifier with spaces', 'identifier with spaces'],
    ['pFieldName', pFieldName, 'identifier-with-dashes', 'identifier-with-dashes'],
    ['pFieldName', pFieldName, '123', '123'],
    ['pFieldName', pFieldName, '_', '_'],
    ['pFieldName', pFieldName, '$', '$'],
    ['pFieldName', pFieldName, ':', '(column 1) unexpected ":" | expecting field name (* or [a..z0..9_$])'],
    ['pFieldName', pFieldName, '":"', ':'],
    ['pFieldName', pFieldName, ' no leading or trailing spaces ', 'no leading or trailing spaces'],
    ['pFieldName', pFieldName, '" leading and trailing spaces "', ' leading and trailing spaces '],
    ['pJsonPath', pJsonPath, '->text', [{ op: 'arrow', operand: key('text') }]],
    ['pJsonPath', pJsonPath, '->!@#$%^&*_a', [{ op: 'arrow', operand: key('!@#$%^&*_a') }]],
    ['pJsonPath', pJsonPath, '->1', [{ op: 'arrow', operand: idx('+1') }]],
    ['pJsonPath', pJsonPath, '->>text', [{ op: 'doubleArrow', operand: key('text') }]],
    ['pJsonPath', pJsonPath, '->>1', [{ op: 'doubleArrow', operand: idx('+1') }]],
    ['pJsonPath', pJsonPath, '->0,other', [{ op: 'arrow', operand: idx('+0') }]],
    ['pJsonPath', pJsonPath, '->0.desc', [{ op: 'arrow', operand: idx('+0') }]],
    ['pJsonPath', pJsonPath, '->>-78xy', '(column 7) unexpected \'x\' | expecting digit, "->", "::", ".", "," or end of input'],
    ['pJsonPath', pJsonPath, '->>--34', '(column 5) unexpected "-" | expecting digit'],
    ['pJsonPath', pJsonPath, '->>-xy-4', '(column 5) unexpected "x" | expecting digit'],
    ['pRelationSelect', pRelationSelect, 'rel->jsonpath(*)', "(column 6) unexpected '>'"],
    ['pRelationSelect', pRelationSelect, 'rel->jsonpath!hint(*)', "(column 6) unexpected '>'"],
    ['pFieldSelect', pFieldSelect, 'name!hint', '(column 5) unexpected \'!\' | expecting letter, digit, "-", "->>", "->", "::", ".", ")", "," or end of input'],
    ['pFieldSelect', pFieldSelect, '*!hint', '(column 2) unexpected \'!\' | expecting ")", "," or end of input'],
    ['pFieldSelect', pFieldSelect, 'name::', '(column 7) unexpected end of input | expecting letter or digit'],
    ['pSpreadRelationSelect', pSpreadRelationSelect, 'rel(*)', '(column 1) unexpected "r" | expecting "..."'],
    ['pSpreadRelationSelect', pSpreadRelationSelect, 'alias:...rel(*)', '(column 1) unexpected "a" | expecting "..."'],
    ['pSpreadRelationSelect', pSpreadRelationSelect, '...rel->jsonpath(*)', "(column 9) unexpected '>'"],
    ['pOrder', pOrder, 'clients(name,id)', '(column 8) unexpected \'(\' | expecting letter, digit, "-", "->>", "->", delimiter (.), "," or end of input'],
    ['pOrder', pOrder, 'id.ac', '(column 4) unexpected "c" | expecting "asc", "desc", "nullsfirst" or "nullslast"'],
    ['pOrder', pOrder, 'id.descc', '(column 8) unexpected \'c\' | expecting delimiter (.), "," or end of input'],
    ['pOrder', pOrder, 'id.nulsfist', '(column 4) unexpected "n" | expecting "asc", "desc", "nullsfirst" or "nullslast"'],
    ['pOrder', pOrder, 'id.nullslasttt', '(column 13) unexpected \'t\' | expecting "," or end of input'],
    ['pOrder', pOrder, 'id.smth34', '(column 4) unexpected "s" | expecting "asc", "desc", "nullsfirst" or "nullslast"'],
    ['pOrder', pOrder, 'id.asc.nlsfst', '(column 8) unexpected "l" | expecting "nullsfirst" or "nullslast"'],
    ['pOrder', pOrder, 'id.asc.nullslasttt', '(column 17) unexpected \'t\' | expecting "," or end of input'],
    ['pOrder', pOrder, 'id.asc.smth34', '(column 8) unexpected "s" | expecting "nullsfirst" or "nullslast"'],
    ['pLogicTree', pLogicTree, 'or()', '(column 4) unexpected ")" | expecting field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)'],
    ['pLogicTree', pLogicTree, 'or(id.in.1,2,id.eq.3)', '(column 10) unexpected "1" | expecting "("'],
    ['pLogicTree', pLogicTree, 'or)(', '(column 3) unexpected ")" | expecting "("'],
    ['pLogicTree', pLogicTree, 'and(ord(id.eq.1,id.eq.1),id.eq.2)', '(column 7) unexpected "d" | expecting "("'],
    ['pLogicTree', pLogicTree, 'or(id.eq.1,not.xor(id.eq.2,id.eq.3))', '(column 16) unexpected "x" | expecting logic operator (and, or)'],
  ])('%s %j', (_name, p, input, expected) => {
    expect(parsed(p, input)).toEqual(expected)
  })

  it.each<[string, unknown]>([
    ['fts().value', '(column 5) unexpected ")" | expecting operator (eq, gt, ...)'],
    ['eq(any).value', op({ kind: 'quant', op: 'eq', quantifier: 'any', value: 'value' })],
    ['eq(all).value', op({ kind: 'quant', op: 'eq', quantifier: 'all', value: 'value' })],
    ['not.eq(all).value', op({ kind: 'quant', op: 'eq', quantifier: 'all', value: 'value' }, true)],
    ['eq().value', '(column 4) unexpected ")" | expecting operator (eq, gt, ...)'],
    ['is().value', '(column 3) unexpected "(" | expecting operator (eq, gt, ...)'],
    ['in().value', '(column 3) unexpected "(" | expecting operator (eq, gt, ...)'],
  ])('pOpExpr pSingleVal %j', (input, expected) => {
    expect(parsed(pOpExpr(pSingleVal), input)).toEqual(expected)
  })

  it('relation and spread heads', () => {
    expect(parsed(pRelationSelect, 'rel(*)')).toEqual({ kind: 'relation', relation: 'rel', alias: undefined, hint: undefined, joinType: undefined })
    expect(parsed(pRelationSelect, 'alias:rel(*)')).toMatchObject({ relation: 'rel', alias: 'alias' })
    expect(parsed(pRelationSelect, 'rel!hint(*)')).toMatchObject({ relation: 'rel', hint: 'hint', joinType: undefined })
    expect(parsed(pRelationSelect, 'rel!inner(*)')).toMatchObject({ relation: 'rel', hint: undefined, joinType: 'inner' })
    expect(parsed(pRelationSelect, 'rel!hint!inner(*)')).toMatchObject({ hint: 'hint', joinType: 'inner' })
    expect(parsed(pRelationSelect, 'alias:rel!inner!hint(*)')).toMatchObject({ alias: 'alias', hint: 'hint', joinType: 'inner' })
    expect(parsed(pSpreadRelationSelect, '...rel(*)')).toEqual({ kind: 'spread', relation: 'rel', hint: undefined, joinType: undefined })
    expect(parsed(pSpreadRelationSelect, '...rel!hint!inner(*)')).toEqual({ kind: 'spread', relation: 'rel', hint: 'hint', joinType: 'inner' })
  })

  it('the canonical query string is sorted', () => {
    expect(parseQs('a=1&c=3&b=2&d', true).canonical).toBe('a=1&b=2&c=3&d=')
  })
})

describe('select', () => {
  it.each<[string, SelectItem[]]>([
    ['name,location', [col('name'), col('location')]],
    ['*', [star]],
    ['', []],
    ['alias:name->jsonpath::cast', [col('name', { field: fld('name', { op: 'arrow', operand: key('jsonpath') }), alias: 'alias', cast: 'cast' })]],
    ['data->a->>b', [col('data', { field: fld('data', { op: 'arrow', operand: key('a') }, { op: 'doubleArrow', operand: key('b') }) })]],
    ['data->0->>-1', [col('data', { field: fld('data', { op: 'arrow', operand: idx('+0') }, { op: 'doubleArrow', operand: idx('-1') }) })]],
    ['data->"a.b"', [col('data', { field: fld('data', { op: 'arrow', operand: key('a.b') }) })]],
    ['"my col"', [col('my col')]],
    ['first name', [col('first name')]],
    ['id::text', [col('id', { cast: 'text' })]],
    ['price::double precision', [col('price', { cast: 'double precision' })]],
    ['amount.sum()', [col('amount', { aggregate: 'sum' })]],
    ['amount.avg(),amount.max(),amount.min()', [col('amount', { aggregate: 'avg' }), col('amount', { aggregate: 'max' }), col('amount', { aggregate: 'min' })]],
    ['total:amount.sum()::int', [col('amount', { aggregate: 'sum', aggregateCast: 'int', alias: 'total' })]],
    ['amount::numeric.sum()::text', [col('amount', { cast: 'numeric', aggregate: 'sum', aggregateCast: 'text' })]],
    ['id.count()', [col('id', { aggregate: 'count' })]],
    ['count()', [{ kind: 'field', field: fld('*'), alias: undefined, aggregate: 'count', aggregateCast: undefined }]],
    ['cnt:count()::int', [{ kind: 'field', field: fld('*'), alias: 'cnt', aggregate: 'count', aggregateCast: 'int' }]],
    [' id , name ', [col('id'), col('name')]],
  ])('%j', (select, items) => {
    expect(parseQs(`select=${encodeURIComponent(select)}`).select).toEqual(items)
  })

  it('embeds, aliases, hints, join types and spreads', () => {
    expect(parseQs('select=*,client:clients!client_fk!inner(id,name),...projects!left(name),tasks(*,users(*))').select).toEqual([
      star,
      { kind: 'relation', relation: 'clients', alias: 'client', hint: 'client_fk', joinType: 'inner', children: [col('id'), col('name')] },
      { kind: 'spread', relation: 'projects', hint: undefined, joinType: 'left', children: [col('name')] },
      {
        kind: 'relation',
        relation: 'tasks',
        alias: undefined,
        hint: undefined,
        joinType: undefined,
        children: [star, { kind: 'relation', relation: 'users', alias: undefined, hint: undefined, joinType: undefined, children: [star] }],
      },
    ])
  })

  it('`count(` is a field, not an embed', () => {
    expect(parseQs('select=count()').select).toHaveLength(1)
    expect(parseQs('select=count()').select[0]).toMatchObject({ kind: 'field', aggregate: 'count' })
  })

  it('a JSON index inside an embed is a key (PostgREST does not accept `)` after an index)', () => {
    expect(parseQs('select=rel(data->0)').select[0]).toMatchObject({
      kind: 'relation',
      children: [{ kind: 'field', field: fld('data', { op: 'arrow', operand: key('0') }) }],
    })
  })

  it('the first select wins, and a select without a value means *', () => {
    expect(parseQs('select=a&select=b').select).toEqual([col('a')])
    expect(parseQs('select&select=b').select).toEqual([star])
  })

  it('does not need to reach the end of the parameter', () => {
    expect(parseQs('select=a),b').select).toEqual([col('a')])
    expect(parseQs('select=*!hint').select).toEqual([])
  })
})

describe('filters', () => {
  const filterOf = (value: string): OpExpr => {
    const qp = parseQs(`col=${encodeURIComponent(value)}`)
    expect(qp.filters).toHaveLength(1)
    return (qp.filters[0] as readonly [unknown, Filter])[1].opExpr
  }

  it.each<[string, Operation]>([
    ['eq.1', eq('1')],
    ['gt.1', { kind: 'quant', op: 'gt', quantifier: undefined, value: '1' }],
    ['gte.1', { kind: 'quant', op: 'gte', quantifier: undefined, value: '1' }],
    ['lt.1', { kind: 'quant', op: 'lt', quantifier: undefined, value: '1' }],
    ['lte.1', { kind: 'quant', op: 'lte', quantifier: undefined, value: '1' }],
    ['like.*a*', { kind: 'quant', op: 'like', quantifier: undefined, value: '*a*' }],
    ['ilike.A%', { kind: 'quant', op: 'ilike', quantifier: undefined, value: 'A%' }],
    ['match.^a', { kind: 'quant', op: 'match', quantifier: undefined, value: '^a' }],
    ['imatch.^a', { kind: 'quant', op: 'imatch', quantifier: undefined, value: '^a' }],
    ['like(any).{a*,b*}', { kind: 'quant', op: 'like', quantifier: 'any', value: '{a*,b*}' }],
    ['gt(all).{1,2}', { kind: 'quant', op: 'gt', quantifier: 'all', value: '{1,2}' }],
    ['neq.1', { kind: 'simple', op: 'neq', value: '1' }],
    ['cs.{1,2}', { kind: 'simple', op: 'cs', value: '{1,2}' }],
    ['cd.{1,2}', { kind: 'simple', op: 'cd', value: '{1,2}' }],
    ['ov.[1,2]', { kind: 'simple', op: 'ov', value: '[1,2]' }],
    ['sl.(1,2)', { kind: 'simple', op: 'sl', value: '(1,2)' }],
    ['sr.(1,2)', { kind: 'simple', op: 'sr', value: '(1,2)' }],
    ['nxr.(1,2)', { kind: 'simple', op: 'nxr', value: '(1,2)' }],
    ['nxl.(1,2)', { kind: 'simple', op: 'nxl', value: '(1,2)' }],
    ['adj.(1,2)', { kind: 'simple', op: 'adj', value: '(1,2)' }],
    ['in.(1,2,3)', { kind: 'in', values: ['1', '2', '3'] }],
    ['in.("a,b","c\\"d",e f)', { kind: 'in', values: ['a,b', 'c"d', 'e f'] }],
    ['in.( 1 , 2 )', { kind: 'in', values: ['1 ', ' 2 '] }],
    ['in.()', { kind: 'in', values: [''] }],
    ['is.null', { kind: 'is', value: 'null' }],
    ['is.NULL', { kind: 'is', value: 'null' }],
    ['is.not_null', { kind: 'is', value: 'not_null' }],
    ['is.TrUe', { kind: 'is', value: 'true' }],
    ['is.false', { kind: 'is', value: 'false' }],
    ['is.unknown', { kind: 'is', value: 'unknown' }],
    ['is.nullx', { kind: 'is', value: 'null' }],
    ['isdistinct.5', { kind: 'isdistinct', value: '5' }],
    ['fts.cat', { kind: 'fts', op: 'fts', language: undefined, value: 'cat' }],
    ['plfts(english).fat cats', { kind: 'fts', op: 'plfts', language: 'english', value: 'fat cats' }],
    ['phfts(german).a', { kind: 'fts', op: 'phfts', language: 'german', value: 'a' }],
    ['wfts.a or b', { kind: 'fts', op: 'wfts', language: undefined, value: 'a or b' }],
    ['eq.a.b.c', eq('a.b.c')],
    ['eq.', eq('')],
  ])('%j', (value, operation) => {
    expect(filterOf(value)).toEqual(op(operation))
  })

  it('not.', () => {
    expect(filterOf('not.eq.1')).toEqual(op(eq('1'), true))
    expect(filterOf('not.in.(1,2)')).toEqual(op({ kind: 'in', values: ['1', '2'] }, true))
    expect(filterOf('not.is.null')).toEqual(op({ kind: 'is', value: 'null' }, true))
  })

  it('embed paths, JSON paths and root/non-root split', () => {
    const qp = parseQs('id=eq.1&clients.projects.name=like.A*&data->a->>b=eq.x&clients.id=gt.2')
    expect(qp.filters.map(([p, f]) => [p, f.field])).toEqual([
      [[], fld('id')],
      [['clients', 'projects'], fld('name')],
      [[], fld('data', { op: 'arrow', operand: key('a') }, { op: 'doubleArrow', operand: key('b') })],
      [['clients'], fld('id')],
    ])
    expect(qp.filtersRoot.map((f) => f.field.name)).toEqual(['id', 'data'])
    expect(qp.filtersNotRoot.map(([p, f]) => [p, f.field.name])).toEqual([
      [['clients', 'projects'], 'name'],
      [['clients'], 'id'],
    ])
    expect(qp.filterFields).toEqual(['clients.id', 'clients.projects.name', 'data->a->>b', 'id'])
  })

  it('reserved parameters are not filters; embeddable ones are recognised by their last segment', () => {
    const qp = parseQs('select=id&columns=a&on_conflict=a&order=id&limit=1&offset=2&and=(a.eq.1)&or=(a.eq.1)&x.order=id&x.select=eq.1')
    expect(qp.filters.map(([p, f]) => [p, f.field.name])).toEqual([[['x'], 'select']])
  })

  it('parameters without a value are ignored (but kept in the canonical string)', () => {
    const qp = parseQs('id&name=eq.a')
    expect(qp.filters).toHaveLength(1)
    expect(qp.canonical).toBe('id=&name=eq.a')
  })

  it('GET /rpc: values without an operator are arguments, others are filters on the result', () => {
    const qp = parseQs('a=1&b=hello%20world&c=eq.3&d.e=isabel&f=in', true)
    expect(qp.params).toEqual([
      ['a', '1'],
      ['b', 'hello world'],
      ['e', 'isabel'],
      ['f', 'in'],
    ])
    expect(qp.filters.map(([, f]) => f.field.name)).toEqual(['c'])
    expect(qp.filterFields).toEqual(['a', 'b', 'c', 'd.e', 'f'])
  })

  it('GET /rpc: an operator prefix that fails after consuming is still an error', () => {
    expect(parseQsError('a=not.x', true)).toEqual({
      kind: 'queryParam',
      message: '"failed to parse filter (not.x)" (line 1, column 5)',
      details: 'unexpected "x" expecting operator (eq, gt, ...)',
    })
  })
})

describe('logic trees', () => {
  it.each<[string, unknown]>([
    ['or=(id.eq.1,id.eq.2)', [[], { kind: 'expr', negated: false, op: 'or', children: [stmnt(fld('id'), op(eq('1'))), stmnt(fld('id'), op(eq('2')))] }]],
    [
      'and=(a.gte.1,or(b.is.null,not.and(c.eq.2,d.in.(1,2))))',
      [
        [],
        {
          kind: 'expr',
          negated: false,
          op: 'and',
          children: [
            stmnt(fld('a'), op({ kind: 'quant', op: 'gte', quantifier: undefined, value: '1' })),
            {
              kind: 'expr',
              negated: false,
              op: 'or',
              children: [
                stmnt(fld('b'), op({ kind: 'is', value: 'null' })),
                { kind: 'expr', negated: true, op: 'and', children: [stmnt(fld('c'), op(eq('2'))), stmnt(fld('d'), op({ kind: 'in', values: ['1', '2'] }))] },
              ],
            },
          ],
        },
      ],
    ],
    ['not.or=(a.eq.1)', [[], { kind: 'expr', negated: true, op: 'or', children: [stmnt(fld('a'), op(eq('1')))] }]],
    ['clients.or=(a.eq.1)', [['clients'], { kind: 'expr', negated: false, op: 'or', children: [stmnt(fld('a'), op(eq('1')))] }]],
    ['clients.not.and=(a.eq.1)', [['clients'], { kind: 'expr', negated: true, op: 'and', children: [stmnt(fld('a'), op(eq('1')))] }]],
    [
      'or=( a.eq."x,y", b.cs.{1,2},c.not.eq.z , data->k.eq.1 )',
      [
        [],
        {
          kind: 'expr',
          negated: false,
          op: 'or',
          children: [
            stmnt(fld('a'), op(eq('x,y'))),
            stmnt(fld('b'), op({ kind: 'simple', op: 'cs', value: '{1,2}' })),
            stmnt(fld('c'), op(eq('z '), true)),
            stmnt(fld('data', { op: 'arrow', operand: key('k') }), op(eq('1 '))),
          ],
        },
      ],
    ],
  ])('%s', (qs, expected) => {
    expect(parseQs(qs).logic).toEqual([expected])
  })
})

describe('order', () => {
  const term = (field: Field, direction?: OrderTerm['direction'], nulls?: OrderTerm['nulls']): OrderTerm => ({ kind: 'field', field, direction, nulls })
  it.each<[string, unknown]>([
    ['order=id', [[], [term(fld('id'))]]],
    ['order=name.desc.nullsfirst', [[], [term(fld('name'), 'desc', 'nullsfirst')]]],
    ['order=a.asc,b.nullslast,c', [[], [term(fld('a'), 'asc'), term(fld('b'), undefined, 'nullslast'), term(fld('c'))]]],
    ['order=json_col->key.asc.nullslast', [[], [term(fld('json_col', { op: 'arrow', operand: key('key') }), 'asc', 'nullslast')]]],
    [
      'order=clients(json_col->key).desc.nullsfirst',
      [[], [{ kind: 'relation', relation: 'clients', field: fld('json_col', { op: 'arrow', operand: key('key') }), direction: 'desc', nulls: 'nullsfirst' }]],
    ],
    [
      'order=name,clients(name),id',
      [[], [term(fld('name')), { kind: 'relation', relation: 'clients', field: fld('name'), direction: undefined, nulls: undefined }, term(fld('id'))]],
    ],
    ['clients.projects.order=id.desc', [['clients', 'projects'], [term(fld('id'), 'desc')]]],
  ])('%s', (qs, expected) => {
    expect(parseQs(qs).order).toEqual([expected])
  })
})

describe('limit / offset', () => {
  it.each<[string, Record<string, { offset: number; limit?: number }>]>([
    ['limit=10', { '': { offset: 0, limit: 10 } }],
    ['offset=5', { '': { offset: 5 } }],
    ['limit=10&offset=5', { '': { offset: 5, limit: 10 } }],
    ['limit=0', { '': { offset: 0, limit: 0 } }],
    ['limit= 7 ', { '': { offset: 0, limit: 7 } }],
    ['limit=(3)', { '': { offset: 0, limit: 3 } }],
    ['limit=0x10', { '': { offset: 0, limit: 16 } }],
    ['limit=abc', { '': { offset: 0 } }],
    ['limit=%2B5', { '': { offset: 0 } }],
    ['limit=+5', { '': { offset: 0, limit: 5 } }],
    ['limit=5.0', { '': { offset: 0 } }],
    ['offset=-4', { '': { offset: -4 } }],
    ['limit=1&limit=2', { '': { offset: 0, limit: 2 } }],
    ['clients.limit=2&clients.offset=1&clients.projects.limit=3', { clients: { offset: 1, limit: 2 }, 'clients\u0000projects': { offset: 0, limit: 3 } }],
    // not an error below the root: PostgREST sends LIMIT -1 and PostgreSQL rejects it
    ['x.limit=-1', { x: { offset: 0, limit: -1 } }],
    ['limit=abc&offset=5', { '': { offset: 5, limit: 0 } }],
    ['limit=0&x.offset=5', { '': { offset: 0, limit: 0 }, x: { offset: 5 } }],
  ])('%s', (qs, expected) => {
    expect(Object.fromEntries(parseQs(qs).ranges)).toEqual(expected)
  })
})

describe('columns and on_conflict', () => {
  it('columns are a sorted set, on_conflict a list', () => {
    const qp = parseQs('columns=b, a ,b,"c d"&on_conflict=name,id')
    expect(qp.columns).toEqual(['a', 'b', 'c d'])
    expect(qp.onConflict).toEqual(['name', 'id'])
  })
  it('absent or without value', () => {
    expect(parseQs('columns').columns).toBeUndefined()
    expect(parseQs('').onConflict).toBeUndefined()
  })
})

describe('query-string decoding', () => {
  it('splits on & and ;, decodes %XX and +', () => {
    const qp = parseQs('a=eq.x+y;b=eq.%C3%A9%2B&c=eq.100%')
    expect(qp.filters.map(([, f]) => f.opExpr.operation)).toEqual([eq('x y'), eq('é+'), eq('100%')])
  })
  it('canonical: sorted by key, repeated keys folded, HTTP-style escapes', () => {
    expect(parseQs('b=2&a=x y&b=1&c=%C3%A9', true).canonical).toBe('a=x%20y&b=2,1&c=%C3%83%C2%A9')
    expect(parseQs('?select=id,name&id=eq.1').canonical).toBe('id=eq.1&select=id%2Cname')
  })
})

describe('PGRST100 errors', () => {
  it.each<[string, string, string]>([
    // conformance corpus / PostgREST spec suite
    ['select=data->>--34', '"failed to parse select parameter (data->>--34)" (line 1, column 9)', 'unexpected "-" expecting digit'],
    [
      'id=eq.10&select=data->(!@#$%^%26*_d->>!@#$%^%26*_e::integer'.replace(/#/g, '%23').replace(/%(?![0-9A-F]{2})/g, '%25'),
      '"failed to parse select parameter (data->(!@#$%^&*_d->>!@#$%^&*_e::integer)" (line 1, column 7)',
      'unexpected "(" expecting "-", digit or any non reserved character different from: .,>()',
    ],
    ['order=id.asc.nullslasttt', '"failed to parse order (id.asc.nullslasttt)" (line 1, column 17)', 'unexpected \'t\' expecting "," or end of input'],
    ['or=()', '"failed to parse logic tree (())" (line 1, column 4)', 'unexpected ")" expecting field name (* or [a..z0..9_$]), negation operator (not) or logic operator (and, or)'],
    ['columns=', '"failed to parse columns parameter ()" (line 1, column 1)', 'unexpected end of input expecting field name (* or [a..z0..9_$])'],
    ['id=0', '"failed to parse filter (0)" (line 1, column 1)', 'unexpected "0" expecting "not" or operator (eq, gt, ...)'],
    ['a.b=noop.0', '"failed to parse filter (noop.0)" (line 1, column 1)', 'unexpected "o" expecting "not" or operator (eq, gt, ...)'],
    // grammar-derived
    ['done=is.nil', '"failed to parse filter (is.nil)" (line 1, column 5)', 'unexpected "i" expecting isVal: (null, not_null, true, false, unknown)'],
    ['id=in.1,2', '"failed to parse filter (in.1,2)" (line 1, column 4)', 'unexpected "1" expecting "("'],
    ['id=in.(1,2', '"failed to parse filter (in.(1,2)" (line 1, column 8)', 'unexpected end of input expecting "," or ")"'],
    ['id=eq', '"failed to parse filter (eq)" (line 1, column 3)', 'unexpected end of input expecting operator (eq, gt, ...)'],
    ['id=not.eq', '"failed to parse filter (not.eq)" (line 1, column 7)', 'unexpected end of input expecting operator (eq, gt, ...)'],
    ['id=eq(some).1', '"failed to parse filter (eq(some).1)" (line 1, column 4)', 'unexpected "s" expecting operator (eq, gt, ...)'],
    ['id=ilike', '"failed to parse filter (ilike)" (line 1, column 6)', 'unexpected end of input expecting operator (eq, gt, ...)'],
    ['=eq.1', '"failed to parse tree path ()" (line 1, column 1)', 'unexpected end of input expecting field name (* or [a..z0..9_$])'],
    ['select=id,', '"failed to parse select parameter (id,)" (line 1, column 4)', 'unexpected end of input expecting "...", field name (* or [a..z0..9_$]), "*" or "count()"'],
    [
      'select=clients(id',
      '"failed to parse select parameter (clients(id)" (line 1, column 11)',
      'unexpected end of input expecting letter, digit, "-", "->>", "->", "::", ".", ")", "," or end of input',
    ],
    ['order=', '"failed to parse order ()" (line 1, column 1)', 'unexpected end of input expecting field name (* or [a..z0..9_$])'],
    // positions count the operator prefixed to the value: `or(a.eq.1`
    ['or=(a.eq.1', '"failed to parse logic tree ((a.eq.1)" (line 1, column 10)', 'unexpected end of input expecting "," or ")"'],
    // a quoted value must be followed directly by `,` or `)`
    ['or=(a.eq."x,y" ,b.eq.1)', '"failed to parse logic tree ((a.eq."x,y" ,b.eq.1))" (line 1, column 13)', 'unexpected "\\"" expecting letter, digit, "-", "->>", "->" or delimiter (.)'],
    ['on_conflict=', '"failed to parse on_conflict parameter ()" (line 1, column 1)', 'unexpected end of input expecting field name (* or [a..z0..9_$])'],
    ['.or=(a.eq.1)', '"failed to parse logic path (.or)" (line 1, column 1)', 'unexpected "." expecting field name (* or [a..z0..9_$])'],
  ])('%s', (qs, message, details) => {
    expect(parseQsError(qs)).toEqual({ kind: 'queryParam', message, details })
  })

  it('reports errors in PostgREST order: order, logic, columns, select, filters, on_conflict', () => {
    const bad = { order: 'order=.', logic: 'or=()', columns: 'columns=', select: 'select=a,', filter: 'id=x', onConflict: 'on_conflict=' }
    const messageOf = (qs: string) => (parseQsError(qs) as { message: string }).message
    expect(messageOf(Object.values(bad).reverse().join('&'))).toContain('failed to parse order')
    expect(messageOf([bad.onConflict, bad.filter, bad.select, bad.columns, bad.logic].join('&'))).toContain('failed to parse logic tree')
    expect(messageOf([bad.onConflict, bad.filter, bad.select, bad.columns].join('&'))).toContain('failed to parse columns')
    expect(messageOf([bad.onConflict, bad.filter, bad.select].join('&'))).toContain('failed to parse select')
    expect(messageOf([bad.onConflict, bad.filter].join('&'))).toContain('failed to parse filter')
  })
})

describe('fast paths agree with the grammar', () => {
  it.each(['*', 'id', 'id,name', '*,id,$x,_a1', 'count', 'a,*', 'limit', 'x1,y2,z3'])('select %j', (value) => {
    expect(fastPaths.select(value)).toEqual(slowPaths.select(value))
  })
  it.each(['id', 'limit', 'clients.limit', 'a.b.c', '$x._y', '123'])('tree path %j', (key) => {
    expect(fastPaths.treePath(key)).toEqual(slowPaths.treePath(key))
  })
  it.each([
    'eq.1',
    'eq.',
    'neq.a.b',
    'gt.5',
    'gte.5',
    'gt.e.5',
    'lt.x',
    'lte.x',
    'like.*a*',
    'ilike.A%',
    'match.^a$',
    'imatch.x',
    'cs.{1,2}',
    'cd.{1}',
    'ov.[1,2]',
    'sl.(1,2)',
    'sr.(1,2)',
    'nxr.(1,2)',
    'nxl.(1,2)',
    'adj.(1,2)',
    'isdistinct.5',
    'not.eq.1',
    'not.isdistinct.x',
    'eq.line1\nline2',
    'eq.é',
  ])('filter %j', (value) => {
    const fast = fastPaths.filter(value)
    expect(fast).not.toBeNull()
    for (const isRpcRead of [false, true]) expect({ ok: true, value: { kind: 'op', opExpr: fast } }).toEqual(parseFilterValueSlow(isRpcRead, value))
  })
  it.each(['in.(1,2)', 'is.null', 'fts.a', 'eq(any).{1}', 'not.not.eq.1', 'noop.1', 'x', 'Eq.1', 'plfts(english).a'])('filter %j takes the grammar', (value) => {
    expect(fastPaths.filter(value)).toBeNull()
  })
})

describe('pathological nesting', () => {
  it('answers a parse error instead of throwing when nesting exhausts the stack', () => {
    const deep = `select=${'a('.repeat(5000)}b${')'.repeat(5000)}`
    expect(parseQsError(deep)).toMatchObject({ kind: 'queryParam', details: 'nesting too deep' })
    expect(parseQs(`select=${'a('.repeat(100)}b${')'.repeat(100)}`).select).toHaveLength(1)
  })
})
