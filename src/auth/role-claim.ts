/**
 * @module auth/role-claim: PGRST_JWT_ROLE_CLAIM_KEY — where in the claims the role is — read as
 * PostgREST v16 reads it: first as an RFC 9535 JSONPath query, and when that does not parse, as
 * the deprecated JSPath syntax of v14 and earlier. The role is the first value the query selects.
 *
 * JSONPath, as implemented here: the root `$`; child segments `.name`, `.*`, `['name']`,
 * `["name"]`, `[0]`, `[-1]`, `[start:end:step]`, `[*]`, several selectors in one bracket
 * (`['a','b']`); descendant segments (`..name`, `..[0]`, `..*`); filters `[?…]` with `@`/`$`
 * queries, literals (strings, numbers, true, false, null), comparisons (== != < <= > >=), `&&`,
 * `||`, `!`, parentheses, existence tests, and the functions `search(value, regex)` and
 * `match(value, regex)`. Examples: `$.role`, `$.app_metadata.role`, `$.roles[0]`,
 * `$['https://example.com/role']`, `$.roles[?(@ == 'author')]`, `$.roles[?search(@, '^au')]`.
 *
 * Deprecated JSPath: `.key`, `."quoted key"`, `[0]`, and as the last step a filter
 * `[?(@ == "x")]` (also `!=`, `^==` starts with, `==^` ends with, `*==` contains) that picks the
 * first matching string of an array. Example: `.postgrest.roles[1]`.
 */
import { err, ok, type Result } from '../result.ts'

export type RoleClaimPath =
  | { readonly kind: 'jsonpath'; readonly segments: readonly Segment[] }
  | { readonly kind: 'deprecated'; readonly steps: readonly DeprecatedStep[] }

// ---------------------------------------------------------------------------------------------
// JSONPath syntax tree

type Selector =
  | { readonly kind: 'name'; readonly name: string }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'slice'; readonly start: number | null; readonly end: number | null; readonly step: number | null }
  | { readonly kind: 'filter'; readonly expr: LogicalExpr }

interface Segment {
  readonly descendant: boolean
  readonly selectors: readonly Selector[]
}

interface Query {
  readonly root: '$' | '@'
  readonly segments: readonly Segment[]
}

type Comparable =
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'query'; readonly query: Query }
  | { readonly kind: 'function'; readonly fn: FunctionCall }

interface FunctionCall {
  readonly name: 'search' | 'match'
  readonly args: readonly Comparable[]
}

type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>='

type LogicalExpr =
  | { readonly kind: 'or'; readonly parts: readonly LogicalExpr[] }
  | { readonly kind: 'and'; readonly parts: readonly LogicalExpr[] }
  | { readonly kind: 'not'; readonly expr: LogicalExpr }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: Comparable; readonly right: Comparable }
  | { readonly kind: 'exists'; readonly query: Query }
  | { readonly kind: 'test'; readonly fn: FunctionCall }

// ---------------------------------------------------------------------------------------------
// JSONPath parser (recursive descent; throws SyntaxError, caught by parseRoleClaimKey)

class JsonPathParser {
  private i = 0
  constructor(private readonly s: string) {}

  parse(): Segment[] {
    this.expect('$')
    const segments = this.segments()
    this.ws()
    if (this.i < this.s.length) this.fail('unexpected text')
    return segments
  }

  private fail(what: string): never {
    throw new SyntaxError(`${what} at position ${this.i + 1}`)
  }

  private peek(n = 0): string {
    return this.s[this.i + n] ?? ''
  }

  private startsWith(t: string): boolean {
    return this.s.startsWith(t, this.i)
  }

  private expect(t: string): void {
    if (!this.startsWith(t)) this.fail(`expected "${t}"`)
    this.i += t.length
  }

  private ws(): void {
    while (' \t\n\r'.includes(this.peek()) && this.peek() !== '') this.i++
  }

