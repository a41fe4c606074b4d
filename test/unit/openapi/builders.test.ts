/**
 * The OpenAPI builders' small pure pieces (src/openapi/): PostgREST's description split, default
 * parsing and type mapping, the type names as documents show them, and OpenAPI 3 component names.
 * The documents as a whole are checked over HTTP (test/spec/parity/openapi-scenarios.ts) and by a
 * validator (test/spec/openapi-validate.test.ts).
 */
import { describe, expect, it } from 'vitest'
import { splitDescription } from '../../../src/openapi/model.ts'
import { displayType, jsonFormat, jsonType } from '../../../src/openapi/pg-types.ts'
import { columnDefault } from '../../../src/openapi/swagger2.ts'
import { componentName, typeSchema } from '../../../src/openapi/openapi31.ts'
import type { Column } from '../../../src/schema-cache/types.ts'

const column = (type: string, dflt: string | null): Column => ({
  name: 'c',
  description: null,
  nullable: true,
  type,
  nominalType: type,
  maxLen: null,
  default: dflt,
  enum: [],
})

describe('splitDescription', () => {
  it.each([
    [null, null],
    ['One line', { summary: 'One line', rest: '' }],
    ['Title\nBody', { summary: 'Title', rest: 'Body' }],
    ['Title\n\n\nBody\nmore', { summary: 'Title', rest: 'Body\nmore' }],
  ])('%j', (text, want) => expect(splitDescription(text)).toEqual(want))
})

describe('columnDefault (PostgREST parseDefault)', () => {
  it.each([
    ['text', "'default'::text", 'default'],
    ['date', "'1900-01-01'::date", '1900-01-01'],
    ['time without time zone', "'13:00:00'::time without time zone", '13:00:00'],
    ['api.mood', "'sad'::api.mood", 'sad'],
    ['integer', '42', 42],
    ['numeric', '42.2', 42.2],
    ['boolean', 'false', false],
    // Expressions are not JSON: no default in the document.
    ['integer', "nextval('seq'::regclass)", undefined],
    ['timestamp with time zone', 'now()', 'now()'],
  ] as const)('%s %s', (type, dflt, want) => expect(columnDefault(column(type, dflt))).toEqual(want))
  it('no default', () => expect(columnDefault(column('text', null))).toBeUndefined())
})

describe('type mapping', () => {
  it.each([
    ['character varying', 'string', 'character varying'],
    ['smallint', 'integer', 'int32'],
    ['bigint', 'integer', 'int64'],
    ['double precision', 'number', 'double precision'],
    ['jsonb', null, 'jsonb'],
    ['uuid', 'string', 'uuid'],
    ['text[]', 'array', 'text[]'],
  ] as const)('%s → %s / %s', (pg, type, format) => {
    expect([jsonType(pg), jsonFormat(pg)]).toEqual([type, format])
  })
  it('JSON Schema 2020-12 for 3.1', () => {
    expect(typeSchema('integer[]')).toEqual({ type: 'array', items: { type: 'integer', format: 'int32' } })
    expect(typeSchema('timestamp with time zone')).toEqual({ type: 'string', format: 'date-time' })
    expect(typeSchema('json')).toEqual({})
  })
})

describe('displayType', () => {
  const visible = ['api', 'public']
  it.each([
    ['api.mood', 'mood'],
    ['api.mood[]', 'mood[]'],
    ['other.mood', 'other.mood'],
    ['"My Schema".t', '"My Schema".t'],
    ['integer', 'integer'],
  ])('%s → %s', (type, want) => expect(displayType(type, visible)).toBe(want))
  it('a quoted visible schema', () => expect(displayType('"My Schema".t', ['My Schema'])).toBe('t'))
})

describe('componentName (OpenAPI 3 allows [A-Za-z0-9._-])', () => {
  it.each([
    [['books'], 'books'],
    [['book_counts'], 'book_counts'],
    [['Weird Names'], 'Weird-20-Names'],
    [['a-b'], 'a--b'],
    [['a.insert'], 'a-2e-insert'],
    [['rowFilter', 'items', 'a"b'], 'rowFilter.items.a-22-b'],
    [['تست'], '-62a--633--62a-'],
  ])('%j → %s', (parts, want) => {
    expect(componentName(...parts)).toBe(want)
    expect(componentName(...parts)).toMatch(/^[A-Za-z0-9._-]+$/)
  })
  it('keeps distinct names distinct', () => {
    const names = ['a b', 'a_b', 'a-b', 'a--b', 'a-20-b', 'a.b']
    expect(new Set(names.map((n) => componentName(n))).size).toBe(names.length)
  })
})
