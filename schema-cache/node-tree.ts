/**
 * @module schema-cache/node-tree: reads the target list of a view's stored query tree
 * (`pg_rewrite.ev_action`, the `pg_node_tree` text form written by PostgreSQL's outfuncs.c).
 *
 * For every output column, the target entry records the table (or view) and column it was taken
 * from unchanged (`resorigtbl`, `resorigcol`; 0 when the column is computed). That is what lets
 * primary and foreign keys be carried over to views. The text is tokenised the way the server's
 * own reader (read.c, `pg_strtok`) does it, so names containing spaces, brackets or backslashes
 * (escaped with a backslash) and `<>` (NULL) are handled without any pattern matching on the text.
 */

/** One output column of a view and where it comes from. */
export interface TargetOrigin {
  /** The view column's attribute number. */
  readonly resno: number
  /** OID of the relation the column is taken from, 0 when it is not a plain column reference. */
  readonly origTable: number
  /** Attribute number in `origTable`, 0 when unknown. */
  readonly origColumn: number
}

type Value = string | null | NodeObj | Value[]
interface NodeObj {
  readonly type: string
  readonly fields: Map<string, Value>
}

const OPEN_NODE = 0x7b // {
const CLOSE_NODE = 0x7d // }
const OPEN_LIST = 0x28 // (
const CLOSE_LIST = 0x29 // )
const BACKSLASH = 0x5c

const isBlank = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x09
const isDelimiter = (c: number): boolean => c === OPEN_NODE || c === CLOSE_NODE || c === OPEN_LIST || c === CLOSE_LIST

/** Tokeniser over the node text; `<>` comes back as `null` (the server's empty token). */
class Tokens {
  private pos = 0
  constructor(private readonly text: string) {}

  /** The next token, `undefined` at the end. */
  next(): string | null | undefined {
    const s = this.text
    let i = this.pos
    while (i < s.length && isBlank(s.charCodeAt(i))) i++
    if (i >= s.length) {
      this.pos = i
      return undefined
    }
    const start = i
    if (isDelimiter(s.charCodeAt(i))) {
      i++
    } else {
      while (i < s.length) {
        const c = s.charCodeAt(i)
        if (isBlank(c) || isDelimiter(c)) break
        // a backslash escapes the next character, which then never ends the token
        i += c === BACKSLASH && i + 1 < s.length ? 2 : 1
      }
    }
    this.pos = i
    const token = s.slice(start, i)
    return token === '<>' ? null : token
  }
}

function readValue(tokens: Tokens, token: string | null | undefined): Value {
  if (token === undefined) throw new Error('unexpected end of node tree')
  if (token === '{') return readNode(tokens)
  if (token === '(') return readList(tokens)
  return token
}

function readList(tokens: Tokens): Value[] {
  const items: Value[] = []
  for (;;) {
    const token = tokens.next()
    if (token === ')') return items
    items.push(readValue(tokens, token))
  }
}

function readNode(tokens: Tokens): NodeObj {
  const type = tokens.next()
  if (typeof type !== 'string' || type === '}') throw new Error('node tree: a node without a type')
  const fields = new Map<string, Value>()
  for (;;) {
    const token = tokens.next()
    if (token === '}') return { type, fields }
    if (typeof token === 'string' && token.length > 1 && token.charCodeAt(0) === 0x3a /* : */) {
      fields.set(token.slice(1), readValue(tokens, tokens.next()))
    } else {
      // Extra tokens of the previous field (a Const's datum is written as `4 [ 1 0 0 0 ]`).
      readValue(tokens, token)
    }
  }
}

const asNode = (v: Value | undefined): NodeObj | null =>
  v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : null

const asInt = (v: Value | undefined): number => {
  if (typeof v !== 'string') return 0
  const n = Number(v)
  return Number.isInteger(n) ? n : 0
}

/**
 * The target list of the first query of a view's `_RETURN` rule. Junk entries (sort columns that
 * are not output) are left out.
 */
export function viewTargetOrigins(tree: string): TargetOrigin[] {
  const tokens = new Tokens(tree)
  const top = readValue(tokens, tokens.next())
  const query = Array.isArray(top) ? asNode(top[0]) : asNode(top)
  if (query === null || query.type !== 'QUERY') throw new Error('node tree: expected a QUERY node')
  const targetList = query.fields.get('targetList')
  if (!Array.isArray(targetList)) return []
  const origins: TargetOrigin[] = []
  for (const item of targetList) {
    const entry = asNode(item)
    if (entry === null || entry.type !== 'TARGETENTRY') continue
    if (entry.fields.get('resjunk') === 'true') continue
    origins.push({
      resno: asInt(entry.fields.get('resno')),
      origTable: asInt(entry.fields.get('resorigtbl')),
      origColumn: asInt(entry.fields.get('resorigcol')),
    })
  }
  return origins
}
