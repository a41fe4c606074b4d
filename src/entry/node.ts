/**
 * @module entry/node: `npm run serve` and the package bin `edgerest`: the Node server
 * (entry/node-server.ts) as a process, with PostgREST's signals:
 * - SIGTERM/SIGINT stop it gracefully;
 * - SIGUSR1 reloads the schema cache, SIGUSR2 the in-database configuration.
 * Bad settings exit with status 1 and the reason. A database that is unreachable at startup is
 * retried with backoff (the API answers 503 meanwhile), unless PGRST_DB_POOL_AUTOMATIC_RECOVERY
 * is false: then, as in PostgREST, the process exits with status 1. The conformance gauntlet uses
 * this contract: the server answers once it has loaded its schema cache.
 */
import { startNodeServer } from './node-server.ts'

const main = async (): Promise<void> => {
  const server = await startNodeServer(process.env, { onFatal: () => process.exit(1) })
  console.log(`edgerest listening on ${server.url}`)
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    void server.close().then(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
  process.on('SIGUSR1', () => server.reloadSchemaCache())
  process.on('SIGUSR2', () => server.reloadConfig())
}

main().catch((e: unknown) => {
  console.error(`edgerest: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
