/**
 * @module parse/parsec: a tiny parser-combinator core with Parsec's semantics.
 *
 * PostgREST's query-string grammar is written with Parsec, and clients see Parsec's error
 * texts verbatim (`"failed to parse select parameter (…)" (line 1, column 9)` with details like
 * `unexpected "-" expecting digit`). Those texts depend on Parsec's exact rules: which
 * alternatives consumed input, how errors at the same position merge, how labels (`<?>`)
 * replace expectations, how `try`/`lookAhead`/`notFollowedBy` rewrite errors, and how the final
 * message is rendered. This module reproduces those rules so that a grammar written with these
 * combinators yields the same positions and messages as the Haskell original.
 *
 * Input is a sequence of Unicode code points (Haskell `Char`s), positions are 1-based
 * line/column with Parsec's tab stops.
 */

export interface SourcePos {
  readonly line: number
  readonly column: number
}

/** Parsec's Message constructors, in their sort order. */
const SYS_UNEXPECT = 0
const UNEXPECT = 1
const EXPECT = 2
const MESSAGE = 3
type MessageKind = typeof SYS_UNEXPECT | typeof UNEXPECT | typeof EXPECT | typeof MESSAGE

/**
 * A message; token texts are rendered lazily (`show` of the offending character or string) since
 * almost every failure is discarded by backtracking and never shown.
 */
interface Message {
  readonly kind: MessageKind
  readonly text: string | null
  readonly shown?: string
}

const messageText = (m: Message): string => m.text ?? showHsString(m.shown ?? '')

export interface ParseError {
  readonly pos: SourcePos
  readonly messages: readonly Message[]
}

export interface State {
  readonly input: readonly string[]
  readonly index: number
  readonly pos: SourcePos
}

/** Parsec's four continuations folded into one value: consumed/empty × ok/error. */
export type Reply<A> =
  | { readonly consumed: boolean; readonly ok: true; readonly value: A; readonly state: State; readonly error: ParseError }
  | { readonly consumed: boolean; readonly ok: false; readonly error: ParseError }

export class Parser<A> {
  constructor(readonly run: (s: State) => Reply<A>) {}
}

// ---------------------------------------------------------------------------------------------
// errors

const unknownError = (pos: SourcePos): ParseError => ({ pos, messages: [] })
const errorMessage = (kind: MessageKind, text: string, pos: SourcePos): ParseError => ({ pos, messages: [{ kind, text }] })
const isUnknown = (e: ParseError): boolean => e.messages.length === 0

const comparePos = (a: SourcePos, b: SourcePos): number =>
  a.line !== b.line ? a.line - b.line : a.column - b.column

/** Parsec's mergeError: prefer errors with messages, then the one further in the input, concatenating on ties. */
export const mergeError = (e1: ParseError, e2: ParseError): ParseError => {
  if (e2.messages.length === 0 && e1.messages.length > 0) return e1
  if (e1.messages.length === 0 && e2.messages.length > 0) return e2
  const c = comparePos(e1.pos, e2.pos)
  if (c === 0) return { pos: e1.pos, messages: [...e1.messages, ...e2.messages] }
  return c > 0 ? e1 : e2
}

/** setErrorMessage (Expect label): drops every other expectation. */
const setExpect = (e: ParseError, label: string): ParseError => ({
  pos: e.pos,
  messages: [{ kind: EXPECT, text: label }, ...e.messages.filter((m) => m.kind !== EXPECT)],
})

/** Error merging used by sequencing (Parsec's parserBind). */
const combine = (before: ParseError, after: ParseError): ParseError => (isUnknown(before) ? after : mergeError(before, after))

// ---------------------------------------------------------------------------------------------
// Haskell `show` for characters and strings (error texts quote tokens this way)

const ASCII_NAMES = [
  'NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'a', 'b', 't', 'n', 'v', 'f', 'r', 'SO', 'SI',
  'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US',
]

const isAsciiDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'

/** GHC's showLitChar; `next` is the following character (for the `\&` separator). */
const showLitChar = (c: string, next: string | undefined): string => {
  const code = c.codePointAt(0) ?? 0
  if (code > 127) return `\\${code}${isAsciiDigit(next) ? '\\&' : ''}`
  if (code === 127) return '\\DEL'
  if (c === '\\') return '\\\\'
  if (code >= 32) return c
  if (code === 14) return `\\SO${next === 'H' ? '\\&' : ''}`
  return `\\${ASCII_NAMES[code] ?? ''}`
}

/** `show (c :: Char)`, e.g. `'x'`. */
export const showHsChar = (c: string): string => (c === "'" ? "'\\''" : `'${showLitChar(c, undefined)}'`)

