/**
 * @module test/unit/parse/parsec: the Parsec-semantics core. Expected texts follow Parsec 3.1
 * (Text.Parsec.Prim/Error) and GHC's `show`, which PostgREST's PGRST100 details expose.
 */
import { describe, expect, it } from 'vitest'
import {
  alt,
  char,
  digit,
  eof,
  hsStrip,
  label,
  letter,
  lookAhead,
  many,
  many1,
  noneOf,
  notFollowedBy,
  right,
  runParser,
  seq,
  sepBy,
  showErrorMessages,
  showHsChar,
  showHsString,
  showSourcePos,
  string,
  tryP,
  type Parser,
} from '../../../src/parse/parsec.ts'

/** `(line, column)` and the rendered messages of a failed parse, or the value. */
const run = <A>(p: Parser<A>, input: string): { value: A } | { line: number; column: number; text: string } => {
  const r = runParser(p, input)
  if (r.ok) return { value: r.value }
  return { line: r.error.pos.line, column: r.error.pos.column, text: showErrorMessages(r.error.messages) }
}

describe('Haskell show', () => {
  it.each([
    ['x', "'x'"],
    ["'", "'\\''"],
    ['"', `'"'`],
    ['\\', "'\\\\'"],
    ['\n', "'\\n'"],
    ['\t', "'\\t'"],
    ['\u0000', "'\\NUL'"],
    ['\u001b', "'\\ESC'"],
    ['\u007f', "'\\DEL'"],
    ['é', "'\\233'"],
    ['😀', "'\\128512'"],
  ])('show %j :: Char', (c, shown) => {
    expect(showHsChar(c)).toBe(shown)
  })

  it.each([
    ['x', '"x"'],
    ['"', '"\\""'],
    ["'", `"'"`],
    ['a\\b', '"a\\\\b"'],
    ['é1', '"\\233\\&1"'],
    ['\u000eH', '"\\SO\\&H"'],
    ['', '""'],
  ])('show %j :: String', (s, shown) => {
    expect(showHsString(s)).toBe(shown)
  })

  it('renders source positions like Parsec', () => {
    expect(showSourcePos('failed to parse x', { line: 1, column: 4 })).toBe('"failed to parse x" (line 1, column 4)')
    expect(showSourcePos('', { line: 2, column: 1 })).toBe('(line 2, column 1)')
  })

  it('strips like Data.Text.strip', () => {
    expect(hsStrip('  a b \t')).toBe('a b')
    expect(hsStrip('\u00a0x\u2003')).toBe('x')
  })
})

describe('Parsec semantics', () => {
  it('reports the unexpected token and every expectation at the furthest position', () => {
    expect(run(alt(char('a'), char('b'), digit), 'x')).toEqual({ line: 1, column: 1, text: '\nunexpected "x"\nexpecting "a", "b" or digit' })
  })

  it('reports end of input', () => {
    expect(run(many1(letter), '')).toEqual({ line: 1, column: 1, text: '\nunexpected end of input\nexpecting letter' })
  })

  it('does not try the next alternative once input was consumed', () => {
    const p = alt(string('abc'), string('abd'))
    expect(run(p, 'abd')).toEqual({ line: 1, column: 1, text: '\nunexpected "d"\nexpecting "abc"' })
    expect(run(alt(tryP(string('abc')), string('abd')), 'abd')).toEqual({ value: 'abd' })
  })

  it('merges errors of alternatives that failed at the same position', () => {
    expect(run(alt(tryP(string('abc')), tryP(string('abd'))), 'abx')).toEqual({
      line: 1,
      column: 1,
      text: '\nunexpected "x"\nexpecting "abc" or "abd"',
    })
  })

  it('labels replace expectations only when nothing was consumed', () => {
    expect(run(label(many1(digit), 'number'), 'x')).toEqual({ line: 1, column: 1, text: '\nunexpected "x"\nexpecting number' })
    const aDigit = label(right(char('a'), digit), 'a then digit')
    expect(run(aDigit, 'ax')).toEqual({ line: 1, column: 2, text: '\nunexpected "x"\nexpecting digit' })
  })

  it('keeps expectations from optional parts that stopped at the failing position', () => {
    const p = seq(many(digit), char(';'))
    expect(run(p, '12x')).toEqual({ line: 1, column: 3, text: '\nunexpected "x"\nexpecting digit or ";"' })
  })

  it('eof and notFollowedBy report the token with show Char, after the consumed prefix', () => {
    expect(run(seq(char('a'), eof), 'ab')).toEqual({ line: 1, column: 2, text: "\nunexpected 'b'\nexpecting end of input" })
    const noArrow = seq(char('-'), notFollowedBy(char('>'), showHsChar))
    expect(run(noArrow, '->')).toEqual({ line: 1, column: 3, text: "\nunexpected '>'" })
  })

  it('lookAhead does not consume', () => {
    expect(run(right(lookAhead(string('ab')), string('abc')), 'abc')).toEqual({ value: 'abc' })
  })

  it('sepBy accepts nothing and stops before a separator without an item', () => {
    expect(run(sepBy(many1(letter), char(',')), '')).toEqual({ value: [] })
    expect(run(sepBy(many1(noneOf(',')), char(',')), 'a,b')).toEqual({ value: [['a'], ['b']] })
  })

  it('counts columns per code point, with tab stops and newlines', () => {
    const upToX = seq(many(noneOf('x')), char('y'))
    expect(run(upToX, '😀x')).toMatchObject({ line: 1, column: 2 })
    expect(run(upToX, '\tx')).toMatchObject({ line: 1, column: 9 })
    expect(run(upToX, 'ab\tx')).toMatchObject({ line: 1, column: 9 })
    expect(run(upToX, 'a\nbx')).toMatchObject({ line: 2, column: 2 })
  })

  it('does not require the end of input', () => {
    expect(run(many1(letter), 'ab1')).toEqual({ value: ['a', 'b'] })
  })
})
