/** exp/nbf/iat/aud as PostgREST checks them, at the edges of the 30-second skew. */
import { describe, expect, it } from 'vitest'
import { checkClaims, sortKeysDeep } from '../../../src/auth/claims.ts'

const NOW = 1_700_000_000

describe('checkClaims: times, with 30 s of skew', () => {
  it('exp: valid until 30 s after it passes', () => {
    expect(checkClaims({ exp: NOW - 30 }, NOW, null)).toBeNull()
    expect(checkClaims({ exp: NOW - 31 }, NOW, null)).toBe('expired')
    expect(checkClaims({ exp: NOW + 3600 }, NOW + 0.9, null)).toBeNull()
  })

  it('nbf and iat: accepted up to 30 s in the future', () => {
    expect(checkClaims({ nbf: NOW + 30 }, NOW, null)).toBeNull()
    expect(checkClaims({ nbf: NOW + 31 }, NOW, null)).toBe('notYetValid')
    expect(checkClaims({ iat: NOW + 30 }, NOW, null)).toBeNull()
    expect(checkClaims({ iat: NOW + 31 }, NOW, null)).toBe('issuedAtFuture')
  })

  it('absent or null claims are not checked', () => {
    expect(checkClaims({}, NOW, 'aud1')).toBeNull()
    expect(checkClaims({ exp: null, nbf: null, iat: null, aud: null }, NOW, 'aud1')).toBeNull()
  })

  it('non-numbers are refused, claim by claim, in PostgREST order', () => {
    expect(checkClaims({ exp: 'invalid' }, NOW, null)).toBe('expNotNumber')
    expect(checkClaims({ nbf: '1' }, NOW, null)).toBe('nbfNotNumber')
    expect(checkClaims({ iat: true }, NOW, null)).toBe('iatNotNumber')
    expect(checkClaims({ exp: NOW - 100, nbf: 'x' }, NOW, null)).toBe('expired')
    expect(checkClaims({ nbf: 'x', exp: NOW - 100 }, NOW, null)).toBe('expired')
    expect(checkClaims({ iat: 'x', aud: 1 }, NOW, null)).toBe('iatNotNumber')
  })

  it('a fractional or out-of-range time counts as 0 (the epoch)', () => {
    expect(checkClaims({ exp: NOW + 0.5 }, NOW, null)).toBe('expired')
    expect(checkClaims({ exp: 1e300 }, NOW, null)).toBe('expired')
    expect(checkClaims({ nbf: 1e300 }, NOW, null)).toBeNull()
  })
})

describe('checkClaims: aud', () => {
  it('without PGRST_JWT_AUD any string or array of strings passes', () => {
    expect(checkClaims({ aud: 'x' }, NOW, null)).toBeNull()
    expect(checkClaims({ aud: ['x', 'y'] }, NOW, null)).toBeNull()
    expect(checkClaims({ aud: [] }, NOW, null)).toBeNull()
  })

  it('the type is checked even without PGRST_JWT_AUD', () => {
    expect(checkClaims({ aud: { invalid: 'value' } }, NOW, null)).toBe('audNotStringOrArray')
    expect(checkClaims({ aud: [{ invalid: 'value' }, 'test'] }, NOW, null)).toBe('audNotStringOrArray')
    expect(checkClaims({ aud: 5 }, NOW, null)).toBe('audNotStringOrArray')
  })

  it('with PGRST_JWT_AUD: the string must equal it, an array contain it or be empty', () => {
    expect(checkClaims({ aud: 'youraudience' }, NOW, 'youraudience')).toBeNull()
    expect(checkClaims({ aud: 'notyouraudience' }, NOW, 'youraudience')).toBe('notInAudience')
    expect(checkClaims({ aud: '' }, NOW, 'youraudience')).toBe('notInAudience')
    expect(checkClaims({ aud: ['a', 'youraudience'] }, NOW, 'youraudience')).toBeNull()
    expect(checkClaims({ aud: ['a', 'b'] }, NOW, 'youraudience')).toBe('notInAudience')
    expect(checkClaims({ aud: [] }, NOW, 'youraudience')).toBeNull()
  })
})

describe('sortKeysDeep', () => {
  it('sorts object keys at every depth, keeps array order', () => {
    const sorted = sortKeysDeep({ sub: 'u', app_metadata: { z: 1, a: [{ y: 1, b: 2 }] }, aud: ['z', 'a'] })
    expect(JSON.stringify(sorted)).toBe('{"app_metadata":{"a":[{"b":2,"y":1}],"z":1},"aud":["z","a"],"sub":"u"}')
  })
})
