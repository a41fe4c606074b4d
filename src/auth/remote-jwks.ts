/**
 * @module auth/remote-jwks: PGRST_JWT_JWKS_URL — an identity provider's published key set, fetched
 * lazily and kept for the life of the isolate (one fetch serves every request), beyond PostgREST
 * (which only reads keys from its configuration, PostgREST issue #1130).
 *
 * - First use: fetched when the first token arrives; concurrent requests share that one fetch.
 * - Rotation: a token whose `kid` is not in the set (or, without a `kid`, that no key verifies)
 *   makes the caller ask for a refresh (`refreshForUnknownKey`); a copy older than `maxAgeMs` is
 *   refreshed on the next use (tokens already in the verified-token cache need no key and never
 *   trigger a fetch). Either way the provider is asked at most once per `cooldownMs`, so
 *   a flood of tokens with made-up `kid`s cannot hammer it.
 * - Outage: a failed fetch (network error, timeout, non-200, not a JWKS) keeps the previous copy,
 *   so tokens whose key is cached keep working; only with no copy at all are keys unavailable.
 * - `onChange` runs when a fetch brings a different key set (the caller drops its cache of
 *   verified tokens, so a key the provider withdrew stops verifying tokens at once).
 */
import { parseJwks, type VerifyKey } from './jwk.ts'

export interface RemoteJwksOptions {
  readonly url: string
  readonly fetch: typeof fetch
  /** Milliseconds since the epoch. */
  readonly now: () => number
  readonly cooldownMs: number
  readonly maxAgeMs: number
  readonly timeoutMs: number
  readonly log: (message: string) => void
  readonly onChange: () => void
}

export interface RemoteJwks {
  /** The current keys, fetching them first when there is no copy yet or it is too old; null = none available. */
  readonly keys: () => Promise<readonly VerifyKey[] | null>
  /** Asks the provider again unless it was asked within the cooldown; true when the key set changed. */
  readonly refreshForUnknownKey: () => Promise<boolean>
}

export const createRemoteJwks = (o: RemoteJwksOptions): RemoteJwks => {
  let keys: readonly VerifyKey[] | null = null
  let text: string | null = null
  let fetchedAt = -Infinity
  let attemptedAt = -Infinity
  let inflight: Promise<boolean> | null = null

  const load = async (): Promise<boolean> => {
    let body: string
    try {
      const res = await o.fetch(o.url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(o.timeoutMs) })
      body = await res.text()
      if (res.status !== 200) throw new Error(`HTTP ${res.status}`)
    } catch (e) {
      o.log(`edgerest: could not fetch the JWKS at ${o.url} (${e instanceof Error ? e.message : String(e)}); ${keys === null ? 'no keys yet' : 'keeping the keys fetched before'}`)
      return false
    }
    let parsed: ReturnType<typeof parseJwks> = null
    try {
      parsed = parseJwks(JSON.parse(body))
    } catch {
      parsed = null
    }
    if (parsed === null) {
      o.log(`edgerest: the response of ${o.url} is not a JWKS (a JSON object with a "keys" array); ${keys === null ? 'no keys yet' : 'keeping the keys fetched before'}`)
      return false
    }
    for (const p of parsed.problems) o.log(`edgerest: JWKS ${o.url}: ${p} (key ignored)`)
    fetchedAt = o.now()
    const changed = body !== text
    keys = parsed.keys
    text = body
    if (changed) o.onChange()
    return changed
  }

  /** Starts a fetch (or joins the one under way); resolves to whether the key set changed. */
  const refresh = (): Promise<boolean> => {
    if (inflight !== null) return inflight
    attemptedAt = o.now()
    inflight = load().finally(() => {
      inflight = null
    })
    return inflight
  }

  const cooledDown = (): boolean => o.now() - attemptedAt >= o.cooldownMs

  return {
    keys: async () => {
      if (inflight !== null) await inflight
      else if ((keys === null || o.now() - fetchedAt >= o.maxAgeMs) && cooledDown()) await refresh()
      return keys
    },
    refreshForUnknownKey: async () => {
      if (inflight !== null) return inflight
      return cooledDown() ? refresh() : false
    },
  }
}
