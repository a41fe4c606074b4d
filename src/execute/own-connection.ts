/**
 * @module execute/own-connection: a client connected for one run and closed after it, as the
 * executors that cannot keep a connection between requests need: neon-ws (edge isolates must not
 * keep sockets across requests) and pg over the Workers socket API (a Worker's sockets belong to
 * the request that opened them; Hyperdrive keeps the pool on Cloudflare's side).
 */
import { toPgrstError } from './errors.ts'

/** The part of a node-postgres `Client` (or the Neon driver's, node-postgres underneath) this needs. */
export interface OwnClient {
  on(event: 'error', listener: (e: Error) => void): unknown
  connect(): Promise<unknown>
  end(): Promise<unknown>
}

/**
 * Make a client, connect it, run `f` on it, close it. A failure to make or connect the client
 * (a connection string the driver cannot read included) is a connection error (PGRST000/503);
 * `f` reports its own errors.
 */
export const withOwnConnection = async <C extends OwnClient, T>(makeClient: () => C, f: (client: C) => Promise<T>): Promise<T> => {
  let client: C
  try {
    client = makeClient()
    // Errors on an idle client (socket closed by the peer) surface here instead of crashing.
    client.on('error', () => undefined)
    await client.connect()
  } catch (e) {
    // No end(): on a client that never connected it waits for an 'end' that never comes.
    throw toPgrstError(e, 'connect')
  }
  try {
    return await f(client)
  } finally {
    await client.end().catch(() => undefined)
  }
}