  /** Segments after a query's root, with optional blank space between them. */
  private segments(): Segment[] {
    const out: Segment[] = []
    for (;;) {
      const save = this.i
      this.ws()
      const seg = this.segment()
      if (seg === null) {
        this.i = save
        return out
      }
      out.push(seg)
    }
  }

  private segment(): Segment | null {
    if (this.startsWith('..')) {
      this.i += 2
      if (this.peek() === '[') return { descendant: true, selectors: this.bracketed() }
      if (this.peek() === '*') {
        this.i++
        return { descendant: true, selectors: [{ kind: 'wildcard' }] }
      }
      return { descendant: true, selectors: [{ kind: 'name', name: this.memberName() }] }
    }
    if (this.peek() === '.') {
      this.i++
      if (this.peek() === '*') {
        this.i++
        return { descendant: false, selectors: [{ kind: 'wildcard' }] }
      }
      return { descendant: false, selectors: [{ kind: 'name', name: this.memberName() }] }
    }
    if (this.peek() === '[') return { descendant: false, selectors: this.bracketed() }
    return null
  }

  private memberName(): string {
    const m = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*/u.exec(this.s.slice(this.i))
    if (m === null) this.fail('expected a member name')
    this.i += m[0].length
    return m[0]
  }

  private bracketed(): Selector[] {
    this.expect('[')
    const out: Selector[] = []
    for (;;) {
      this.ws()
      out.push(this.selector())
      this.ws()
      if (this.peek() === ',') {
        this.i++
        continue
      }
      this.expect(']')
      return out
    }
  }

  private selector(): Selector {
    const c = this.peek()
    if (c === "'" || c === '"') return { kind: 'name', name: this.stringLiteral() }
    if (c === '*') {
      this.i++
      return { kind: 'wildcard' }
    }
    if (c === '?') {
      this.i++
      this.ws()
      return { kind: 'filter', expr: this.logicalOr() }
    }
    const start = this.optInt()
    this.ws()
    if (this.peek() !== ':') {
      if (start === null) this.fail('expected a selector')
      return { kind: 'index', index: start }
    }
    this.i++
    this.ws()
    const end = this.optInt()
    this.ws()
    let step: number | null = null
    if (this.peek() === ':') {
      this.i++
      this.ws()
      step = this.optInt()
    }
    return { kind: 'slice', start, end, step }
  }

  private optInt(): number | null {
    const m = /^(?:0|-?[1-9][0-9]*)/.exec(this.s.slice(this.i))
    if (m === null) return null
    this.i += m[0].length
    const n = Number(m[0])
    if (!Number.isSafeInteger(n)) this.fail('integer out of range')
    return n
  }

