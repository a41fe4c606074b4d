/**
 * @module test/spec/parity.test: the parity scenarios (test/spec/parity/) against the Node app over
 * `pg` (test/spec/parity/node-app.ts).
 */
import { afterAll, describe, it } from 'vitest'
import { endPgPools } from '../../src/execute/pg.ts'
import { PARITY_SCENARIOS } from './parity/index.ts'
import { nodeParityTarget } from './parity/node-app.ts'

afterAll(endPgPools)

for (const [file, scenarios] of Object.entries(PARITY_SCENARIOS)) {
  describe(`parity: ${file}`, () => {
    for (const s of scenarios) it(s.name, () => s.run(nodeParityTarget))
  })
}
