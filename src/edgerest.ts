/**
 * @module edgerest: the public API, `edgerest(bindings)` → a Hono app serving the PostgREST API.
 * Every entry of this project (Workers, Vercel, Node) is a few lines on top of it, and so is a
 * user's own app (`app.route('/api', edgerest(bindings))`).
 *
 * Where the bindings come from decides when the wiring is built and how a bad setting shows:
 * - `edgerest(bindings)`: built at once, from that object; a bad setting throws an
 *   EdgerestConfigError listing every problem, so a server fails at startup, as PostgREST does.
 * - `edgerest()`: from the runtime's bindings, per request: the Worker's `env` on Workers (only a
 *   request carries it), the process environment elsewhere. `edgerest(env => ({ ...env, … }))`
 *   derives the bindings from those. Built on the first request and kept per bindings object, so
 *   an isolate parses its snapshot once. A Worker cannot fail at startup (throwing at module
 *   scope makes the runtime retry the isolate in a loop), so a bad setting answers every request
 *   with a 500 and logs why.
 *
 * The platform (what the runtime can run: executors, files) is chosen by the module that calls
 * createEdgerest: src/index.ts for the edge, src/index-node.ts for Node.
 */
import type { Hono } from 'hono'
import { getRuntimeKey } from 'hono/adapter'
import { createApp } from './app.ts'
import { misconfigured } from './misconfigured.ts'
import { buildDeps, type Bindings, type Platform } from './bindings.ts'
import type { PipelineDeps } from './pipeline.ts'
import type { Result } from './result.ts'
import type { EdgerestBindings } from './settings.ts'

/** The bindings themselves, or how to derive them from the runtime's. */
export type BindingsSource = EdgerestBindings | ((runtimeBindings: EdgerestBindings) => EdgerestBindings)

/** The app `edgerest()` returns: mount it with `app.route(path, …)` or call its `fetch`. */
export type EdgerestApp = Hono<{ Bindings: Bindings }>

/** Thrown by `edgerest(bindings)` when the bindings cannot make a working API; `problems` has one line per setting. */
export class EdgerestConfigError extends Error {
  readonly problems: readonly string[]
  constructor(problems: readonly string[]) {
    super(`edgerest: invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`)
    this.name = 'EdgerestConfigError'
    this.problems = problems
  }
}

const NO_BINDINGS: Bindings = Object.freeze({})

/**
 * The bindings of the runtime serving a request: Workers hand them to each request (Hono's
 * `c.env`); Node, Vercel and other runtimes have them in the process environment (an edge
 * runtime without `process` exposes them as globals).
 */
const runtimeBindings = (env: unknown): Bindings => {
  if (getRuntimeKey() === 'workerd') return typeof env === 'object' && env !== null ? (env as Bindings) : NO_BINDINGS
  const proc = (globalThis as { process?: { env?: Bindings } }).process
  return proc?.env ?? (globalThis as unknown as Bindings)
}

export type Edgerest = (source?: BindingsSource) => EdgerestApp

export const createEdgerest = (platform: Platform): Edgerest => {
  // One app per bindings object: a Worker that calls edgerest(env) on every request still
  // builds its wiring once.
  const fixed = new WeakMap<object, EdgerestApp>()

  const fromBindings = (bindings: Bindings): EdgerestApp => {
    let app = fixed.get(bindings)
    if (app === undefined) {
      const deps = buildDeps(bindings, platform)
      if (!deps.ok) throw new EdgerestConfigError(deps.error.split('\n'))
      const value = deps.value
      app = createApp<Bindings>(() => value)
      fixed.set(bindings, app)
    }
    return app
  }

  const fromRuntime = (derive: (runtime: Bindings) => Bindings): EdgerestApp => {
    const built = new WeakMap<object, Result<PipelineDeps, string>>()
    return createApp<Bindings>((env) => {
      const key = runtimeBindings(env)
      let deps = built.get(key)
      if (deps === undefined) {
        deps = buildDeps(derive(key), platform)
        built.set(key, deps)
      }
      return deps.ok ? deps.value : misconfigured(deps.error)
    })
  }

  return (source) => (typeof source === 'function' ? fromRuntime(source) : source === undefined ? fromRuntime((b) => b) : fromBindings(source))
}

/**
 * The bindings with `defaults` under them: a binding that is set (not undefined, null or '')
 * wins. How the Worker and Vercel handlers take a bundled snapshot that a binding may replace.
 */
export const withDefaults = (defaults: Bindings, bindings: Bindings): Bindings => {
  const out: Record<string, unknown> = { ...defaults }
  for (const [k, v] of Object.entries(bindings)) if (v !== undefined && v !== null && v !== '') out[k] = v
  return out
}