  private stringLiteral(): string {
    const quote = this.peek()
    this.i++
    let out = ''
    for (;;) {
      const c = this.peek()
      if (c === '') this.fail('unterminated string')
      this.i++
      if (c === quote) return out
      if (c !== '\\') {
        if (c.charCodeAt(0) < 0x20) this.fail('control character in string')
        out += c
        continue
      }
      const e = this.peek()
      this.i++
      const simple: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '/': '/', '\\': '\\' }
      if (e === quote) out += quote
      else if (e in simple) out += simple[e]
      else if (e === 'u') {
        const hex = this.s.slice(this.i, this.i + 4)
        if (!/^[0-9A-Fa-f]{4}$/.test(hex)) this.fail('bad \\u escape')
        this.i += 4
        out += String.fromCharCode(parseInt(hex, 16))
      } else this.fail('bad escape')
    }
  }

  private logicalOr(): LogicalExpr {
    const parts = [this.logicalAnd()]
    for (;;) {
      this.ws()
      if (!this.startsWith('||')) break
      this.i += 2
      this.ws()
      parts.push(this.logicalAnd())
    }
    return parts.length === 1 ? (parts[0] as LogicalExpr) : { kind: 'or', parts }
  }

  private logicalAnd(): LogicalExpr {
    const parts = [this.basic()]
    for (;;) {
      this.ws()
      if (!this.startsWith('&&')) break
      this.i += 2
      this.ws()
      parts.push(this.basic())
    }
    return parts.length === 1 ? (parts[0] as LogicalExpr) : { kind: 'and', parts }
  }

  private basic(): LogicalExpr {
    if (this.peek() === '!' && this.peek(1) !== '=') {
      this.i++
      this.ws()
      if (this.peek() === '(') return { kind: 'not', expr: this.paren() }
      const inner = this.comparable()
      if (inner.kind === 'query') return { kind: 'not', expr: { kind: 'exists', query: inner.query } }
      if (inner.kind === 'function') return { kind: 'not', expr: { kind: 'test', fn: inner.fn } }
      this.fail('"!" needs a test or a parenthesised expression')
    }
    if (this.peek() === '(') return this.paren()
    const left = this.comparable()
    this.ws()
    const op = (['==', '!=', '<=', '>=', '<', '>'] as const).find((o) => this.startsWith(o))
    if (op === undefined) {
      if (left.kind === 'query') return { kind: 'exists', query: left.query }
      if (left.kind === 'function') return { kind: 'test', fn: left.fn }
      this.fail('a literal is not a test')
    }
    this.i += op.length
    this.ws()
    const right = this.comparable()
    return { kind: 'compare', op, left, right }
  }

  private paren(): LogicalExpr {
    this.expect('(')
    this.ws()
    const e = this.logicalOr()
    this.ws()
    this.expect(')')
    return e
  }

  private comparable(): Comparable {
    const c = this.peek()
    if (c === '@' || c === '$') {
      this.i++
      return { kind: 'query', query: { root: c, segments: this.segments() } }
    }
    if (c === "'" || c === '"') return { kind: 'literal', value: this.stringLiteral() }
    const num = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/.exec(this.s.slice(this.i))
    if (num !== null) {
      this.i += num[0].length
      return { kind: 'literal', value: Number(num[0]) }
    }
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.startsWith(word) && !/[A-Za-z0-9_(]/.test(this.peek(word.length))) {
        this.i += word.length
        return { kind: 'literal', value }
      }
    }
    const fn = /^([a-z][a-z0-9_]*)\(/.exec(this.s.slice(this.i))
    if (fn !== null) {
      const name = fn[1]
      if (name !== 'search' && name !== 'match') this.fail(`unknown function ${name}()`)
      this.i += fn[0].length
      const args: Comparable[] = []
      this.ws()
      if (this.peek() !== ')') {
        for (;;) {
          this.ws()
          args.push(this.comparable())
          this.ws()
          if (this.peek() !== ',') break
          this.i++
        }
      }
      this.expect(')')
      if (args.length !== 2) this.fail(`${name}() takes 2 arguments`)
      return { kind: 'function', fn: { name, args } }
    }
    this.fail('expected a value')
  }
}

// ---------------------------------------------------------------------------------------------
// JSONPath evaluation

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

const children = (v: unknown): unknown[] => (Array.isArray(v) ? v : isObject(v) ? Object.values(v) : [])

const normIndex = (i: number, len: number): number => (i >= 0 ? i : len + i)

const sliceIndices = (len: number, s: Extract<Selector, { kind: 'slice' }>): number[] => {
  const step = s.step ?? 1
  if (step === 0) return []
  const out: number[] = []
  if (step > 0) {
    const lo = Math.min(Math.max(s.start === null ? 0 : normIndex(s.start, len), 0), len)
    const hi = Math.min(Math.max(s.end === null ? len : normIndex(s.end, len), 0), len)
    for (let i = lo; i < hi; i += step) out.push(i)
  } else {
    const hi = Math.min(Math.max(s.start === null ? len - 1 : normIndex(s.start, len), -1), len - 1)
    const lo = Math.min(Math.max(s.end === null ? -len - 1 : normIndex(s.end, len), -1), len - 1)
    for (let i = hi; i > lo; i += step) out.push(i)
  }
  return out
}

