/**
 * @module test/spec/ops/settings: the settings of the operations tests (test/fixtures/95-ops.sql):
 * schema `ops` on top of SPEC_SETTINGS, for the Node and workerd runners.
 */
export const OPS_SETTINGS: Readonly<Record<string, string>> = {
  PGRST_DB_SCHEMAS: 'ops',
  PGRST_DB_EXTRA_SEARCH_PATH: 'public',
}
