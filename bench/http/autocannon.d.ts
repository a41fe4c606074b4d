/**
 * The part of autocannon 9's API the HTTP benchmark uses (the package ships no types, and
 * @types/autocannon describes version 7).
 */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  export interface AutocannonRequest {
    readonly method?: string
    readonly path?: string
    readonly headers?: Readonly<Record<string, string>>
    readonly body?: string
  }

  export interface AutocannonOptions {
    readonly url: string
    readonly connections?: number
    /** Seconds. */
    readonly duration?: number
    readonly pipelining?: number
    /** Seconds before a request counts as timed out. */
    readonly timeout?: number
    /** Milliseconds between samples; the run stops at the first sample after `duration`. */
    readonly sampleInt?: number
    /** Cycled through by every connection, in order. */
    readonly requests?: readonly AutocannonRequest[]
  }

  export interface AutocannonResult {
    readonly errors: number
    readonly timeouts: number
    readonly non2xx: number
    readonly '2xx': number
    readonly duration: number
  }

  export interface Instance extends EventEmitter, PromiseLike<AutocannonResult> {
    on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): this
    on(event: string, listener: (...args: unknown[]) => void): this
  }

  export default function autocannon(options: AutocannonOptions): Instance
}
