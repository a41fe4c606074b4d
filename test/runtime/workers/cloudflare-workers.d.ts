/**
 * The members of workerd's `cloudflare:workers` and the pool's `cloudflare:test` modules the
 * workers tests use. The project's tsconfig compiles against DOM + Node types, not
 * @cloudflare/workers-types (whose globals clash with DOM's), so the modules are declared here,
 * narrowly.
 */
declare module 'cloudflare:workers' {
  /** Bindings of the test Worker (miniflare `bindings` in vitest.workers.config.ts). */
  export const env: import('./env.ts').TestEnv
  /** The `main` Worker's exports; `exports.default.fetch` calls its fetch handler. */
  export const exports: {
    readonly default: { fetch(input: Request | string, init?: RequestInit): Promise<Response> }
  }
}

declare module 'cloudflare:test' {
  /** A real ExecutionContext for calling a fetch handler directly. */
  export function createExecutionContext(): import('hono').ExecutionContext
  /** Waits for everything passed to the context's waitUntil(). */
  export function waitOnExecutionContext(ctx: import('hono').ExecutionContext): Promise<void>
}
