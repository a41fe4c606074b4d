/**
 * @module test/unit/base-path: the path the pipeline sees once the mount point and
 * EDGEREST_BASE_PATH are stripped, and the public prefix respond writes into headers.
 */
import { describe, expect, it } from 'vitest'
import { servedTarget } from '../../src/base-path.ts'

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
