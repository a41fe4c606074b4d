/**
 * @module test/spec/ops/target: what an operations scenario runs against — the Node app over
 * `pg`, or the Worker inside workerd over neon-http or neon-ws — configured with SPEC_SETTINGS,
 * OPS_SETTINGS (schema `ops`, test/fixtures/95-ops.sql) and the scenario's overrides, plus a
 * superuser connection outside the API to set up and check the database.
 */
export type Settings = Readonly<Record<string, string>>
export type Runtime = 'node' | 'neon-http' | 'neon-ws'

export interface OpsTarget {
  readonly runtime: Runtime
  /** The `authenticator` URL the API logs in with (scenarios add an application_name to tell their connections apart). */
  readonly authUrl: string
  /** The `ops` snapshot the API is given. */
  readonly snapshotJson: string
  /** One request (URLs under `http://localhost`) to the API with these settings. */
  send(request: Request, settings?: Settings): Promise<Response>
  /** SQL as superuser, outside the API; rows as text. */
  admin(text: string, params?: readonly string[]): Promise<readonly (readonly (string | null)[])[]>
}

export interface OpsScenario {
  readonly name: string
  /** The runtimes the behaviour exists on (default: all). */
  readonly runtimes?: readonly Runtime[]
  run(target: OpsTarget): Promise<void>
}

/** A lower-case identifier unique to this call (runtime-neutral: WebCrypto). */
export const unique = (prefix: string): string => `${prefix}_${crypto.randomUUID().replace(/-/g, '').slice(0, 10)}`

/** The login URL with an application_name, so a scenario can count its own connections. */
export const withAppName = (url: string, name: string): string => {
  const u = new URL(url)
  u.searchParams.set('application_name', name)
  return u.toString()
}
