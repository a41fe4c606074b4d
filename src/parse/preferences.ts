/**
 * @module parse/preferences: the `Prefer` header (RFC 7240) as PostgREST's Preferences.hs reads
 * it: every `Prefer` header, split on commas, tokens trimmed; the first recognised value of each
 * kind wins; `timezone=` and `max-affected=` by prefix (the first one, even if unreadable);
 * unrecognised tokens are kept for `handling=strict` (PGRST122, raised by the planner).
 * `tx=` is only honoured when the config allows the override, but is never "invalid".
 * Beyond PostgREST, `read-your-writes` (the primary instead of a read replica) is known too.
 */
import type { Preferences } from './types.ts'
import { readHsInt64 } from './hs-read.ts'

type Token<K extends keyof Preferences> = readonly [string, NonNullable<Preferences[K]>]

const RESOLUTION: readonly Token<'resolution'>[] = [
  ['resolution=merge-duplicates', 'merge-duplicates'],
  ['resolution=ignore-duplicates', 'ignore-duplicates'],
]
const REPRESENTATION: readonly Token<'representation'>[] = [
  ['return=representation', 'full'],
  ['return=minimal', 'none'],
  ['return=headers-only', 'headers-only'],
]
const COUNT: readonly Token<'count'>[] = [
  ['count=exact', 'exact'],
  ['count=planned', 'planned'],
  ['count=estimated', 'estimated'],
]
const TRANSACTION: readonly Token<'transaction'>[] = [
  ['tx=commit', 'commit'],
  ['tx=rollback', 'rollback'],
]
const MISSING: readonly Token<'missing'>[] = [
  ['missing=default', 'default'],
  ['missing=null', 'null'],
]
const HANDLING: readonly Token<'handling'>[] = [
  ['handling=strict', 'strict'],
  ['handling=lenient', 'lenient'],
]

/** Beyond PostgREST: read from the primary, not a read replica (see Preferences.readYourWrites). */
const READ_YOUR_WRITES = 'read-your-writes'

const ACCEPTED = new Set<string>([
  ...[...RESOLUTION, ...REPRESENTATION, ...COUNT, ...TRANSACTION, ...MISSING, ...HANDLING].map(([t]) => t),
  READ_YOUR_WRITES,
])

/** Data.ByteString.Char8.strip: ASCII whitespace and NBSP (0xA0), as header bytes. */
const stripBytes = (s: string): string => s.replace(/^[ \t\n\v\f\r\u00a0]+|[ \t\n\v\f\r\u00a0]+$/g, '')

/** The Prefer tokens of all `Prefer` headers, in order (empty tokens included, as PostgREST does). */
export const preferenceTokens = (headers: readonly (readonly [string, string])[]): string[] =>
  headers
    .filter(([name]) => name.toLowerCase() === 'prefer')
    .flatMap(([, value]) => (value === '' ? [] : value.split(',')))
    .map(stripBytes)

const firstOf = <V>(tokens: readonly string[], table: readonly (readonly [string, V])[]): V | undefined => {
  for (const t of tokens) {
    const hit = table.find(([k]) => k === t)
    if (hit !== undefined) return hit[1]
  }
  return undefined
}

const firstWithPrefix = (tokens: readonly string[], prefix: string): string | undefined =>
  tokens.find((t) => t.startsWith(prefix))?.slice(prefix.length)

/** Parses the Prefer headers; `allowTxOverride` is `dbTxAllowOverride`. */
export const parsePreferences = (headers: readonly (readonly [string, string])[], allowTxOverride: boolean): Preferences => {
  const tokens = preferenceTokens(headers)
  const maxAffectedRaw = firstWithPrefix(tokens, 'max-affected=')
  const maxAffected = maxAffectedRaw === undefined ? null : readHsInt64(maxAffectedRaw)
  return {
    resolution: firstOf(tokens, RESOLUTION),
    representation: firstOf(tokens, REPRESENTATION),
    count: firstOf(tokens, COUNT),
    transaction: allowTxOverride ? firstOf(tokens, TRANSACTION) : undefined,
    missing: firstOf(tokens, MISSING),
    handling: firstOf(tokens, HANDLING),
    timezone: firstWithPrefix(tokens, 'timezone='),
    maxAffected: maxAffected === null ? undefined : Number(maxAffected),
    readYourWrites: tokens.includes(READ_YOUR_WRITES) ? true : undefined,
    invalid: tokens.filter((t) => !ACCEPTED.has(t) && !t.startsWith('timezone=') && !t.startsWith('max-affected=')),
  }
}

const tokenOf = <V>(table: readonly (readonly [string, V])[], v: V | undefined): string | undefined =>
  v === undefined ? undefined : table.find(([, x]) => x === v)?.[0]

/**
 * The `Preference-Applied` value for a set of (already adjusted) preferences, in PostgREST's
 * order; `max-affected` is only reported with `handling=strict`. Null when nothing applies.
 */
export const preferenceAppliedValue = (p: Preferences): string | null => {
  const parts = [
    tokenOf(RESOLUTION, p.resolution),
    tokenOf(MISSING, p.missing),
    tokenOf(REPRESENTATION, p.representation),
    tokenOf(COUNT, p.count),
    tokenOf(TRANSACTION, p.transaction),
    tokenOf(HANDLING, p.handling),
    p.timezone === undefined ? undefined : `timezone=${p.timezone}`,
    p.handling === 'strict' && p.maxAffected !== undefined ? `max-affected=${p.maxAffected}` : undefined,
  ].filter((x): x is string => x !== undefined)
  return parts.length === 0 ? null : parts.join(', ')
}