/** `show (s :: String)`, e.g. `"x"`. */
export const showHsString = (s: string): string => {
  const cs = Array.from(s)
  let out = '"'
  for (let i = 0; i < cs.length; i++) {
    const c = cs[i] as string
    out += c === '"' ? '\\"' : showLitChar(c, cs[i + 1])
  }
  return `${out}"`
}

// ---------------------------------------------------------------------------------------------
// Haskell Data.Char predicates

const LETTER = /^\p{L}$/u
const LETTER_OR_NUMBER = /^[\p{L}\p{N}]$/u
const isAsciiLetter = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
export const isHsAlpha = (c: string): boolean => isAsciiLetter(c) || (c > '\u007f' && LETTER.test(c))
export const isHsDigit = (c: string): boolean => c >= '0' && c <= '9'
export const isHsAlphaNum = (c: string): boolean => isAsciiLetter(c) || isHsDigit(c) || (c > '\u007f' && LETTER_OR_NUMBER.test(c))
export const isHsSpace = (c: string): boolean =>
  c === ' ' || (c >= '\t' && c <= '\r') || c === '\u00a0' || (c > '\u00ff' && /^\p{Zs}$/u.test(c))

/** Data.Text.strip: drops leading and trailing `isSpace` characters. */
export const hsStrip = (s: string): string => {
  if (s === '' || (!isHsSpace(s[0] as string) && !isHsSpace(s[s.length - 1] as string))) return s
  const cs = Array.from(s)
  let a = 0
  let b = cs.length
  while (a < b && isHsSpace(cs[a] as string)) a++
  while (b > a && isHsSpace(cs[b - 1] as string)) b--
  return cs.slice(a, b).join('')
}

// ---------------------------------------------------------------------------------------------
// primitives

const updatePosChar = (pos: SourcePos, c: string): SourcePos => {
  if (c === '\n') return { line: pos.line + 1, column: 1 }
  if (c === '\t') return { line: pos.line, column: pos.column + 8 - ((pos.column - 1) % 8) }
  return { line: pos.line, column: pos.column + 1 }
}

/** Parsec's satisfy: one character; failures report `show [c]` (or end of input) without consuming. */
export const satisfy = (pred: (c: string) => boolean): Parser<string> =>
  new Parser<string>((s) => {
    const c = s.input[s.index]
    if (c === undefined) return { consumed: false, ok: false, error: errorMessage(SYS_UNEXPECT, '', s.pos) }
    if (!pred(c)) return { consumed: false, ok: false, error: { pos: s.pos, messages: [{ kind: SYS_UNEXPECT, text: null, shown: c }] } }
    const pos = updatePosChar(s.pos, c)
    return { consumed: true, ok: true, value: c, state: { input: s.input, index: s.index + 1, pos }, error: unknownError(pos) }
  })

/** Parsec's anyToken: consumes one character without moving the position (used by `eof`). */
const anyToken: Parser<string> = new Parser<string>((s) => {
  const c = s.input[s.index]
  if (c === undefined) return { consumed: false, ok: false, error: errorMessage(SYS_UNEXPECT, '', s.pos) }
  return { consumed: true, ok: true, value: c, state: { input: s.input, index: s.index + 1, pos: s.pos }, error: unknownError(s.pos) }
})

/**
 * Parsec's `string` (tokens): all or nothing, errors reported at the start position, and it
 * counts as consumed once the first character matched.
 */
export const string = (str: string): Parser<string> => {
  const toks = Array.from(str)
  const expect = showHsString(str)
  return new Parser<string>((s) => {
    if (toks.length === 0) return { consumed: false, ok: true, value: '', state: s, error: unknownError(s.pos) }
    for (let k = 0; k < toks.length; k++) {
      const x = s.input[s.index + k]
      if (x !== toks[k]) {
        const unexpected: Message = x === undefined ? { kind: SYS_UNEXPECT, text: '' } : { kind: SYS_UNEXPECT, text: null, shown: x }
        return { consumed: k > 0, ok: false, error: { pos: s.pos, messages: [{ kind: EXPECT, text: expect }, unexpected] } }
      }
    }
    let pos = s.pos
    for (const t of toks) pos = updatePosChar(pos, t)
    return { consumed: true, ok: true, value: str, state: { input: s.input, index: s.index + toks.length, pos }, error: unknownError(pos) }
  })
}

export const ret = <A>(value: A): Parser<A> =>
  new Parser<A>((s) => ({ consumed: false, ok: true, value, state: s, error: unknownError(s.pos) }))

/** mzero / guard False. */
export const zero = <A = never>(): Parser<A> =>
  new Parser((s) => ({ consumed: false, ok: false, error: unknownError(s.pos) }))

