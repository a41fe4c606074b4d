/**
 * Reading view target lists from pg_node_tree text: escaped names, NULL tokens, Const datums,
 * junk (sort-only) entries, and a tree taken from the real server.
 */
import { describe, expect, it } from 'vitest'
import { viewTargetOrigins } from '../../schema-cache/node-tree.ts'
import { superuserQuery } from '../helpers/stack.ts'

describe('viewTargetOrigins', () => {
  it('reads resno / resorigtbl / resorigcol of each output column, skipping junk entries', () => {
    const tree = String.raw`({QUERY :commandType 1 :utilityStmt <> :targetList ({TARGETENTRY :expr {CONST :consttype 23 :constlen 4 :constbyval true :constisnull false :location 7 :constvalue 4 [ 1 0 0 0 0 0 0 0 ]} :resno 1 :resname one :ressortgroupref 0 :resorigtbl 0 :resorigcol 0 :resjunk false} {TARGETENTRY :expr {VAR :varno 1 :varattno 2 :vartype 23} :resno 2 :resname weird\ \{name\)\\ :ressortgroupref 0 :resorigtbl 16385 :resorigcol 2 :resjunk false} {TARGETENTRY :expr {VAR :varno 1 :varattno 3} :resno 3 :resname <> :ressortgroupref 1 :resorigtbl 16385 :resorigcol 3 :resjunk true}) :rtable ({RANGETBLENTRY :eref {ALIAS :aliasname t :colnames ("a\ b" "c\)")} :relid 16385}) :sortClause <>})`
    expect(viewTargetOrigins(tree)).toEqual([
      { resno: 1, origTable: 0, origColumn: 0 },
      { resno: 2, origTable: 16385, origColumn: 2 },
    ])
  })

  it('rejects text that is not a query tree', () => {
    expect(() => viewTargetOrigins('({RANGETBLENTRY :relid 1})')).toThrow('node tree: expected a QUERY node')
    expect(() => viewTargetOrigins('({QUERY :targetList (')).toThrow('unexpected end of node tree')
  })

  it('reads what the server stores for a view with awkward names', async () => {
    // several statements: node-postgres answers with one result per statement; the SELECT is the 5th
    const results = (await superuserQuery(`
      DROP SCHEMA IF EXISTS sc_nodetree CASCADE;
      CREATE SCHEMA sc_nodetree;
      CREATE TABLE sc_nodetree."t (x)" ("my col {1}" int PRIMARY KEY, "b\\c" text, "d e" text);
      CREATE VIEW sc_nodetree.v AS SELECT 'a b' AS "c o n s t", "d e", "my col {1}" AS "k)" FROM sc_nodetree."t (x)" ORDER BY "b\\c";
      SELECT r.ev_action::text AS tree, 'sc_nodetree."t (x)"'::regclass::oid::int AS tbl
      FROM pg_rewrite r WHERE r.ev_class = 'sc_nodetree.v'::regclass;
      DROP SCHEMA sc_nodetree CASCADE;
    `)) as unknown as { rows: { tree: string; tbl: number }[] }[]
    const row = results[4]?.rows[0]
    if (row === undefined) throw new Error('no rule')
    expect(viewTargetOrigins(row.tree)).toEqual([
      { resno: 1, origTable: 0, origColumn: 0 },
      { resno: 2, origTable: row.tbl, origColumn: 3 },
      { resno: 3, origTable: row.tbl, origColumn: 1 },
    ])
  })
})
