/**
 * The two members of workerd's `cloudflare:workers` module the workers tests use. The project's
 * tsconfig compiles against DOM + Node types, not @cloudflare/workers-types (whose globals clash
 * with DOM's), so the module is declared here, narrowly.
 */
declare module 'cloudflare:workers' {
  /** Bindings of the test Worker (miniflare `bindings` in vitest.workers.config.ts). */
  export const env: import('./worker.ts').TestEnv
  /** The `main` Worker's exports; `exports.default.fetch` calls its fetch handler. */
  export const exports: {
    readonly default: { fetch(input: Request | string, init?: RequestInit): Promise<Response> }
  }
}