export const unexpected = <A = never>(msg: string): Parser<A> =>
  new Parser((s) => ({ consumed: false, ok: false, error: errorMessage(UNEXPECT, msg, s.pos) }))

/** `p <?> label`. */
export const label = <A>(p: Parser<A>, name: string): Parser<A> =>
  new Parser<A>((s) => {
    const r = p.run(s)
    if (r.consumed) return r
    if (r.ok) return isUnknown(r.error) ? r : { ...r, error: setExpect(r.error, name) }
    return { consumed: false, ok: false, error: setExpect(r.error, name) }
  })

export const tryP = <A>(p: Parser<A>): Parser<A> =>
  new Parser<A>((s) => {
    const r = p.run(s)
    return !r.ok && r.consumed ? { consumed: false, ok: false, error: r.error } : r
  })

export const lookAhead = <A>(p: Parser<A>): Parser<A> =>
  new Parser<A>((s) => {
    const r = p.run(s)
    if (!r.ok) return r
    return { consumed: false, ok: true, value: r.value, state: s, error: unknownError(s.pos) }
  })

/** `m <|> n <|> …` with Parsec's rule: the next alternative runs only if the previous failed without consuming. */
export const alt = <A>(...ps: readonly Parser<A>[]): Parser<A> =>
  new Parser<A>((s) => {
    let acc: ParseError | null = null
    for (const p of ps) {
      const r = p.run(s)
      if (r.consumed) return r
      const error: ParseError = acc === null ? r.error : mergeError(acc, r.error)
      if (r.ok) return { ...r, error }
      acc = error
    }
    return { consumed: false, ok: false, error: acc ?? unknownError(s.pos) }
  })

type Parsers<T extends readonly unknown[]> = { readonly [K in keyof T]: Parser<T[K]> }

/**
 * Sequencing (`p1 >> p2 >> …` collecting results) with Parsec's parserBind error rules: a step
 * that consumes replaces the pending error, a step that does not is merged into it.
 */
export const seq = <T extends readonly unknown[]>(...ps: Parsers<T>): Parser<T> =>
  new Parser<T>((s) => {
    const values: unknown[] = []
    let consumed = false
    let error = unknownError(s.pos)
    let state = s
    for (const p of ps as readonly Parser<unknown>[]) {
      const r = p.run(state)
      error = r.consumed ? r.error : combine(error, r.error)
      consumed = consumed || r.consumed
      if (!r.ok) return { consumed, ok: false, error }
      values.push(r.value)
      state = r.state
    }
    return { consumed, ok: true, value: values as unknown as T, state, error }
  })

/** `p >>= k`, for steps that depend on an earlier result. */
export const bind = <A, B>(p: Parser<A>, k: (a: A) => Parser<B>): Parser<B> =>
  new Parser<B>((s) => {
    const r1 = p.run(s)
    if (!r1.ok) return r1
    const r2 = k(r1.value).run(r1.state)
    if (r2.consumed) return r2
    const error = combine(r1.error, r2.error)
    return r2.ok
      ? { consumed: r1.consumed, ok: true, value: r2.value, state: r2.state, error }
      : { consumed: r1.consumed, ok: false, error }
  })

export const map = <A, B>(p: Parser<A>, f: (a: A) => B): Parser<B> =>
  new Parser<B>((s) => {
    const r = p.run(s)
    return r.ok ? { consumed: r.consumed, ok: true, value: f(r.value), state: r.state, error: r.error } : r
  })

/** `a <* b`. */
export const left = <A>(a: Parser<A>, b: Parser<unknown>): Parser<A> => map(seq(a, b), ([x]) => x)

/** `a *> b`. */
export const right = <B>(a: Parser<unknown>, b: Parser<B>): Parser<B> => map(seq(a, b), ([, x]) => x)

/** Defers construction, for recursive grammars. */
export const lazy = <A>(f: () => Parser<A>): Parser<A> => {
  let p: Parser<A> | null = null
  return new Parser<A>((s) => (p ??= f()).run(s))
}

export const many = <A>(p: Parser<A>): Parser<A[]> =>
  new Parser<A[]>((s) => {
    const xs: A[] = []
    let consumed = false
    let state = s
    for (;;) {
      const r = p.run(state)
      if (r.consumed) {
        if (!r.ok) return r
        xs.push(r.value)
        state = r.state
        consumed = true
        continue
      }
      if (r.ok) throw new Error('parsec: many applied to a parser that accepts an empty string')
      return { consumed, ok: true, value: xs, state, error: r.error }
    }
  })

export const many1 = <A>(p: Parser<A>): Parser<A[]> => map(seq(p, many(p)), ([x, xs]) => [x, ...xs])

