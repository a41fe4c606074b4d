/**
 * @module test/spec/parity/target: what a parity scenario runs against. A scenario is a function
 * of a `ParityTarget` — the Node app over `pg`, or the Worker inside workerd over neon-http,
 * neon-ws or pg — so every behaviour is checked on each runtime with the same assertions. Settings are
 * PARITY_SETTINGS plus the scenario's overrides (bindings on the edge, environment on Node).
 */
import { SignJWT } from 'jose'
import type { SpecRequest } from '../types.ts'

export type Settings = Readonly<Record<string, string>>

export interface ParityTarget {
  readonly runtime: 'node' | 'neon-http' | 'neon-ws' | 'pg'
  /** One request to the API configured with PARITY_SETTINGS and `settings`. */
  send(request: SpecRequest, settings?: Settings): Promise<Response>
  /** The `fetch` a client library (postgrest-js) uses to reach the same API; URLs under `http://localhost`. */
  fetchFor(settings?: Settings): typeof fetch
}

export interface ParityScenario {
  readonly name: string
  run(target: ParityTarget): Promise<void>
}

/** SPEC_SETTINGS' HS256 secret. */
const SECRET = new TextEncoder().encode('reallyreallyreallyreallyverysafe')

/** A bearer token for `role`. */
export const tokenFor = async (role: string): Promise<string> => new SignJWT({ role }).setProtectedHeader({ alg: 'HS256' }).sign(SECRET)

export const bearer = async (role: string): Promise<Record<string, string>> => ({ Authorization: `Bearer ${await tokenFor(role)}` })

export const get = (path: string, headers: Record<string, string> = {}): SpecRequest => ({ method: 'GET', path, headers })

export const jsonOf = async (res: Response): Promise<unknown> => JSON.parse(await res.text()) as unknown

export const JSON_CT = 'application/json; charset=utf-8'
export const OPENAPI_CT = 'application/openapi+json; charset=utf-8'
export const OPENAPI31_CT = 'application/vnd.oai.openapi+json;version=3.1; charset=utf-8'
