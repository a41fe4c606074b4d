/**
 * @module entry/node: `npm run serve` and the package bin `edgerest`: the Node server
 * (entry/node-server.ts) as a process. Bad settings or an unreachable database at startup exit
 * with status 1 and the reason; SIGTERM/SIGINT stop it gracefully. This is the contract the
 * conformance gauntlet uses.
 */
import { startNodeServer } from './node-server.ts'

const main = async (): Promise<void> => {
  const server = await startNodeServer(process.env)
  console.log(`edgerest listening on ${server.url}`)
  let stopping = false
  const stop = (): void => {
    if (stopping) return
    stopping = true
    void server.close().then(() => process.exit(0))
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((e: unknown) => {
  console.error(`edgerest: ${e instanceof Error ? e.message : String(e)}`)
  process.exit(1)
})