/** Nodes a selector picks from one value. */
const select = (sel: Selector, v: unknown, root: unknown): unknown[] => {
  switch (sel.kind) {
    case 'name':
      return isObject(v) && Object.prototype.hasOwnProperty.call(v, sel.name) ? [v[sel.name]] : []
    case 'wildcard':
      return children(v)
    case 'index': {
      if (!Array.isArray(v)) return []
      const i = normIndex(sel.index, v.length)
      return i >= 0 && i < v.length ? [v[i]] : []
    }
    case 'slice':
      return Array.isArray(v) ? sliceIndices(v.length, sel).map((i) => v[i]) : []
    case 'filter':
      return children(v).filter((c) => test(sel.expr, c, root))
    default: {
      const never: never = sel
      throw new TypeError(`unknown selector ${String(never)}`)
    }
  }
}

const descendantsAndSelf = (v: unknown): unknown[] => [v, ...children(v).flatMap(descendantsAndSelf)]

const run = (segments: readonly Segment[], start: unknown, root: unknown): unknown[] => {
  let nodes: unknown[] = [start]
  for (const seg of segments) {
    const inputs = seg.descendant ? nodes.flatMap(descendantsAndSelf) : nodes
    nodes = inputs.flatMap((n) => seg.selectors.flatMap((s) => select(s, n, root)))
  }
  return nodes
}

/** Nothing = no node (an absent value), distinct from JSON null. */
const NOTHING = Symbol('nothing')
type Value = unknown | typeof NOTHING

const valueOf = (c: Comparable, current: unknown, root: unknown): Value => {
  switch (c.kind) {
    case 'literal':
      return c.value
    case 'query': {
      const nodes = run(c.query.segments, c.query.root === '@' ? current : root, root)
      return nodes.length === 1 ? nodes[0] : NOTHING
    }
    case 'function':
      return callFunction(c.fn, current, root)
    default: {
      const never: never = c
      throw new TypeError(`unknown comparable ${String(never)}`)
    }
  }
}

/** I-Regexp (RFC 9485) to a JS RegExp: `.` does not match line breaks, as in I-Regexp. */
const regexCache = new Map<string, RegExp | null>()
const regex = (pattern: string, anchored: boolean): RegExp | null => {
  const key = `${anchored ? 'm' : 's'}:${pattern}`
  let re = regexCache.get(key)
  if (re === undefined) {
    try {
      re = new RegExp(anchored ? `^(?:${pattern})$` : pattern, 'u')
    } catch {
      re = null
    }
    regexCache.set(key, re)
  }
  return re
}

const callFunction = (fn: FunctionCall, current: unknown, root: unknown): Value => {
  const [a, b] = fn.args.map((x) => valueOf(x, current, root))
  if (typeof a !== 'string' || typeof b !== 'string') return false
  const re = regex(b, fn.name === 'match')
  return re !== null && re.test(a)
}

const deepEqual = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]))
  }
  return false
}

