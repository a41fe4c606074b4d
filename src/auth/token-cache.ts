/**
 * @module auth/token-cache: the bounded per-isolate cache of verified tokens
 * (PGRST_JWT_CACHE_MAX_ENTRIES; 0 turns it off). Like PostgREST's JWT cache it holds what
 * signature verification produced — the token's claims — keyed by the token text, never an error;
 * the time and audience checks still run on every request, so a cached token expires on time.
 * Least-recently-used eviction (a Map keeps insertion order; a hit re-inserts its entry).
 */

export interface TokenCache<V> {
  readonly get: (token: string) => V | undefined
  readonly set: (token: string, value: V) => void
  readonly clear: () => void
  readonly size: () => number
}

export const createTokenCache = <V>(maxEntries: number): TokenCache<V> => {
  const entries = new Map<string, V>()
  return {
    get: (token) => {
      const v = entries.get(token)
      if (v !== undefined) {
        entries.delete(token)
        entries.set(token, v)
      }
      return v
    },
    set: (token, value) => {
      if (maxEntries <= 0) return
      entries.delete(token)
      entries.set(token, value)
      while (entries.size > maxEntries) {
        const oldest = entries.keys().next()
        if (oldest.done === true) break
        entries.delete(oldest.value)
      }
    },
    clear: () => entries.clear(),
    size: () => entries.size,
  }
}
