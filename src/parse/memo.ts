/**
 * @module parse/memo: a small bounded LRU memo for pure string → value functions. `select`,
 * `order`, `and`/`or` values and media types repeat across requests, and parsing them with
 * Parsec's rules is comparatively expensive; results are immutable, so sharing them is safe.
 * Long inputs are not cached so memory stays bounded (entries × key length).
 */

export const memoize = <R>(fn: (key: string) => R, maxEntries = 256, maxKeyLength = 1024): ((key: string) => R) => {
  const cache = new Map<string, R>()
  return (key: string): R => {
    if (key.length > maxKeyLength) return fn(key)
    const hit = cache.get(key)
    if (hit !== undefined || cache.has(key)) {
      // refresh recency
      cache.delete(key)
      cache.set(key, hit as R)
      return hit as R
    }
    const value = fn(key)
    cache.set(key, value)
    if (cache.size > maxEntries) {
      const oldest = cache.keys().next()
      if (oldest.done !== true) cache.delete(oldest.value)
    }
    return value
  }
}
