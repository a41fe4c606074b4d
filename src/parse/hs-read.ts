/**
 * @module parse/hs-read: the number readers PostgREST relies on (`readMaybe :: Maybe Integer`,
 * `readMaybe :: Maybe Int64`, `reads :: ReadS Double`). Their accepted syntax leaks into
 * behaviour: `limit= 5 `, `limit=(5)` and `limit=0x10` are valid limits, `limit=+5` and
 * `limit=5.0` are silently ignored; `q=0.5x` is a q-value of 0.5.
 */
import { isHsAlpha, isHsAlphaNum, isHsSpace } from './parsec.ts'

const skipSpaces = (s: string, i: number): number => {
  let j = i
  while (j < s.length && isHsSpace(s[j] as string)) j++
  return j
}

/** Characters GHC's lexer munches into one symbol token. */
const SYMBOL_CHARS = '!@#$%&*+./<=>?\\^|:-~'

const NUMBER_RE = /^(?:0[xX]([0-9a-fA-F]+)|0[oO]([0-7]+)|(\d+)(\.\d+)?([eE][-+]?\d+)?)/

interface Lexed {
  readonly kind: 'integer' | 'fractional' | 'ident'
  readonly text: string
  readonly end: number
}

/** One number (or identifier) lexeme at `i` (after whitespace), as GHC.Read.Lex reads it. */
const lexNumberOrIdent = (s: string, i: number): Lexed | null => {
  const rest = s.slice(i)
  const m = NUMBER_RE.exec(rest)
  if (m !== null) {
    const end = i + m[0].length
    if (m[1] !== undefined) return { kind: 'integer', text: BigInt(`0x${m[1]}`).toString(), end }
    if (m[2] !== undefined) return { kind: 'integer', text: BigInt(`0o${m[2]}`).toString(), end }
    const isInt = m[4] === undefined && m[5] === undefined
    return { kind: isInt ? 'integer' : 'fractional', text: m[0], end }
  }
  const first = rest[0]
  if (first !== undefined && (isHsAlpha(first) || first === '_')) {
    let j = 1
    while (j < rest.length && (isHsAlphaNum(rest[j] as string) || rest[j] === '_' || rest[j] === "'")) j++
    return { kind: 'ident', text: rest.slice(0, j), end: i + j }
  }
  return null
}

/** readNumber: optional parentheses around an optionally negated number lexeme. Returns [value, end]. */
const readNumberAt = <T>(s: string, start: number, convert: (l: Lexed) => T | null, negate: (x: T) => T): readonly [T, number] | null => {
  const i = skipSpaces(s, start)
  if (s[i] === '(') {
    const inner = readNumberAt(s, i + 1, convert, negate)
    if (inner === null) return null
    const j = skipSpaces(s, inner[1])
    return s[j] === ')' ? [inner[0], j + 1] : null
  }
  if (s[i] === '-') {
    // a lone "-" symbol; "--", "-." etc. lex as other symbols
    if (i + 1 < s.length && SYMBOL_CHARS.includes(s[i + 1] as string)) return null
    const j = skipSpaces(s, i + 1)
    const l = lexNumberOrIdent(s, j)
    if (l === null) return null
    const v = convert(l)
    return v === null ? null : [negate(v), l.end]
  }
  const l = lexNumberOrIdent(s, i)
  if (l === null) return null
  const v = convert(l)
  return v === null ? null : [v, l.end]
}

/** `readMaybe s :: Maybe Integer`. */
export const readHsInteger = (s: string): bigint | null => {
  const r = readNumberAt(s, 0, (l) => (l.kind === 'integer' ? BigInt(l.text) : null), (x) => -x)
  if (r === null) return null
  return skipSpaces(s, r[1]) === s.length ? r[0] : null
}

/** `readMaybe s :: Maybe Int64` (Int64's Read wraps out-of-range integers). */
export const readHsInt64 = (s: string): bigint | null => {
  const v = readHsInteger(s)
  return v === null ? null : BigInt.asIntN(64, v)
}

/** The first result of `reads s :: [(Double, String)]`, trailing input allowed. */
export const readsHsDouble = (s: string): number | null => {
  const convert = (l: Lexed): number | null => {
    if (l.kind === 'ident') return l.text === 'NaN' ? Number.NaN : l.text === 'Infinity' ? Number.POSITIVE_INFINITY : null
    return Number(l.text)
  }
  const r = readNumberAt(s, 0, convert, (x) => -x)
  return r === null ? null : r[0]
}
