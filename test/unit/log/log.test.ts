/**
 * The logger's rules (PostgREST's shouldLogResponse and its always-written notices) and its two
 * line formats, on literal observations.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LogLevel } from '../../../src/config/types.ts'
import { accessLine, createLog, logsResponse } from '../../../src/log/log.ts'
import type { Observation, RequestObservation } from '../../../src/log/types.ts'

const request = (over: Partial<RequestObservation> = {}): RequestObservation => ({
  kind: 'request',
  method: 'GET',
  target: '/items?id=eq.1',
  status: 200,
  durationMs: 12.345,
  role: 'web_anon',
  code: null,
  bytes: 27,
  client: '127.0.0.1',
  referer: null,
  userAgent: 'curl/8.0',
  ...over,
})

const lines: string[] = []
const capture = (): void => {
  for (const m of ['log', 'warn', 'error', 'debug'] as const) vi.spyOn(console, m).mockImplementation((line: unknown) => void lines.push(`${m}: ${String(line)}`))
}
afterEach(() => {
  vi.restoreAllMocks()
  lines.length = 0
})

describe('which responses are logged', () => {
  it.each([
    ['crit', [false, false, false]],
    ['error', [false, false, true]],
    ['warn', [false, true, true]],
    ['info', [true, true, true]],
    ['debug', [true, true, true]],
  ] as const)('%s: 200, 404, 503', (level: LogLevel, expected) => {
    expect([200, 404, 503].map((s) => logsResponse(level, s))).toEqual(expected)
  })
})

describe('text lines', () => {
  it("PostgREST's Apache combined line, then the duration in seconds", () => {
    expect(accessLine(request())).toMatch(/^127\.0\.0\.1 - web_anon \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET \/items\?id=eq\.1 HTTP\/1\.1" 200 27 "" "curl\/8\.0" 0\.012$/)
  })

  it('unknowns are dashes; quotes in quoted fields are escaped', () => {
    const line = accessLine(request({ client: null, role: null, bytes: null, userAgent: 'say "hi"', target: '/x?q="a"' }))
    expect(line).toMatch(/^- - - \[.*\] "GET \/x\?q=\\"a\\" HTTP\/1\.1" 200 - "" "say \\"hi\\"" 0\.012$/)
  })

  it('notices at every level, even crit; debug only at debug; statements one per line', () => {
    capture()
    const crit = createLog({ level: 'crit', logQuery: true, format: 'text' })
    crit.observe({ kind: 'notice', level: 'info', message: 'Schema cache loaded' })
    crit.observe({ kind: 'debug', message: 'pool detail' })
    crit.observe(request())
    const debug = createLog({ level: 'debug', logQuery: true, format: 'text' })
    debug.observe({ kind: 'debug', message: 'pool detail' })
    debug.observe({ kind: 'query', status: 200, statements: ['SELECT 1', 'SELECT\n  2'] })
    expect(lines.map((l) => l.replace(/\d\d\/\w{3}\/\d{4}:\d\d:\d\d:\d\d \+0000/, 'T'))).toEqual([
      'error: T: Schema cache loaded',
      'error: T: pool detail',
      'error: T: SELECT 1',
      'error: T: SELECT 2',
    ])
  })
})

describe('JSON lines', () => {
  it('one object per line, at the console level of the status', () => {
    capture()
    const log = createLog({ level: 'info', logQuery: false, format: 'json' })
    for (const status of [200, 404, 500]) log.observe(request({ status }))
    const parsed = lines.map((l) => [l.slice(0, l.indexOf(':')), JSON.parse(l.slice(l.indexOf(':') + 2)) as Record<string, unknown>] as const)
    expect(parsed.map(([method, o]) => [method, o['level'], o['status']])).toEqual([
      ['log', 'info', 200],
      ['warn', 'warn', 404],
      ['error', 'error', 500],
    ])
    expect(parsed[0]?.[1]).toMatchObject({ event: 'request', method: 'GET', path: '/items?id=eq.1', duration_ms: 12.3, role: 'web_anon', bytes: 27, client: '127.0.0.1', user_agent: 'curl/8.0' })
  })
})

describe('what the app is told to collect', () => {
  it('no request observations at crit unless a metrics observer wants them', () => {
    const seen: Observation[] = []
    expect(createLog({ level: 'crit', logQuery: false, format: 'json' }).requests).toBe(false)
    const withMetrics = createLog({ level: 'crit', logQuery: false, format: 'json', observer: (o) => void seen.push(o) })
    expect(withMetrics.requests).toBe(true)
    capture()
    withMetrics.observe(request())
    expect([seen.length, lines.length]).toEqual([1, 0])
  })

  it('a request observation is built only for a status the level logs, or for the metrics', () => {
    const error = createLog({ level: 'error', logQuery: false, format: 'text' })
    expect([error.requests, error.wantsRequest(200), error.wantsRequest(404), error.wantsRequest(500)]).toEqual([true, false, false, true])
    const metrics = createLog({ level: 'error', logQuery: false, format: 'text', observer: () => undefined })
    expect(metrics.wantsRequest(200)).toBe(true)
  })

  it('statements only with log-query; error bodies from level error up', () => {
    expect(createLog({ level: 'info', logQuery: false, format: 'text' }).queries).toBe(false)
    expect(createLog({ level: 'info', logQuery: true, format: 'text' }).queries).toBe(true)
    expect(createLog({ level: 'crit', logQuery: false, format: 'text' }).errors).toBe(false)
    expect(createLog({ level: 'error', logQuery: false, format: 'text' }).errors).toBe(true)
  })
})
