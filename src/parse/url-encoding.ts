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

/**
 * One query item, decoded: `key`/`value` as Text (percent-decoded UTF-8, invalid sequences →
 * U+FFFD) and as the decoded bytes one char per byte (`keyLatin1`/`valueLatin1`, what the
 * canonical query string sorts and re-encodes).
 */
export interface DecodedQueryItem {
  readonly key: string
  readonly value: string | null
  readonly keyLatin1: string
  readonly valueLatin1: string | null
}

const hexCode = (c: number): number => (c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1)

/**
 * urlDecode (with `+` → space) of a piece of the query string when the result is plain ASCII:
 * then the UTF-8 decoding and the byte string are that same text, and no bytes need building.
 * Null when some character or decoded byte is not ASCII (the byte path handles those).
 */
const urlDecodeAscii = (s: string, from: number, to: number): string | null => {
  let plain = true
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0x80) return null
    if (c === 37 || c === 43) plain = false
  }
  if (plain) return s.slice(from, to)
  let out = ''
  let run = from
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i)
    if (c === 43) {
      out += `${s.slice(run, i)} `
      run = i + 1
    } else if (c === 37) {
      // As urlDecode: `%` not followed by two hex digits stays as it is.
      const x = i + 1 < to ? hexCode(s.charCodeAt(i + 1)) : -1
      const y = i + 2 < to ? hexCode(s.charCodeAt(i + 2)) : -1
      if (x < 0 || y < 0) continue
      const b = x * 16 + y
      if (b >= 0x80) return null
      out += s.slice(run, i) + String.fromCharCode(b)
      i += 2
      run = i + 1
    }
  }
  return out + s.slice(run, to)
}

const decodeQueryPiece = (s: string, from: number, to: number): readonly [text: string, latin1: string] => {
  const ascii = urlDecodeAscii(s, from, to)
  if (ascii !== null) return [ascii, ascii]
  const bytes = urlDecode(true, utf8Encode(s.slice(from, to)))
  return [utf8DecodeLenient(bytes), bytesToLatin1(bytes)]
}

/**
 * `parseQuery(utf8Encode(raw))` with every key and value decoded both ways. Splitting the string
 * on `&`/`;` is splitting its UTF-8 bytes: multi-byte sequences never contain ASCII bytes.
 */
export const parseQueryDecoded = (raw: string): DecodedQueryItem[] => {
  const start0 = raw.charCodeAt(0) === 63 ? 1 : 0
  const items: DecodedQueryItem[] = []
  let start = start0
  while (start < raw.length) {
    let end = start
    for (; end < raw.length; end++) {
      const c = raw.charCodeAt(end)
      if (c === 38 || c === 59) break
    }
    let eq = -1
    for (let i = start; i < end; i++) {
      if (raw.charCodeAt(i) === 61) {
        eq = i
        break
      }
    }
    if (eq === -1) {
      const [key, keyLatin1] = decodeQueryPiece(raw, start, end)
      items.push({ key, value: null, keyLatin1, valueLatin1: null })
    } else {
      const [key, keyLatin1] = decodeQueryPiece(raw, start, eq)
      const [value, valueLatin1] = decodeQueryPiece(raw, eq + 1, end)
      items.push({ key, value, keyLatin1, valueLatin1 })
    }
    start = end + 1
  }
  return items
}

/** Printable ASCII without `%`: bytes and characters coincide and nothing needs decoding. */
const PLAIN_PATH = /^[\x20-\x24\x26-\x7e]*$/

/** http-types' decodePathSegments: `/a/b/` → ['a', 'b', ''], `/` → []. */
export const decodePathSegments = (rawPath: string): string[] => {
  // The usual path (`/table`, `/rpc/fn`): ASCII without escapes splits as text.
  if (PLAIN_PATH.test(rawPath)) {
    if (rawPath === '' || rawPath === '/') return []
    return (rawPath.charCodeAt(0) === 47 ? rawPath.slice(1) : rawPath).split('/')
  }
  return decodePathSegmentsBytes(rawPath)
}

/** decodePathSegments by its byte-level definition (UTF-8 bytes, percent-decoded per segment): any path. */
export const decodePathSegmentsBytes = (rawPath: string): string[] => {
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
const UNRESERVED = /^[A-Za-z0-9\-_.~]*$/
const urlEncodeLatin1 = (s: string): string => {
  if (UNRESERVED.test(s)) return s
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
  // A Map keeps the groups in the order of each key's first occurrence.
  const groups = new Map<string, string[]>()
  for (const [k, v] of pairs) {
    const g = groups.get(k)
    if (g === undefined) groups.set(k, [v])
    else g.push(v)
  }
  let out = ''
  for (const [k, values] of groups) {
    if (out !== '') out += '&'
    out += `${urlEncodeLatin1(k)}=${values.map(urlEncodeLatin1).join(',')}`
  }
  return out
}

/**
 * PostgREST's canonical query string: items stably sorted by key bytes, then urlEncodeVars. The
 * byte strings hold one char per byte, so comparing them as JS strings (UTF-16 units, all < 256)
 * is comparing the bytes; Array#sort is stable, and most query strings are in order already.
 */
export const canonicalQuery = (items: readonly DecodedQueryItem[]): string => {
  let inOrder = true
  for (let i = 1; i < items.length && inOrder; i++) inOrder = (items[i - 1] as DecodedQueryItem).keyLatin1 <= (items[i] as DecodedQueryItem).keyLatin1
  const sorted = inOrder ? items : [...items].sort((a, b) => (a.keyLatin1 < b.keyLatin1 ? -1 : a.keyLatin1 > b.keyLatin1 ? 1 : 0))
  return urlEncodeVars(sorted.map((it) => [it.keyLatin1, it.valueLatin1 ?? ''] as const))
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
