/**
 * @module test/browser/swagger-ui.test: Swagger UI (swagger-ui-dist from npm) renders the documents
 * edgerest serves at `/`, in Debian's headless Chromium: the page loads the OpenAPI 3.1 document
 * (and, separately, the Swagger 2.0 one) from the running API and shows its operations — each
 * table's methods and each function — and can "Try it out" a GET against the API it describes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { endPgPools } from '../../src/execute/pg.ts'
import { parityAppFor } from '../spec/parity/node-app.ts'

const CHROMIUM = '/usr/bin/chromium'
const uiDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))

/** The page: Swagger UI pointed at the API's `/`, asking for the given document version. */
const page = (accept: string): string => `<!doctype html><html><head><meta charset="utf-8"><title>edgerest</title>
<link rel="stylesheet" href="/docs/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({
  url: '/', dom_id: '#ui', docExpansion: 'list', defaultModelsExpandDepth: -1,
  requestInterceptor: (req) => { if (new URL(req.url, location.href).pathname === '/') req.headers.Accept = ${JSON.stringify(accept)}; return req },
})
</script></body></html>`

const CONTENT_TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css' }

let server: Server
let origin: string
let browser: Browser

const toRequest = async (req: IncomingMessage): Promise<Request> => {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  const headers = new Headers()
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string)
  const method = req.method ?? 'GET'
  return new Request(new URL(req.url ?? '/', origin), { method, headers, ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }) })
}

const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
  const path = new URL(req.url ?? '/', 'http://x').pathname
  if (path === '/docs/v3.html' || path === '/docs/v2.html') {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end(page(path === '/docs/v3.html' ? 'application/vnd.oai.openapi+json;version=3.1' : 'application/openapi+json'))
    return
  }
  if (path.startsWith('/docs/')) {
    const file = path.slice('/docs/'.length)
    res.writeHead(200, { 'content-type': CONTENT_TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream' })
    res.end(readFileSync(join(uiDir, file)))
    return
  }
  // Everything else is the API (the parity fixtures, test/fixtures/90-parity.sql).
  const r = await parityAppFor({ PGRST_OPENAPI_SECURITY_ACTIVE: 'true' })(await toRequest(req))
  res.writeHead(r.status, Object.fromEntries(r.headers))
  res.end(Buffer.from(await r.arrayBuffer()))
}

beforeAll(async () => {
  server = createServer((req, res) => void serve(req, res).catch((e: unknown) => res.writeHead(500).end(String(e))))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const addr = server.address()
  origin = `http://127.0.0.1:${typeof addr === 'object' && addr !== null ? addr.port : 0}`
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
})

afterAll(async () => {
  await browser?.close()
  await new Promise<void>((resolve) => server?.close(() => resolve()))
  await endPgPools()
})

/** Operations Swagger UI rendered, as `METHOD /path`. */
const renderedOperations = async (url: string): Promise<{ ops: string[]; title: string }> => {
  const p = await browser.newPage()
  try {
    await p.goto(url)
    await p.waitForSelector('.opblock', { timeout: 30_000 })
    const ops = await p.$$eval('.opblock-summary', (els) =>
      els.map((el) => `${el.querySelector('.opblock-summary-method')?.textContent?.trim()} ${el.querySelector('.opblock-summary-path')?.getAttribute('data-path')}`),
    )
    const title = (await p.textContent('.info .title')) ?? ''
    return { ops, title }
  } finally {
    await p.close()
  }
}

const EXPECTED = ['GET /books', 'POST /books', 'PATCH /books', 'DELETE /books', 'GET /book_counts', 'GET /rpc/add', 'POST /rpc/add', 'POST /rpc/new_book']

describe('Swagger UI in headless Chromium', () => {
  it('renders the OpenAPI 3.1 document: title, every table and function operation', async () => {
    const { ops, title } = await renderedOperations(`${origin}/docs/v3.html`)
    expect(title).toContain('Parity API')
    expect(ops).toEqual(expect.arrayContaining([...EXPECTED, 'PUT /books']))
    expect(ops).not.toContain('GET /notes')
  })

  it('renders the Swagger 2.0 document PostgREST serves', async () => {
    const { ops, title } = await renderedOperations(`${origin}/docs/v2.html`)
    expect(title).toContain('Parity API')
    expect(ops).toEqual(expect.arrayContaining(EXPECTED))
  })

  it('"Try it out" on GET /authors calls the API and shows its answer', async () => {
    const p = await browser.newPage()
    try {
      await p.goto(`${origin}/docs/v3.html`)
      const op = p.locator('.opblock-get', { has: p.locator('[data-path="/authors"]') }).first()
      await op.locator('.opblock-summary').click()
      await op.locator('button.try-out__btn').click()
      await op.locator('button.execute').click()
      const body = op.locator('.responses-wrapper .response-col_description .microlight').first()
      await body.waitFor({ timeout: 30_000 })
      expect(JSON.parse((await body.textContent()) ?? '')).toEqual([
        { id: 1, name: 'Ursula' },
        { id: 2, name: 'Terry' },
      ])
    } finally {
      await p.close()
    }
  })
})
