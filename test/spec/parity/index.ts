/** @module test/spec/parity: every parity scenario, by file, for the runners. */
import { explainScenarios } from './explain-scenarios.ts'
import { openApiScenarios } from './openapi-scenarios.ts'
import { settingsScenarios } from './settings-scenarios.ts'
import type { ParityScenario } from './target.ts'

export const PARITY_SCENARIOS: Readonly<Record<string, readonly ParityScenario[]>> = {
  openapi: openApiScenarios,
  explain: explainScenarios,
  settings: settingsScenarios,
}
