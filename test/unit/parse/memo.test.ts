/**
 * @module test/unit/parse/memo: the bounded LRU used to cache parses of repeated parameter values.
 */
import { describe, expect, it } from 'vitest'
import { memoize } from '../../../src/parse/memo.ts'

describe('memoize', () => {
  it('computes once per key, evicts the least recently used, skips long keys', () => {
    const calls: string[] = []
    const f = memoize((k: string) => {
      calls.push(k)
      return k.length === 0 ? undefined : k.toUpperCase()
    }, 2, 5)
    expect(f('a')).toBe('A')
    expect(f('a')).toBe('A')
    expect(f('')).toBeUndefined()
    expect(f('')).toBeUndefined()
    expect(calls).toEqual(['a', ''])
    f('a') // refresh 'a'; '' is now the oldest
    f('b') // evicts ''
    f('')
    expect(calls).toEqual(['a', '', 'b', ''])
    f('toolong')
    f('toolong')
    expect(calls.filter((c) => c === 'toolong')).toHaveLength(2)
  })
})
