/** CORS as PostgREST's policy over wai-cors applies it (src/cors.ts), request by request. */
import { describe, expect, it } from 'vitest'
import { corsPreflight, withCors } from '../../../src/cors.ts'
import { defaultConfig } from '../../../src/config/defaults.ts'

const anyOrigin = defaultConfig
const listed = { ...defaultConfig, serverCorsAllowedOrigins: ['http://example.com', 'http://example2.com'] }

const req = (method: string, headers: Record<string, string>): Request => new Request('http://api.test/items', { method, headers })
const headersOf = (r: Response | null): Record<string, string> => (r === null ? {} : Object.fromEntries(r.headers.entries()))

describe('preflight', () => {
  it('any origin: *, the methods, Authorization + requested + simple headers, a day of max age', async () => {
    const r = corsPreflight(req('OPTIONS', { Origin: 'http://example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'Foo,Bar' }), anyOrigin)
    expect(r?.status).toBe(200)
    expect(await r?.text()).toBe('')
    expect(headersOf(r)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD',
      'access-control-allow-headers': 'Authorization, Foo, Bar, Accept, Accept-Language, Content-Language',
      'access-control-max-age': '86400',
    })
  })

  it('requested headers are trimmed; simple ones already requested are not repeated', () => {
    const r = corsPreflight(req('OPTIONS', { Origin: 'o', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': ' content-type , accept' }), anyOrigin)
    expect(r?.headers.get('access-control-allow-headers')).toBe('Authorization, content-type, accept, Accept-Language, Content-Language')
  })

  it('without Access-Control-Request-Headers: no Allow-Headers', () => {
    const r = corsPreflight(req('OPTIONS', { Origin: 'o', 'Access-Control-Request-Method': 'DELETE' }), anyOrigin)
    expect(r?.headers.get('access-control-allow-headers')).toBeNull()
    expect(r?.headers.get('access-control-allow-methods')).toContain('DELETE')
  })

  it('a listed origin is echoed with credentials', () => {
    const r = corsPreflight(req('OPTIONS', { Origin: 'http://example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'Content-Type' }), listed)
    expect(r?.headers.get('access-control-allow-origin')).toBe('http://example.com')
    expect(r?.headers.get('access-control-allow-credentials')).toBe('true')
  })

  it('not a preflight for CORS (the API answers it, without CORS headers): no Origin, no or unknown method, unlisted origin', () => {
    expect(corsPreflight(req('OPTIONS', { 'Access-Control-Request-Method': 'POST' }), anyOrigin)).toBeNull()
    expect(corsPreflight(req('OPTIONS', { Origin: 'o' }), anyOrigin)).toBeNull()
    expect(corsPreflight(req('OPTIONS', { Origin: 'o', 'Access-Control-Request-Method': 'post' }), anyOrigin)).toBeNull()
    expect(corsPreflight(req('OPTIONS', { Origin: 'http://invalid.com', 'Access-Control-Request-Method': 'POST' }), listed)).toBeNull()
    expect(corsPreflight(req('GET', { Origin: 'o', 'Access-Control-Request-Method': 'GET' }), anyOrigin)).toBeNull()
    const api = new Response('', { headers: { Allow: 'GET' } })
    expect(withCors(req('OPTIONS', { Origin: 'o' }), api, anyOrigin)).toBe(api)
  })
})

describe('actual requests', () => {
  const api = (): Response => new Response('[]', { status: 200, statusText: 'OK', headers: { 'Content-Type': 'application/json' } })

  it('any origin: * and the exposed headers, the response otherwise unchanged', async () => {
    const r = withCors(req('GET', { Origin: 'http://example.com' }), api(), anyOrigin)
    expect(headersOf(r)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-expose-headers': 'Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, Transfer-Encoding, Range-Unit',
      'content-type': 'application/json',
    })
    expect(await r.text()).toBe('[]')
  })

  it('a listed origin: echoed, with credentials; an unlisted one or none: untouched', () => {
    expect(headersOf(withCors(req('GET', { Origin: 'http://example2.com' }), api(), listed))).toMatchObject({
      'access-control-allow-origin': 'http://example2.com',
      'access-control-allow-credentials': 'true',
    })
    const plain = api()
    expect(withCors(req('GET', { Origin: 'http://invalid.com' }), plain, listed)).toBe(plain)
    expect(withCors(req('GET', {}), plain, anyOrigin)).toBe(plain)
  })

  it('keeps a custom status text', () => {
    const r = withCors(req('GET', { Origin: 'o' }), new Response('{}', { status: 402, statusText: 'Payment Required' }), anyOrigin)
    expect([r.status, r.statusText]).toEqual([402, 'Payment Required'])
  })
})
