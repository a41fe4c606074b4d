/**
 * @module test/spec/openapi-validate.test: the documents at `/` validated against the official
 * OpenAPI schemas by a maintained validator (@seriousme/openapi-schema-validator: 2.0 and 3.1),
 * for the parity schema as different roles see it and for the spec fixtures' larger schema (many
 * column types, views, functions of every shape); every `$ref` must resolve. Node only: the
 * validator compiles schemas to code, which workerd does not allow.
 */
import { Validator } from '@seriousme/openapi-schema-validator'
import { beforeAll, describe, expect, it } from 'vitest'
import { createSpecApp, type SpecApp } from './harness.ts'
import { nodeParityTarget } from './parity/node-app.ts'
import { bearer } from './parity/target.ts'
import { RPC_SETTINGS } from './rpc-cases.ts'

const SWAGGER = { Accept: 'application/openapi+json' }
const OAS31 = { Accept: 'application/vnd.oai.openapi+json;version=3.1' }

/** Validates a document; on failure the validator's errors are the assertion's diff. */
const validate = async (doc: unknown, version: '2.0' | '3.1'): Promise<void> => {
  const validator = new Validator()
  const res = await validator.validate(doc as Parameters<Validator['validate']>[0])
  expect(res.errors ?? []).toEqual([])
  expect([res.valid, validator.version]).toEqual([true, version])
  // Every reference points at something (resolveRefs throws otherwise).
  expect(() => validator.resolveRefs()).not.toThrow()
}

const fetchDoc = async (send: () => Promise<Response>): Promise<unknown> => {
  const res = await send()
  expect(res.status).toBe(200)
  return JSON.parse(await res.text()) as unknown
}

describe('the parity schema', () => {
  it.each([
    ['anonymous', '2.0', SWAGGER],
    ['anonymous', '3.1', OAS31],
    ['parity_admin', '2.0', SWAGGER],
    ['parity_admin', '3.1', OAS31],
  ] as const)('as %s, OpenAPI %s is valid', async (role, version, accept) => {
    const auth = role === 'anonymous' ? {} : await bearer(role)
    const doc = await fetchDoc(() => nodeParityTarget.send({ method: 'GET', path: '/', headers: { ...accept, ...auth } }, { PGRST_OPENAPI_SECURITY_ACTIVE: 'true' }))
    await validate(doc, version)
  })
})

describe('the spec fixtures and the RPC fixtures', () => {
  let spec: SpecApp
  let rpc: SpecApp
  beforeAll(async () => {
    spec = await createSpecApp({ PGRST_OPENAPI_MODE: 'ignore-privileges' })
    rpc = await createSpecApp({ ...RPC_SETTINGS, PGRST_OPENAPI_MODE: 'ignore-privileges' })
  })
  it.each(['test', 'api', 'other'])('schema %s: Swagger 2.0 and OpenAPI 3.1 are valid', async (schema) => {
    for (const [accept, version] of [[SWAGGER, '2.0'], [OAS31, '3.1']] as const) {
      await validate(await fetchDoc(() => spec.send({ method: 'GET', path: '/', headers: { ...accept, 'Accept-Profile': schema } })), version)
    }
  })
  it('the rpc schema (functions of every shape): both are valid', async () => {
    for (const [accept, version] of [[SWAGGER, '2.0'], [OAS31, '3.1']] as const) {
      const doc = await fetchDoc(() => rpc.send({ method: 'GET', path: '/', headers: accept }))
      await validate(doc, version)
      expect(Object.keys((doc as { paths: object }).paths).filter((p) => p.startsWith('/rpc/')).length).toBeGreaterThan(20)
    }
  })
})
