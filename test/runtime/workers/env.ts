/**
 * @module test/runtime/workers/env: the bindings the workers project gives the Worker
 * (vitest.workers.config.ts): the Worker's own settings, pointed at the local stack of the global
 * setup, plus the stack's addresses for tests that talk to it directly.
 */
export interface TestEnv {
  readonly [binding: string]: unknown
  // The Worker's settings (SPEC_SETTINGS plus these).
  readonly PGRST_DB_URI: string
  readonly PGRST_DB_SCHEMAS: string
  readonly EDGEREST_SCHEMA_CACHE: string
  readonly EDGEREST_NEON_FETCH_ENDPOINT: string
  readonly EDGEREST_NEON_WS_PROXY: string
  readonly EDGEREST_NEON_WS_INSECURE: string
  /** The `writes` schema's snapshot (test/runtime/workers/writes*.test.ts use it as EDGEREST_SCHEMA_CACHE). */
  readonly WRITES_SCHEMA_CACHE: string
  /** The `parity_authenticator` URL and the parity snapshot (test/runtime/workers/parity.test.ts). */
  readonly PARITY_AUTH_URL: string
  readonly PARITY_SCHEMA_CACHE: string
  /** The `ops` schema's snapshot (test/runtime/workers/ops.test.ts). */
  readonly OPS_SCHEMA_CACHE: string
  // The local stack, for tests.
  /** Superuser URL. */
  readonly DB_URL: string
  /** `authenticator` login role URL. */
  readonly AUTH_URL: string
  /** `http://127.0.0.1:P/sql` of the local Neon endpoint. */
  readonly NEON_HTTP_URL: string
  /** `127.0.0.1:P` of the WebSocket bridge. */
  readonly WS_PROXY: string
  /** `http://127.0.0.1:P` of the local JWKS endpoint (dev/jwks-server.ts): `${JWKS_BASE}/<tenant>/jwks.json`. */
  readonly JWKS_BASE: string
}
