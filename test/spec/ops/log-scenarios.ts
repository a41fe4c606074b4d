/**
 * @module test/spec/ops/log-scenarios: request logs by PGRST_LOG_LEVEL, as PostgREST decides them
 * (info: every request; error: only 5xx, with the error's code; warn: 4xx too), PGRST_LOG_QUERY
 * (statement texts, never parameter values), and the formats (text on Node, JSON on the edge).
 * Lines are read off the console, where the runtime's log collector takes them.
 */
import { expect, vi } from 'vitest'
import type { OpsScenario } from './target.ts'
import { unique } from './target.ts'

/** Every console line written while `f` runs. */
const captured = async (f: () => Promise<void>): Promise<string[]> => {
  const lines: string[] = []
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const
  const spies = methods.map((m) => vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' '))))
  try {
    await f()
  } finally {
    for (const s of spies) s.mockRestore()
  }
  return lines
}

const drained = async (res: Response): Promise<number> => {
  await res.arrayBuffer()
  return res.status
}

const JSON_LOGS = { EDGEREST_LOG_FORMAT: 'json' }

export const logScenarios: OpsScenario[] = [
  {
    name: 'PGRST_LOG_LEVEL=info: one line per request with method, path and query, status, duration and role',
    run: async (t) => {
      const marker = unique('info')
      const path = `/items?select=id&body=eq.${marker}`
      const lines = await captured(async () => {
        expect(await drained(await t.send(new Request(`http://localhost${path}`), { ...JSON_LOGS, PGRST_LOG_LEVEL: 'info' }))).toBe(200)
      })
      expect(lines).toHaveLength(1)
      const line = JSON.parse(lines[0] ?? '') as Record<string, unknown>
      expect(line).toMatchObject({ level: 'info', event: 'request', method: 'GET', path, status: 200, role: 'anonymous', code: null })
      expect(typeof line['duration_ms']).toBe('number')
      expect(line['duration_ms']).toBeGreaterThanOrEqual(0)
      expect(Number.isNaN(Date.parse(String(line['time'])))).toBe(false)
    },
  },
  {
    name: 'PGRST_LOG_LEVEL=error (the default): nothing for 2xx and 4xx; a 5xx gets its line and the error with its SQLSTATE',
    run: async (t) => {
      const quiet = await captured(async () => {
        expect(await drained(await t.send(new Request(`http://localhost/items?select=id&limit=1`), JSON_LOGS))).toBe(200)
        expect(await drained(await t.send(new Request('http://localhost/itemz'), JSON_LOGS))).toBe(404)
      })
      expect(quiet).toEqual([])
      const loud = (await captured(async () => {
        expect(await drained(await t.send(new Request('http://localhost/rpc/fail'), JSON_LOGS))).toBe(500)
      })).map((l) => JSON.parse(l) as Record<string, unknown>)
      expect(loud).toHaveLength(2)
      expect(loud[0]).toMatchObject({ level: 'error', event: 'error', status: 500, error: { code: 'XX000', message: 'ops failure' } })
      expect(loud[1]).toMatchObject({ level: 'error', event: 'request', method: 'GET', path: '/rpc/fail', status: 500, code: 'XX000', role: 'anonymous' })
    },
  },
  {
    name: 'PGRST_LOG_LEVEL=warn logs 4xx answers too, crit none at all',
    run: async (t) => {
      const warn = await captured(async () => {
        expect(await drained(await t.send(new Request('http://localhost/itemz'), { ...JSON_LOGS, PGRST_LOG_LEVEL: 'warn' }))).toBe(404)
        expect(await drained(await t.send(new Request('http://localhost/items?limit=1'), { ...JSON_LOGS, PGRST_LOG_LEVEL: 'warn' }))).toBe(200)
      })
      expect(warn.map((l) => JSON.parse(l) as unknown)).toEqual([expect.objectContaining({ level: 'warn', status: 404, code: 'PGRST205', path: '/itemz' })])
      const crit = await captured(async () => {
        expect(await drained(await t.send(new Request('http://localhost/rpc/fail'), { ...JSON_LOGS, PGRST_LOG_LEVEL: 'crit' }))).toBe(500)
      })
      expect(crit).toEqual([])
    },
  },
  {
    name: "PGRST_LOG_QUERY: the request's SQL, never its parameters' values",
    run: async (t) => {
      const marker = unique('query')
      const lines = (await captured(async () => {
        const res = await t.send(new Request(`http://localhost/items?select=id&body=eq.${marker}`), { ...JSON_LOGS, PGRST_LOG_LEVEL: 'info', PGRST_LOG_QUERY: 'true' })
        expect(await drained(res)).toBe(200)
      })).map((l) => JSON.parse(l) as { event: string; sql?: string[] })
      expect(lines.map((l) => l.event)).toEqual(['query', 'request'])
      const sql = lines[0]?.sql ?? []
      expect(sql.some((s) => s.includes('"ops"."items"'))).toBe(true)
      expect(JSON.stringify(lines[0])).not.toContain(marker)
    },
  },
  {
    name: "the default format: PostgREST's text line on Node, a JSON object on the edge",
    run: async (t) => {
      const marker = unique('format')
      const path = `/items?select=id&body=eq.${marker}`
      const lines = await captured(async () => {
        const req = new Request(`http://localhost${path}`, { headers: { 'User-Agent': 'ops-test/1', Referer: 'http://example.com/' } })
        expect(await drained(await t.send(req, { PGRST_LOG_LEVEL: 'info' }))).toBe(200)
      })
      expect(lines).toHaveLength(1)
      if (t.runtime === 'node') {
        const apache = /^- - anonymous \[\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET (\S+) HTTP\/1\.1" 200 - "http:\/\/example\.com\/" "ops-test\/1" \d+\.\d{3}$/
        expect(lines[0]).toMatch(apache)
        expect(apache.exec(lines[0] ?? '')?.[1]).toBe(path)
      } else {
        expect(JSON.parse(lines[0] ?? '')).toMatchObject({ event: 'request', path, status: 200, user_agent: 'ops-test/1' })
      }
    },
  },
]
