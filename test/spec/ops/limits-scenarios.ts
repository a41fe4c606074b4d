/**
 * @module test/spec/ops/limits-scenarios: request body limits (EDGEREST_MAX_BODY_BYTES, 413
 * PGRSTX01 before the body is read whole, nothing written) and Neon's SQL-over-HTTP size limits
 * (413 PGRSTX02 / 500 PGRSTX03 naming the limit, where neon-ws and pg have none).
 */
import { expect } from 'vitest'
import type { OpsScenario, OpsTarget } from './target.ts'
import { unique } from './target.ts'

const JSON_CT = 'application/json; charset=utf-8'
const BODY_HINT = 'Send a smaller body (split a bulk insert into several requests); the limit is EDGEREST_MAX_BODY_BYTES'

const insert = (body: BodyInit, headers: Record<string, string> = {}): Request =>
  new Request('http://localhost/items', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
    // Node's fetch needs it for a stream body; workerd ignores it.
    duplex: 'half',
  } as RequestInit)

/** Rows of ops.items whose body starts with `marker`. */
const rowsMarked = async (t: OpsTarget, marker: string): Promise<number> => {
  const [row] = await t.admin('SELECT count(*) FROM ops.items WHERE body LIKE $1', [`${marker}%`])
  return Number(row?.[0])
}

/** A body of exactly `size` bytes: one row whose body starts with the marker. */
const bodyOf = (marker: string, size: number): string => {
  const shell = JSON.stringify({ body: marker })
  return JSON.stringify({ body: marker + 'x'.repeat(size - shell.length) })
}

const streamOf = (text: string, chunk: number): ReadableStream<Uint8Array> => {
  const bytes = new TextEncoder().encode(text)
  let at = 0
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close()
        return
      }
      controller.enqueue(bytes.slice(at, at + chunk))
      at += chunk
    },
  })
}

const expectTooLarge = async (res: Response, details: string): Promise<void> => {
  expect([res.status, res.headers.get('content-type'), await res.json()]).toEqual([
    413,
    JSON_CT,
    { code: 'PGRSTX01', details, hint: BODY_HINT, message: 'Request body too large' },
  ])
}

export const limitsScenarios: OpsScenario[] = [
  {
    name: 'a body over EDGEREST_MAX_BODY_BYTES by its Content-Length: 413 PGRSTX01, nothing written',
    run: async (t) => {
      const marker = unique('declared')
      const limit = { EDGEREST_MAX_BODY_BYTES: '1024' }
      const big = bodyOf(marker, 2048)
      await expectTooLarge(await t.send(insert(big, { 'Content-Length': '2048' }), limit), 'The body is 2048 bytes, larger than the limit of 1024 bytes')
      expect(await rowsMarked(t, marker)).toBe(0)
      // At the limit it is read and written.
      const fits = bodyOf(marker, 1024)
      const ok = await t.send(insert(fits, { 'Content-Length': '1024' }), limit)
      expect(ok.status).toBe(201)
      expect(await rowsMarked(t, marker)).toBe(1)
    },
  },
  {
    name: 'a chunked body going past the limit is stopped there: 413 PGRSTX01, nothing written',
    run: async (t) => {
      const marker = unique('chunked')
      const res = await t.send(insert(streamOf(bodyOf(marker, 5000), 700)), { EDGEREST_MAX_BODY_BYTES: '1024' })
      await expectTooLarge(res, 'The body is larger than the limit of 1024 bytes')
      expect(await rowsMarked(t, marker)).toBe(0)
      // A chunked body under the limit is read whole.
      const ok = await t.send(insert(streamOf(bodyOf(marker, 1000), 300)), { EDGEREST_MAX_BODY_BYTES: '1024' })
      expect(ok.status).toBe(201)
      expect(await rowsMarked(t, marker)).toBe(1)
    },
  },
  {
    name: 'the default limit is 10 MiB; 0 turns it off',
    run: async (t) => {
      const size = 10 * 1024 * 1024 + 1
      const res = await t.send(insert('x'.repeat(size), { 'Content-Length': String(size) }))
      await expectTooLarge(res, `The body is ${size} bytes, larger than the limit of 10485760 bytes`)
      // Without a limit the same body is read and parsed: a 400 for its JSON, not a 413.
      const off = await t.send(insert('x'.repeat(size), { 'Content-Length': String(size) }), { EDGEREST_MAX_BODY_BYTES: '0' })
      expect([off.status, ((await off.json()) as { code: string }).code]).toEqual([400, 'PGRST102'])
    },
  },
  {
    name: "a request over Neon's HTTP size limit: 413 PGRSTX02 naming it on neon-http; neon-ws and pg have no such limit",
    run: async (t) => {
      const marker = unique('neonreq')
      // 8 MB of body (under EDGEREST_MAX_BODY_BYTES) whose escapes grow past 10 MiB once the
      // driver encodes the statement's parameters as JSON.
      const body = JSON.stringify({ body: marker + '\n'.repeat(4_000_000) })
      const res = await t.send(insert(body, { 'Content-Length': String(body.length) }))
      if (t.runtime === 'neon-http') {
        expect([res.status, await res.json()]).toEqual([
          413,
          {
            code: 'PGRSTX02',
            details: 'request is too large (max is 10485760 bytes)',
            hint: 'Send a smaller body (split a bulk insert into several requests), or set EDGEREST_EXECUTOR=neon-ws, which has no request size limit',
            message: "The request is too large for Neon's SQL-over-HTTP endpoint",
          },
        ])
        expect(await rowsMarked(t, marker)).toBe(0)
      } else {
        expect(res.status).toBe(201)
        expect(await rowsMarked(t, marker)).toBe(1)
      }
    },
  },
  {
    name: "a response over Neon's HTTP size limit: 500 PGRSTX03 naming it on neon-http, not PGRST001; neon-ws and pg have no such limit",
    run: async (t) => {
      const n = 11 * 1024 * 1024
      const res = await t.send(new Request(`http://localhost/rpc/big?n=${n}`))
      if (t.runtime === 'neon-http') {
        expect([res.status, await res.json()]).toEqual([
          500,
          {
            code: 'PGRSTX03',
            details: 'response is too large (max is 10485760 bytes)',
            hint: 'Request fewer rows (limit and offset, a Range header, or PGRST_DB_MAX_ROWS), or set EDGEREST_EXECUTOR=neon-ws, which has no response size limit',
            message: "The response is too large for Neon's SQL-over-HTTP endpoint",
          },
        ])
      } else {
        expect(res.status).toBe(200)
        expect(((await res.json()) as string).length).toBe(n)
      }
    },
  },
]
