/** The bearer token of an Authorization header, as PostgREST (wai-extra) reads it. */
import { describe, expect, it } from 'vitest'
import { bearerToken } from '../../../src/auth/bearer.ts'

describe('bearerToken', () => {
  it('takes the token after the scheme, in any letter case', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi')
    expect(bearerToken('bearer abc')).toBe('abc')
    expect(bearerToken('BEARER abc')).toBe('abc')
  })

  it('drops the whitespace between scheme and token, keeps what follows the token', () => {
    expect(bearerToken('Bearer \t  abc')).toBe('abc')
    expect(bearerToken('Bearer abc ')).toBe('abc ')
    expect(bearerToken('Bearer a b')).toBe('a b')
  })

  it('a bare scheme is an empty token (PGRST301 "Empty JWT"), not an anonymous request', () => {
    expect(bearerToken('Bearer')).toBe('')
    expect(bearerToken('Bearer   ')).toBe('')
  })

  it('no header or another scheme: no token, the request is anonymous', () => {
    expect(bearerToken(null)).toBeNull()
    expect(bearerToken('Basic dXNlcjpwYXNz')).toBeNull()
    expect(bearerToken('Bearerx abc')).toBeNull()
    expect(bearerToken('')).toBeNull()
  })
})
