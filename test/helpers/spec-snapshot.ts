/**
 * @module test/helpers/spec-snapshot: the spec fixtures introspected as the spec settings expose
 * them (a fixed generatedAt, so the text is stable), in the plain and the packed encoding: what
 * the schema cache encoding tests compare.
 */
import { introspectUrl } from '../../schema-cache/from-url.ts'
import { formatSnapshot } from '../../schema-cache/snapshot-json.ts'
import type { SchemaCacheSnapshot } from '../../src/schema-cache/types.ts'
import { SPEC_SETTINGS } from '../spec/types.ts'
import { stackUrls } from './stack.ts'

const list = (v: string | undefined): string[] => (v ?? '').split(',').filter((s) => s !== '')

export const specSnapshot = async (): Promise<{ plain: SchemaCacheSnapshot; packedText: string }> => {
  const plain = await introspectUrl(stackUrls().authUrl, {
    schemas: list(SPEC_SETTINGS['PGRST_DB_SCHEMAS']),
    extraSearchPath: list(SPEC_SETTINGS['PGRST_DB_EXTRA_SEARCH_PATH']),
    generatedAt: '2026-01-01T00:00:00.000Z',
  })
  return { plain, packedText: formatSnapshot(plain, 'compact') }
}
