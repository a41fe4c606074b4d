/**
 * @module sql/fragment: the only way SQL text is built. A fragment is made of raw text
 * (literals from our own source only), identifiers (quoted by `quoteIdent`) and parameters (user
 * values, numbered `$n` at compile time). No other module concatenates SQL.
 */

/**
 * A fragment is a tree: the three kinds of leaves, and sequences of fragments. Concatenating
 * links the parts instead of copying their leaves, so nesting (an embed's subquery inside its
 * lateral join inside its parent's query…) costs one node per level, and `compile` flattens the
 * whole statement once.
 */
export type SqlFragment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'ident'; readonly name: string }
  | { readonly kind: 'param'; readonly value: string | null }
  /** Never holds an empty sequence: `concat`/`join` drop those, so "empty" is `parts.length === 0`. */
  | { readonly kind: 'seq'; readonly parts: readonly SqlFragment[] }

export interface CompiledSql {
  readonly text: string
  /** Every parameter is sent as text (or NULL) and cast in SQL where a type matters. */
  readonly params: readonly (string | null)[]
}

/** Double-quote an identifier: `"` doubled, NUL stripped (Postgres rejects NUL anyway). */
export const quoteIdent = (name: string): string =>
  // Most names need no escaping: skip the two replaces on the hot path.
  name.includes('"') || name.includes('\u0000') ? `"${name.replace(/\u0000/g, '').replace(/"/g, '""')}"` : `"${name}"`

const seq = (parts: readonly SqlFragment[]): SqlFragment => ({ kind: 'seq', parts })

export const empty: SqlFragment = seq([])
/** Raw SQL text. Only ever call with literals written in this code base. */
export const raw = (text: string): SqlFragment => ({ kind: 'text', text })
export const ident = (name: string): SqlFragment => ({ kind: 'ident', name })
const DOT = raw('.')
/** `"schema"."name"` */
export const qi = (q: { readonly schema: string; readonly name: string }): SqlFragment => seq([ident(q.schema), DOT, ident(q.name)])
export const param = (value: string | null): SqlFragment => ({ kind: 'param', value })
/**
 * A string literal holding a name read from the schema cache (a column name as a JSON key), never
 * a request value: those are parameters. A literal rather than a `$n::text` parameter because
 * Postgres cannot type a parameter passed to `jsonb_build_object("any", …)` otherwise, and EXPLAIN
 * output then reads as PostgREST's. standard_conforming_strings (on since 9.1) keeps backslashes.
 */
export const catalogLiteral = (name: string): SqlFragment => raw(`'${name.replace(/'/g, "''")}'`)

export type SqlPart = SqlFragment | null | undefined | false

export const isEmpty = (f: SqlFragment): boolean => f.kind === 'seq' && f.parts.length === 0

/** Concatenate fragments; null/undefined/false and empty fragments are skipped. */
export const concat = (...parts: readonly SqlPart[]): SqlFragment => {
  let kept: SqlFragment[] | undefined
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]
    if (p && !isEmpty(p)) {
      if (kept === undefined) kept = [p]
      else kept.push(p)
    }
  }
  if (kept === undefined) return empty
  return kept.length === 1 ? (kept[0] as SqlFragment) : seq(kept)
}

/** Join non-empty fragments with a raw separator (e.g. ', ' or ' AND '). */
export const join = (parts: readonly SqlPart[], separator: string): SqlFragment => {
  const sep = raw(separator)
  const kept: SqlFragment[] = []
  for (const p of parts) {
    if (!p || isEmpty(p)) continue
    if (kept.length > 0) kept.push(sep)
    kept.push(p)
  }
  if (kept.length === 0) return empty
  return kept.length === 1 ? (kept[0] as SqlFragment) : seq(kept)
}

/**
 * Tagged template: interpolated values must be fragments (strings are rejected at the type
 * level, so a user value can never be spliced in as text by accident).
 */
export const sql = (strings: TemplateStringsArray, ...values: readonly SqlPart[]): SqlFragment => {
  const parts: SqlFragment[] = []
  strings.forEach((s, i) => {
    if (s) parts.push(raw(s))
    const v = values[i]
    if (v && !isEmpty(v)) parts.push(v)
  })
  return seq(parts)
}

/** Wrap in parentheses unless empty. */
export const parens = (f: SqlFragment): SqlFragment => (isEmpty(f) ? f : concat(raw('('), f, raw(')')))

interface Compiling {
  text: string
  readonly params: (string | null)[]
}

const emit = (f: SqlFragment, out: Compiling): void => {
  switch (f.kind) {
    case 'text':
      out.text += f.text
      break
    case 'ident':
      out.text += quoteIdent(f.name)
      break
    case 'param':
      out.params.push(f.value)
      out.text += `$${out.params.length}`
      break
    case 'seq': {
      const parts = f.parts
      for (let i = 0; i < parts.length; i++) emit(parts[i] as SqlFragment, out)
      break
    }
    default: {
      const never: never = f
      throw new TypeError(`unknown fragment ${String(never)}`)
    }
  }
}

/** Number parameters `$1..$n` in order and produce the final text. */
export const compile = (f: SqlFragment): CompiledSql => {
  const out: Compiling = { text: '', params: [] }
  emit(f, out)
  return { text: out.text, params: out.params }
}
