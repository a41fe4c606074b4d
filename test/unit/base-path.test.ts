/**
 * @module test/unit/base-path: the path the pipeline sees once the mount point and
 * EDGEREST_BASE_PATH are stripped, and the public prefix respond writes into headers.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { pathAndSearch, servedTarget } from '../../src/base-path.ts'

const served = (path: string, mount: string, base: string) => {
  const s = servedTarget(`http://h${path}`, mount, base)
  return s === null ? null : [s.target.pathname, s.target.search, s.prefix]
}

describe('servedTarget', () => {
  it.each([
    // [request path, mount point as Hono reports it, EDGEREST_BASE_PATH, pipeline path, query, prefix]
    ['/items?id=eq.1', '/', '', '/items', '?id=eq.1', ''],
    ['/', '/', '', '/', '', ''],
    ['/rpc/fn', '', '', '/rpc/fn', '', ''],
    ['/api/items?a=1', '/api', '', '/items', '?a=1', '/api'],
    ['/api', '/api', '', '/', '', '/api'],
    ['/api/', '/api', '', '/', '', '/api'],
    ['/t/acme/api/items', '/t/acme/api', '', '/items', '', '/t/acme/api'],
    ['/rest/v1/items?select=*', '/', '/rest/v1', '/items', '?select=*', '/rest/v1'],
    ['/rest/v1', '/', '/rest/v1', '/', '', '/rest/v1'],
    ['/rest/v1/', '/', '/rest/v1', '/', '', '/rest/v1'],
    ['/rest/v1/rpc/add', '/', '/rest/v1', '/rpc/add', '', '/rest/v1'],
    ['/api/rest/v1/items', '/api', '/rest/v1', '/items', '', '/api/rest/v1'],
    // The mount point as the client encoded it; Hono reports it decoded.
    ['/caf%C3%A9/items', '/café', '', '/items', '', '/caf%C3%A9'],
    // An encoded slash is part of a segment, in the mount point and after it.
    ['/a%2Fb/items%2Fx', '/a%2Fb', '', '/items%2Fx', '', '/a%2Fb'],
  ])('%s mounted at %j, base %j → %s', (path, mount, base, pathname, search, prefix) => {
    expect(served(path, mount, base)).toEqual([pathname, search, prefix])
  })

  it.each([
    ['/items', '/', '/rest/v1'],
    ['/rest', '/', '/rest/v1'],
    ['/rest/v10/items', '/', '/rest/v1'],
    ['/rest/v1x', '/', '/rest/v1'],
    ['/api/items', '/api', '/rest/v1'],
  ])('%s (mount %j) is outside base path %j', (path, mount, base) => {
    expect(served(path, mount, base)).toBeNull()
  })
})

describe('pathAndSearch', () => {
  /** A URL as a runtime hands it to the app: serialized by the URL parser. */
  const serialized = fc
    .tuple(
      fc.constantFrom('http://h', 'https://example.com:8443', 'http://127.0.0.1:3000', 'http://[::1]:80'),
      fc.array(fc.string({ unit: fc.constantFrom('a', 'Z', '0', '-', '.', '_', '~', '%', ' ', 'é', '"', ',', '(', ')', '*', ':', '@') }), { maxLength: 4 }),
      fc.option(fc.string({ unit: fc.constantFrom('a', '=', '&', '.', ',', '(', ')', '?', '/', ' ', 'é', '%', '"', '*', '#') }), { nil: undefined }),
    )
    .map(([origin, segments, query]) => new URL(`${origin}/${segments.join('/')}${query === undefined ? '' : `?${query}`}`).href)

  it('gives what new URL() gives for serialized URLs', () => {
    fc.assert(
      fc.property(serialized, (url) => {
        const { pathname, search } = new URL(url)
        expect(pathAndSearch(url)).toEqual({ pathname, search })
      }),
      { numRuns: 2000 },
    )
  })

  it.each([
    ['http://h', '/', ''],
    ['http://h/', '/', ''],
    ['http://h/items?', '/items', ''],
    ['http://h/items?a=1#frag', '/items', '?a=1'],
    ['http://h/a?b=/c?d', '/a', '?b=/c?d'],
  ])('%s', (url, pathname, search) => {
    expect(pathAndSearch(url)).toEqual({ pathname, search })
  })
})
