/**
 * @module test/unit/parse/url-encoding: the string-level query-string decoding (parseQueryDecoded,
 * canonicalQuery) against http-types' byte-level definition it replaces on the hot path: split the
 * UTF-8 bytes on `&`/`;`, urlDecode each piece (`+` → space), decode UTF-8 leniently, and for the
 * canonical form sort by key bytes and re-encode the bytes.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  bytesToLatin1,
  canonicalQuery,
  decodePathSegments,
  decodePathSegmentsBytes,
  parseQuery,
  parseQueryDecoded,
  urlDecode,
  urlEncodeVars,
  utf8DecodeLenient,
  utf8Encode,
} from '../../../src/parse/url-encoding.ts'

/** The byte-level reference: what the query parser computed before the string fast path. */
const reference = (raw: string) => {
  const items = parseQuery(utf8Encode(raw))
  const decoded = items.map((it) => ({
    key: utf8DecodeLenient(it.key),
    value: it.value === null ? null : utf8DecodeLenient(it.value),
    keyLatin1: bytesToLatin1(it.key),
    valueLatin1: it.value === null ? null : bytesToLatin1(it.value),
  }))
  const compareBytes = (a: Uint8Array, b: Uint8Array): number => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number)
    return a.length - b.length
  }
  const sorted = [...items].sort((a, b) => compareBytes(a.key, b.key))
  const canonical = urlEncodeVars(sorted.map((it) => [bytesToLatin1(it.key), it.value === null ? '' : bytesToLatin1(it.value)] as const))
  return { decoded, canonical }
}

/** Query-string text built from the characters that matter: separators, escapes, `+`, non-ASCII. */
const queryText = fc
  .array(fc.constantFrom('a', 'b', 'Z', '0', '9', '.', '-', '_', '~', '=', '&', ';', '?', '+', '%', '%2', '%41', '%e9', '%C3%A9', '%c3', '%ZZ', '%2B', '%26', ' ', '*', '(', ')', ',', '"', 'é', '日', '\ud83d\ude00', '\ud800'), { maxLength: 24 })
  .map((parts) => parts.join(''))

describe('parseQueryDecoded', () => {
  it('decodes keys and values as the byte-level parser does', () => {
    fc.assert(
      fc.property(queryText, (raw) => {
        expect(parseQueryDecoded(raw)).toEqual(reference(raw).decoded)
      }),
      { numRuns: 3000 },
    )
  })

  it('gives the same canonical query string', () => {
    fc.assert(
      fc.property(queryText, (raw) => {
        expect(canonicalQuery(parseQueryDecoded(raw))).toBe(reference(raw).canonical)
      }),
      { numRuns: 3000 },
    )
  })

  it('handles the edge cases by name', () => {
    for (const raw of ['', '?', '?a', 'a=', '=b', 'a=1&&b', 'a=%', 'a=%4', 'a=%41%', 'k=x+y%20z', 'k=%C3%A9', 'k=%FF', 'é=ü', 'a;b=1;c']) {
      expect(parseQueryDecoded(raw)).toEqual(reference(raw).decoded)
      expect(canonicalQuery(parseQueryDecoded(raw))).toBe(reference(raw).canonical)
    }
    expect(urlDecode(true, utf8Encode('a+b'))).toEqual(utf8Encode('a b'))
  })
})

/** http-types' decodePathSegments over the UTF-8 bytes, as the parser did it for every path. */
const referenceSegments = decodePathSegmentsBytes

describe('decodePathSegments', () => {
  it('splits and decodes as the byte-level definition does', () => {
    const pathText = fc
      .array(fc.constantFrom('/', 'a', 'rpc', 'x y', '+', '%', '%41', '%2F', '%C3%A9', 'é', '\t', '.', '~', '\ud800'), { maxLength: 10 })
      .map((parts) => parts.join(''))
    fc.assert(
      fc.property(pathText, (raw) => {
        expect(decodePathSegments(raw)).toEqual(referenceSegments(raw))
      }),
      { numRuns: 2000 },
    )
    for (const raw of ['', '/', '//', '/a/', 'a', '/a/b', '/rpc/fn']) expect(decodePathSegments(raw)).toEqual(referenceSegments(raw))
  })
})