const lessThan = (a: Value, b: Value): boolean =>
  (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string') ? a < b : false

const compare = (op: CompareOp, a: Value, b: Value): boolean => {
  const eq = a === NOTHING || b === NOTHING ? a === b : deepEqual(a, b)
  switch (op) {
    case '==':
      return eq
    case '!=':
      return !eq
    case '<':
      return lessThan(a, b)
    case '<=':
      return lessThan(a, b) || eq
    case '>':
      return lessThan(b, a)
    case '>=':
      return lessThan(b, a) || eq
    default: {
      const never: never = op
      throw new TypeError(`unknown operator ${String(never)}`)
    }
  }
}

const test = (e: LogicalExpr, current: unknown, root: unknown): boolean => {
  switch (e.kind) {
    case 'or':
      return e.parts.some((p) => test(p, current, root))
    case 'and':
      return e.parts.every((p) => test(p, current, root))
    case 'not':
      return !test(e.expr, current, root)
    case 'compare':
      return compare(e.op, valueOf(e.left, current, root), valueOf(e.right, current, root))
    case 'exists':
      return run(e.query.segments, e.query.root === '@' ? current : root, root).length > 0
    case 'test':
      return callFunction(e.fn, current, root) === true
    default: {
      const never: never = e
      throw new TypeError(`unknown expression ${String(never)}`)
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Deprecated JSPath (PostgREST ≤ v14)

type DeprecatedFilterOp = '==' | '!=' | '^==' | '==^' | '*=='

export type DeprecatedStep =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'filter'; readonly op: DeprecatedFilterOp; readonly value: string }

const parseDeprecated = (s: string): DeprecatedStep[] | null => {
  const steps: DeprecatedStep[] = []
  let i = 0
  while (i < s.length) {
    const rest = s.slice(i)
    const key = /^\.(?:([\p{L}\p{N}_$@]+)|"([^"]*)")/u.exec(rest)
    if (key !== null) {
      steps.push({ kind: 'key', key: key[1] ?? key[2] ?? '' })
      i += key[0].length
      continue
    }
    const filter = /^\[\?\(@\s*(==\^|==|!=|\^==|\*==)\s*"([^"]*)"\)\]$/.exec(rest)
    if (filter !== null) {
      steps.push({ kind: 'filter', op: filter[1] as DeprecatedFilterOp, value: filter[2] ?? '' })
      i = s.length
      continue
    }
    const idx = /^\[([0-9]+)\]/.exec(rest)
    if (idx !== null) {
      steps.push({ kind: 'index', index: Number(idx[1]) })
      i += idx[0].length
      continue
    }
    return null
  }
  return steps.length > 0 ? steps : null
}

const filterMatches = (op: DeprecatedFilterOp, pattern: string, s: string): boolean => {
  switch (op) {
    case '==':
      return s === pattern
    case '!=':
      return s !== pattern
    case '^==':
      return s.startsWith(pattern)
    case '==^':
      return s.endsWith(pattern)
    case '*==':
      return s.includes(pattern)
    default: {
      const never: never = op
      throw new TypeError(`unknown filter ${String(never)}`)
    }
  }
}

const runDeprecated = (steps: readonly DeprecatedStep[], v: unknown): unknown => {
  let cur: unknown = v
  for (const step of steps) {
    switch (step.kind) {
      case 'key':
        if (!isObject(cur) || !Object.prototype.hasOwnProperty.call(cur, step.key)) return undefined
        cur = cur[step.key]
        break
      case 'index':
        if (!Array.isArray(cur)) return undefined
        cur = cur[step.index]
        break
      case 'filter':
        if (!Array.isArray(cur)) return undefined
        return cur.find((x) => typeof x === 'string' && filterMatches(step.op, step.value, x))
      default: {
        const never: never = step
        throw new TypeError(`unknown step ${String(never)}`)
      }
    }
  }
  return cur
}

// ---------------------------------------------------------------------------------------------

/** Parses PGRST_JWT_ROLE_CLAIM_KEY; the error says why neither syntax accepts it. */
export const parseRoleClaimKey = (key: string): Result<RoleClaimPath, string> => {
  try {
    return ok({ kind: 'jsonpath', segments: new JsonPathParser(key).parse() })
  } catch (e) {
    const steps = parseDeprecated(key)
    if (steps !== null) return ok({ kind: 'deprecated', steps })
    const why = e instanceof Error ? e.message : String(e)
    return err(`failed to parse role-claim-key value (${key}): not a JSONPath query (${why}), nor the deprecated .key[0] form`)
  }
}

/** The first value the path selects in the claims; undefined when it selects nothing. */
export const evaluateRoleClaim = (path: RoleClaimPath, claims: unknown): unknown => {
  switch (path.kind) {
    case 'jsonpath': {
      const nodes = run(path.segments, claims, claims)
      return nodes.length > 0 ? nodes[0] : undefined
    }
    case 'deprecated':
      return runDeprecated(path.steps, claims)
    default: {
      const never: never = path
      throw new TypeError(`unknown role claim path ${String(never)}`)
    }
  }
}

/** The role text of a selected value: strings as they are, anything else as its JSON (PostgREST). */
export const roleText = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v))
