/** @module test/spec/ops: every operations scenario, by file, for the runners. */
import { limitsScenarios } from './limits-scenarios.ts'
import { logScenarios } from './log-scenarios.ts'
import { poolScenarios } from './pool-scenarios.ts'
import { staleScenarios } from './stale-scenarios.ts'
import type { OpsScenario } from './target.ts'

export const OPS_SCENARIOS: Readonly<Record<string, readonly OpsScenario[]>> = {
  limits: limitsScenarios,
  pool: poolScenarios,
  logs: logScenarios,
  stale: staleScenarios,
}
