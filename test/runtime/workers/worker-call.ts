/**
 * @module test/runtime/workers/worker-call: calling the real Worker entry from a workerd test, as
 * the runtime does (an execution context, waited on), and one bindings object per distinct
 * settings: the entry builds its wiring once per bindings object, as once per isolate.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import worker from '../../../src/entry/workers-pg.ts'
import type { Bindings } from '../../../src/bindings.ts'

export const callWorker = async (request: Request, bindings: Bindings): Promise<Response> => {
  const ctx = createExecutionContext()
  const res = await worker.fetch(request, bindings, ctx)
  await waitOnExecutionContext(ctx)
  return res
}

/** `make(...key)` once per distinct key (compared as JSON). */
export const cachedBindings = <K extends readonly unknown[]>(make: (...key: K) => Bindings): ((...key: K) => Bindings) => {
  const cache = new Map<string, Bindings>()
  return (...key) => {
    const k = JSON.stringify(key)
    let b = cache.get(k)
    if (b === undefined) {
      b = make(...key)
      cache.set(k, b)
    }
    return b
  }
}
