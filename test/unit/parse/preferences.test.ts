/**
 * @module test/unit/parse/preferences: the Prefer header, per PostgREST's Preferences.hs
 * doctests and its HandlingSpec/MaxAffectedSpec/TimezoneSpec behaviour.
 */
import { describe, expect, it } from 'vitest'
import { parsePreferences, preferenceAppliedValue, preferenceTokens } from '../../../src/parse/preferences.ts'
import type { Preferences } from '../../../src/parse/types.ts'

const none: Preferences = {
  resolution: undefined,
  representation: undefined,
  count: undefined,
  transaction: undefined,
  missing: undefined,
  handling: undefined,
  timezone: undefined,
  maxAffected: undefined,
  invalid: [],
}

describe('parsePreferences', () => {
  it('read-your-writes (beyond PostgREST) is a known preference, so handling=strict accepts it', () => {
    expect(parsePreferences([['Prefer', 'handling=strict, read-your-writes']], true)).toEqual({ ...none, handling: 'strict', readYourWrites: true })
    expect(parsePreferences([['Prefer', 'count=exact']], true).readYourWrites).toBe(undefined)
  })

  it('one header with comma-separated values', () => {
    expect(
      parsePreferences([['Prefer', 'resolution=ignore-duplicates, count=exact, timezone=America/Los_Angeles, max-affected=100']], true),
    ).toEqual({ ...none, resolution: 'ignore-duplicates', count: 'exact', timezone: 'America/Los_Angeles', maxAffected: 100 })
  })

  it('multiple headers', () => {
    expect(
      parsePreferences(
        [
          ['Prefer', 'resolution=ignore-duplicates'],
          ['Prefer', 'count=exact'],
          ['Prefer', 'missing=null'],
          ['Prefer', 'handling=lenient'],
          ['Prefer', 'invalid'],
          ['Prefer', 'max-affected=5999'],
        ],
        true,
      ),
    ).toEqual({ ...none, resolution: 'ignore-duplicates', count: 'exact', missing: 'null', handling: 'lenient', maxAffected: 5999, invalid: ['invalid'] })
  })

  it('the first value of a kind wins, within and across headers', () => {
    expect(parsePreferences([['Prefer', 'tx=commit, tx=rollback']], true).transaction).toBe('commit')
    expect(
      parsePreferences(
        [
          ['Prefer', 'resolution=ignore-duplicates'],
          ['Prefer', 'resolution=merge-duplicates'],
        ],
        true,
      ).resolution,
    ).toBe('ignore-duplicates')
  })

  it('arbitrary spacing, lower-case header name, every recognised value', () => {
    expect(parsePreferences([['prefer', 'count=exact,    tx=commit   ,return=representation , missing=default, handling=strict, anything']], true)).toEqual({
      ...none,
      representation: 'full',
      count: 'exact',
      transaction: 'commit',
      missing: 'default',
      handling: 'strict',
      invalid: ['anything'],
    })
  })

  it.each<[string, Partial<Preferences>]>([
    ['return=minimal', { representation: 'none' }],
    ['return=headers-only', { representation: 'headers-only' }],
    ['count=planned', { count: 'planned' }],
    ['count=estimated', { count: 'estimated' }],
    ['resolution=merge-duplicates', { resolution: 'merge-duplicates' }],
    ['tx=rollback', { transaction: 'rollback' }],
    ['timezone=', { timezone: '' }],
    ['max-affected=-3', { maxAffected: -3 }],
    ['max-affected=abc, max-affected=5', {}],
    ['return=Representation', { invalid: ['return=Representation'] }],
    ['params=single-object', { invalid: ['params=single-object'] }],
    ['count=exact,', { count: 'exact', invalid: [''] }],
  ])('%s', (value, expected) => {
    expect(parsePreferences([['Prefer', value]], true)).toEqual({ ...none, ...expected })
  })

  it('tx= is ignored unless the config allows the override, and is never invalid', () => {
    expect(parsePreferences([['Prefer', 'tx=commit']], false)).toEqual(none)
    expect(parsePreferences([['Prefer', 'tx=commit']], true)).toEqual({ ...none, transaction: 'commit' })
  })

  it('ignores other headers and empty Prefer headers', () => {
    expect(parsePreferences([['Accept', 'count=exact'], ['Prefer', '']], true)).toEqual(none)
  })

  it('collects invalid tokens across headers in order (PGRST122 details)', () => {
    expect(parsePreferences([['Prefer', 'handling=strict'], ['Prefer', 'something, else']], true).invalid).toEqual(['something', 'else'])
  })

  it('tokens are trimmed of whitespace', () => {
    expect(preferenceTokens([['Prefer', ' a ,\tb\t']])).toEqual(['a', 'b'])
  })
})

describe('preferenceAppliedValue', () => {
  it('lists applied preferences in PostgREST order', () => {
    expect(
      preferenceAppliedValue({
        ...none,
        resolution: 'merge-duplicates',
        missing: 'default',
        representation: 'full',
        count: 'exact',
        transaction: 'rollback',
        handling: 'strict',
        timezone: 'UTC',
        maxAffected: 5,
      }),
    ).toBe('resolution=merge-duplicates, missing=default, return=representation, count=exact, tx=rollback, handling=strict, timezone=UTC, max-affected=5')
  })
  it('reports max-affected only with handling=strict, and nothing when empty', () => {
    expect(preferenceAppliedValue({ ...none, maxAffected: 5, representation: 'none' })).toBe('return=minimal')
    expect(preferenceAppliedValue(none)).toBeNull()
  })
})
