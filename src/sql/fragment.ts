/**
 * @module sql/fragment: the only way SQL text is built. A fragment is a list of chunks: raw text
 * (literals from our own source only), identifiers (quoted by `quoteIdent`) and parameters (user
 * values, numbered `$n` at compile time). No other module concatenates SQL.
 */

export type Chunk =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'ident'; readonly name: string }
  | { readonly kind: 'param'; readonly value: string | null }

export interface SqlFragment {
  readonly chunks: readonly Chunk[]
}

export interface CompiledSql {
  readonly text: string
  /** Every parameter is sent as text (or NULL) and cast in SQL where a type matters. */
  readonly params: readonly (string | null)[]
}

/** Double-quote an identifier: `"` doubled, NUL stripped (Postgres rejects NUL anyway). */
export const quoteIdent = (name: string): string =>
  // Most names need no escaping: skip the two replaces on the hot path.
  name.includes('"') || name.includes('\u0000') ? `"${name.replace(/\u0000/g, '').replace(/"/g, '""')}"` : `"${name}"`

const frag = (chunks: readonly Chunk[]): SqlFragment => ({ chunks })

export const empty: SqlFragment = frag([])
/** Raw SQL text. Only ever call with literals written in this code base. */
export const raw = (text: string): SqlFragment => frag([{ kind: 'text', text }])
export const ident = (name: string): SqlFragment => frag([{ kind: 'ident', name }])
/** `"schema"."name"` */
export const qi = (q: { readonly schema: string; readonly name: string }): SqlFragment =>
  frag([{ kind: 'ident', name: q.schema }, { kind: 'text', text: '.' }, { kind: 'ident', name: q.name }])
export const param = (value: string | null): SqlFragment => frag([{ kind: 'param', value }])
/**
 * A string literal holding a name read from the schema cache (a column name as a JSON key), never
 * a request value: those are parameters. A literal rather than a `$n::text` parameter because
 * Postgres cannot type a parameter passed to `jsonb_build_object("any", …)` otherwise, and EXPLAIN
 * output then reads as PostgREST's. standard_conforming_strings (on since 9.1) keeps backslashes.
 */
export const catalogLiteral = (name: string): SqlFragment => raw(`'${name.replace(/'/g, "''")}'`)

export type SqlPart = SqlFragment | null | undefined | false

export const isEmpty = (f: SqlFragment): boolean => f.chunks.length === 0

/** Concatenate fragments; null/undefined/false are skipped. */
export const concat = (...parts: readonly SqlPart[]): SqlFragment => {
  const chunks: Chunk[] = []
  for (const p of parts) if (p) chunks.push(...p.chunks)
  return frag(chunks)
}

/** Join non-empty fragments with a raw separator (e.g. ', ' or ' AND '). */
export const join = (parts: readonly SqlPart[], separator: string): SqlFragment => {
  const chunks: Chunk[] = []
  let first = true
  for (const p of parts) {
    if (!p || p.chunks.length === 0) continue
    if (!first) chunks.push({ kind: 'text', text: separator })
    chunks.push(...p.chunks)
    first = false
  }
  return frag(chunks)
}

/**
 * Tagged template: interpolated values must be fragments (strings are rejected at the type
 * level, so a user value can never be spliced in as text by accident).
 */
export const sql = (strings: TemplateStringsArray, ...values: readonly SqlPart[]): SqlFragment => {
  const chunks: Chunk[] = []
  strings.forEach((s, i) => {
    if (s) chunks.push({ kind: 'text', text: s })
    const v = values[i]
    if (v) chunks.push(...v.chunks)
  })
  return frag(chunks)
}

/** Wrap in parentheses unless empty. */
export const parens = (f: SqlFragment): SqlFragment => (isEmpty(f) ? f : concat(raw('('), f, raw(')')))

/** Number parameters `$1..$n` in order and produce the final text. */
export const compile = (f: SqlFragment): CompiledSql => {
  let text = ''
  const params: (string | null)[] = []
  for (const c of f.chunks) {
    switch (c.kind) {
      case 'text':
        text += c.text
        break
      case 'ident':
        text += quoteIdent(c.name)
        break
      case 'param':
        params.push(c.value)
        text += `$${params.length}`
        break
      default: {
        const never: never = c
        throw new TypeError(`unknown chunk ${String(never)}`)
      }
    }
  }
  return { text, params }
}
