/** The structural checks of a compact JWS, with jose-jwt's outcomes, and the base64 decoders. */
import { describe, expect, it } from 'vitest'
import { decodeBase64Url, decodeSecretBase64 } from '../../../src/auth/base64url.ts'
import { decodeClaims, parseCompact } from '../../../src/auth/token.ts'
import { rawToken } from './tokens.ts'

const text = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b))

describe('decodeBase64Url', () => {
  it('decodes unpadded base64url', () => {
    expect(text(decodeBase64Url('eyJhIjoxfQ'))).toBe('{"a":1}')
    expect(text(decodeBase64Url(''))).toBe('')
    expect(Array.from(decodeBase64Url('-_8') ?? [])).toEqual([0xfb, 0xff])
  })

  it('refuses padding, the standard alphabet and impossible lengths', () => {
    expect(decodeBase64Url('eyJhIjoxfQ==')).toBeNull()
    expect(decodeBase64Url('+/8')).toBeNull()
    expect(decodeBase64Url('abcde')).toBeNull()
    expect(decodeBase64Url('quifquirndsjagnrgniur')).toBeNull()
  })
})

describe('decodeSecretBase64 (jwt-secret-is-base64)', () => {
  it('accepts standard and URL-safe alphabets, with "." as padding', () => {
    const secret = 'reallyreallyreallyreallyverysafe'
    const b64 = btoa(secret)
    expect(text(decodeSecretBase64(b64))).toBe(secret)
    expect(text(decodeSecretBase64(b64.replace(/=/g, '.')))).toBe(secret)
    expect(text(decodeSecretBase64(` ${b64}\n`))).toBe(secret)
    expect(Array.from(decodeSecretBase64('-_8=') ?? [])).toEqual([0xfb, 0xff])
  })

  it('refuses unpadded or malformed text', () => {
    expect(decodeSecretBase64('YWJj ZA')).toBeNull()
    expect(decodeSecretBase64('YWJjZA')).toBeNull()
    expect(decodeSecretBase64('Y===')).toBeNull()
  })
})

describe('parseCompact', () => {
  it('reads alg and kid of a JWS header', () => {
    const p = parseCompact(rawToken({ alg: 'RS256', kid: 'k1', typ: 'JWT' }, { sub: 'x' }))
    expect(p).toEqual({ kind: 'jws', hint: { alg: 'RS256', kid: 'k1' }, payload: new TextEncoder().encode('{"sub":"x"}') })
    expect(parseCompact(rawToken({ alg: 'HS256', kid: null }, {}))).toMatchObject({ hint: { alg: 'HS256', kid: null } })
  })

  it('recognises an unsecured token, whatever its signature segment', () => {
    expect(parseCompact('eyJ0eXAiOiJKV1QiLCJhbGciOiJub25lIn0.e30.yOBhlOIqn56T-4NvyEXCjfi3UmyQZ-BzXtePMO2NgRI')).toEqual({ kind: 'unsecured' })
    expect(parseCompact(rawToken({ alg: 'none' }, {}, ''))).toEqual({ kind: 'unsecured' })
  })

  it('is BadCrypto (null) for anything malformed', () => {
    expect(parseCompact('quifquirndsjagnrgniur.fonvoienqhhdj.iuqvnvhojah')).toBeNull()
    expect(parseCompact(rawToken('not json', {}))).toBeNull()
    expect(parseCompact(rawToken([1], {}))).toBeNull()
    expect(parseCompact(rawToken({}, {}))).toBeNull()
    expect(parseCompact(rawToken({ alg: 'HS999' }, {}))).toBeNull()
    expect(parseCompact(rawToken({ alg: 'HS256', kid: 7 }, {}))).toBeNull()
    expect(parseCompact(rawToken({ alg: 'HS256', typ: 1 }, {}))).toBeNull()
    expect(parseCompact(rawToken({ alg: 'RSA-OAEP', enc: 'A256GCM' }, {}))).toBeNull()
    expect(parseCompact(rawToken({ alg: 'HS256' }, {}, 'a+b'))).toBeNull()
    expect(parseCompact(`${rawToken({ alg: 'HS256' }, {}).split('.')[0]}.abcde.c2ln`)).toBeNull()
    expect(parseCompact(`${rawToken({ alg: 'none' }, {}).split('.')[0]}.abcde.`)).toBeNull()
  })
})

describe('decodeClaims', () => {
  it('is the payload JSON object, or null for anything else', () => {
    const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)
    expect(decodeClaims(bytes('{"a":{"b":[1]}}'))).toEqual({ a: { b: [1] } })
    expect(decodeClaims(bytes('[1]'))).toBeNull()
    expect(decodeClaims(bytes('"x"'))).toBeNull()
    expect(decodeClaims(bytes('{'))).toBeNull()
    expect(decodeClaims(new Uint8Array([0x7b, 0xff, 0x7d]))).toBeNull()
  })
})
