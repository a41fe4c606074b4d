/**
 * @module parse/url-encoding: the URL pieces PostgREST reads through http-types and the HTTP
 * package: query-string splitting (`&` and `;`), percent decoding (with `+` → space in the
 * query), path segments, and the canonical query string (`urlEncodeVars`, which groups repeated
 * keys as `k=v1,v2`).
 */

const utf8Encoder = new TextEncoder()
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true })

export const utf8Encode = (s: string): Uint8Array => utf8Encoder.encode(s)
/** Invalid sequences become U+FFFD (http-types' path decoding is lenient the same way). */
export const utf8DecodeLenient = (b: Uint8Array): string => lenientDecoder.decode(b)

/** Bytes of a string whose characters are all < 256 (a header value, a Char8 ByteString). */
export const latin1Bytes = (s: string): Uint8Array => {
  const out = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff
  return out
}
export const bytesToLatin1 = (b: Uint8Array): string => {
  let s = ''
  for (const x of b) s += String.fromCharCode(x)
  return s
}

/**
 * A header value as Text decoded from UTF-8 bytes. Runtimes hand header values over as
 * "binary" strings (one char per byte); when that is valid UTF-8 we decode it, otherwise the
 * string is returned unchanged.
 */
export const headerText = (v: string): string => {
  for (let i = 0; i < v.length; i++) {
    if (v.charCodeAt(i) > 0xff) return v
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(latin1Bytes(v))
  } catch {
    return v
  }
}

const hexVal = (w: number | undefined): number | null => {
  if (w === undefined) return null
  if (w >= 48 && w <= 57) return w - 48
  if (w >= 97 && w <= 102) return w - 87
  if (w >= 65 && w <= 70) return w - 55
  return null
}

/** http-types' urlDecode: `%XX` with valid hex decodes, anything else is kept as is. */
export const urlDecode = (replacePlus: boolean, z: Uint8Array): Uint8Array => {
  const out: number[] = []
  for (let i = 0; i < z.length; i++) {
    const w = z[i] as number
    if (w === 43 && replacePlus) {
      out.push(32)
      continue
    }
    if (w === 37) {
      const x = hexVal(z[i + 1])
      const y = hexVal(z[i + 2])
      if (x !== null && y !== null) {
        out.push(x * 16 + y)
        i += 2
        continue
      }
    }
    out.push(w)
  }
  return Uint8Array.from(out)
}

export interface RawQueryItem {
  readonly key: Uint8Array
  /** null when the item had no `=` (`?a&b=1` gives `a` with no value). */
  readonly value: Uint8Array | null
}

/** http-types' parseQueryReplacePlus True: drop one leading `?`, split on `&` and `;`. */
export const parseQuery = (raw: Uint8Array): RawQueryItem[] => {
  let bs = raw
  if (bs[0] === 63) bs = bs.subarray(1)
  const items: RawQueryItem[] = []
  let start = 0
  while (start < bs.length) {
    let end = start
    while (end < bs.length && bs[end] !== 38 && bs[end] !== 59) end++
    const pair = bs.subarray(start, end)
    const eq = pair.indexOf(61)
    if (eq === -1) items.push({ key: urlDecode(true, pair), value: null })
    else items.push({ key: urlDecode(true, pair.subarray(0, eq)), value: urlDecode(true, pair.subarray(eq + 1)) })
    start = end + 1
  }
  return items
}

/** http-types' decodePathSegments: `/a/b/` → ['a', 'b', ''], `/` → []. */
export const decodePathSegments = (rawPath: string): string[] => {
  const bs = utf8Encode(rawPath)
  if (bs.length === 0 || (bs.length === 1 && bs[0] === 47)) return []
  const body = bs[0] === 47 ? bs.subarray(1) : bs
  const segments: string[] = []
  let start = 0
  for (;;) {
    let end = start
    while (end < body.length && body[end] !== 47) end++
    segments.push(utf8DecodeLenient(urlDecode(false, body.subarray(start, end))))
    if (end >= body.length) break
    start = end + 1
  }
  return segments
}

const HEX = '0123456789ABCDEF'
const escapeByte = (b: number): string => `%${HEX[b >> 4] as string}${HEX[b & 15] as string}`

/**
 * The HTTP package's urlEncode over a Char8 string: ASCII alphanumerics and `-_.~` stay, bytes
 * ≥ 0x80 are UTF-8 encoded as if they were code points (so they come out double-encoded, as in
 * PostgREST), everything else is `%XX`.
 */
const urlEncodeLatin1 = (s: string): string => {
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95 || c === 46 || c === 126) {
      out += s[i] as string
    } else if (c >= 0x80) {
      out += escapeByte(0xc0 | (c >> 6)) + escapeByte(0x80 | (c & 0x3f))
    } else {
      out += escapeByte(c)
    }
  }
  return out
}

/** urlEncodeVars: `k=v`, repeated keys folded into the first as `k=v1,v2`, joined with `&`. */
export const urlEncodeVars = (pairs: readonly (readonly [string, string])[]): string => {
  const groups: { key: string; values: string[] }[] = []
  for (const [k, v] of pairs) {
    const g = groups.find((x) => x.key === k)
    if (g === undefined) groups.push({ key: k, values: [v] })
    else g.values.push(v)
  }
  return groups.map((g) => `${urlEncodeLatin1(g.key)}=${g.values.map(urlEncodeLatin1).join(',')}`).join('&')
}

const compareBytes = (a: Uint8Array, b: Uint8Array): number => {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number)
    if (d !== 0) return d
  }
  return a.length - b.length
}

/** PostgREST's canonical query string: items stably sorted by key bytes, then urlEncodeVars. */
export const canonicalQuery = (items: readonly RawQueryItem[]): string => {
  const sorted = [...items].sort((a, b) => compareBytes(a.key, b.key))
  return urlEncodeVars(sorted.map((it) => [bytesToLatin1(it.key), it.value === null ? '' : bytesToLatin1(it.value)] as const))
}

/** Code-point order, as Haskell's `Ord Text` (JS `<` compares UTF-16 units instead). */
export const compareCodePoints = (a: string, b: string): number => {
  const ia = a[Symbol.iterator]()
  const ib = b[Symbol.iterator]()
  for (;;) {
    const x = ia.next()
    const y = ib.next()
    if (x.done === true) return y.done === true ? 0 : -1
    if (y.done === true) return 1
    const d = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0)
    if (d !== 0) return d
  }
}

/** A Haskell `Set Text` as an array: unique, in code-point order. */
export const toSortedSet = (xs: Iterable<string>): string[] => [...new Set(xs)].sort(compareCodePoints)
