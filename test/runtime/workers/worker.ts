/**
 * @module test/runtime/workers/worker: a tiny Worker used as the workers project's `main` until the
 * real entry (src/entry/workers.ts) takes its place. It runs one executor per request with the
 * addresses the vitest global setup passed in as bindings, so a test can go through the Worker's
 * own fetch handler, env and I/O context: `GET /run/neon-http` or `GET /run/neon-ws`.
 */
import { createNeonHttpExecutor } from '../../../src/execute/neon-http.ts'
import { createNeonWsExecutor } from '../../../src/execute/neon-ws.ts'
import type { Executor } from '../../../src/execute/types.ts'

export interface TestEnv {
  readonly DB_URL: string
  readonly AUTH_URL: string
  readonly NEON_HTTP_URL: string
  readonly WS_PROXY: string
}

const executorFor = (kind: string, env: TestEnv): Executor | undefined => {
  switch (kind) {
    case 'neon-http':
      return createNeonHttpExecutor({ connectionString: env.AUTH_URL, fetchEndpoint: env.NEON_HTTP_URL })
    case 'neon-ws':
      // workerd has a global WebSocket; the local bridge is plain ws:// and Postgres wants SCRAM.
      return createNeonWsExecutor({ connectionString: env.AUTH_URL, wsProxy: env.WS_PROXY, useSecureWebSocket: false, pipelineConnect: false })
    default:
      return undefined
  }
}

export default {
  async fetch(request: Request, env: TestEnv): Promise<Response> {
    const kind = new URL(request.url).pathname.replace(/^\/run\//, '')
    const executor = executorFor(kind, env)
    if (!executor) return new Response('unknown executor', { status: 404 })
    const [, who] = await executor.run(
      [
        { text: `SELECT set_config('role', $1, true)`, params: ['authenticated'] },
        { text: 'SELECT current_user, $1::int + 1', params: ['41'] },
      ],
      { readOnly: true, end: 'commit' },
    )
    return Response.json({ kind: executor.kind, rows: who?.rows, userAgent: navigator.userAgent })
  },
}