export const sepBy1 = <A>(p: Parser<A>, sep: Parser<unknown>): Parser<A[]> =>
  map(seq(p, many(right(sep, p))), ([x, xs]) => [x, ...xs])

export const sepBy = <A>(p: Parser<A>, sep: Parser<unknown>): Parser<A[]> => alt(sepBy1(p, sep), ret<A[]>([]))

export const option = <A>(x: A, p: Parser<A>): Parser<A> => alt(p, ret(x))

export const optionMaybe = <A>(p: Parser<A>): Parser<A | undefined> => alt<A | undefined>(p, ret(undefined))

export const between = <A>(open: Parser<unknown>, close: Parser<unknown>, p: Parser<A>): Parser<A> =>
  map(seq(open, p, close), ([, x]) => x)

export const notFollowedBy = <A>(p: Parser<A>, show: (a: A) => string): Parser<undefined> =>
  tryP(alt(bind(tryP(p), (c) => unexpected<undefined>(show(c))), ret(undefined)))

export const eof: Parser<undefined> = label(notFollowedBy(anyToken, showHsChar), 'end of input')

export const manyTill = <A>(p: Parser<A>, end: Parser<unknown>): Parser<A[]> => {
  const scan: Parser<A[]> = lazy(() =>
    alt(
      map(end, () => [] as A[]),
      map(seq(p, scan), ([x, xs]) => [x, ...xs]),
    ),
  )
  return scan
}

export const voidP = (p: Parser<unknown>): Parser<undefined> => map(p, () => undefined)

// character classes (labels as in Text.Parsec.Char)
export const char = (c: string): Parser<string> => label(satisfy((x) => x === c), showHsString(c))
export const anyChar: Parser<string> = satisfy(() => true)
export const oneOf = (cs: string): Parser<string> => satisfy((c) => cs.includes(c))
export const noneOf = (cs: string): Parser<string> => satisfy((c) => !cs.includes(c))
export const letter: Parser<string> = label(satisfy(isHsAlpha), 'letter')
export const digit: Parser<string> = label(satisfy(isHsDigit), 'digit')
export const alphaNum: Parser<string> = label(satisfy(isHsAlphaNum), 'letter or digit')
export const spaces: Parser<undefined> = label(voidP(many(label(satisfy(isHsSpace), 'space'))), 'white space')

// ---------------------------------------------------------------------------------------------
// running and rendering

/** Parsec's showErrorMessages "or" "unknown parse error" "expecting" "unexpected" "end of input". */
export const showErrorMessages = (messages: readonly Message[]): string => {
  if (messages.length === 0) return 'unknown parse error'
  // errorMessages sorts by constructor only; the sort is stable.
  const sorted = [...messages].sort((a, b) => a.kind - b.kind)
  const sysUnExpect = sorted.filter((m) => m.kind === SYS_UNEXPECT)
  const unExpect = sorted.filter((m) => m.kind === UNEXPECT)
  const expect = sorted.filter((m) => m.kind === EXPECT)
  const other = sorted.filter((m) => m.kind === MESSAGE)

  const clean = (xs: readonly string[]): string[] => [...new Set(xs.filter((x) => x !== ''))]
  const commasOr = (ms: readonly string[]): string => {
    if (ms.length === 0) return ''
    if (ms.length === 1) return ms[0] as string
    return `${clean(ms.slice(0, -1)).join(', ')} or ${ms[ms.length - 1] as string}`
  }
  const showMany = (pre: string, msgs: readonly Message[]): string => {
    const ms = clean(msgs.map(messageText))
    if (ms.length === 0) return ''
    return pre === '' ? commasOr(ms) : `${pre} ${commasOr(ms)}`
  }

  let showSysUnExpect = ''
  const first = sysUnExpect[0]
  if (unExpect.length === 0 && first !== undefined) {
    const text = messageText(first)
    showSysUnExpect = text === '' ? 'unexpected end of input' : `unexpected ${text}`
  }
  const parts = clean([showSysUnExpect, showMany('unexpected', unExpect), showMany('expecting', expect), showMany('', other)])
  return parts.map((p) => `\n${p}`).join('')
}

export type RunResult<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: ParseError }

/** `P.parse p name input` (the source name only matters for rendering). Does not require end of input. */
export const runParser = <A>(p: Parser<A>, input: string): RunResult<A> => {
  const r = p.run({ input: Array.from(input), index: 0, pos: { line: 1, column: 1 } })
  return r.ok ? { ok: true, value: r.value } : { ok: false, error: r.error }
}

/** `show (errorPos e)` for a named source: `"name" (line 1, column 4)`. */
export const showSourcePos = (name: string, pos: SourcePos): string =>
  `${name === '' ? '' : `"${name}" `}(line ${pos.line}, column ${pos.column})`
