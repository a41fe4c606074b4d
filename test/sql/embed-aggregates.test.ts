/**
 * Aggregates over HTTP with db-aggregates-enabled on (the shared spec cases run with it off, where
 * every aggregate is PGRST123): the Node app in-process over `pg` (test/spec/harness.ts) on the
 * embedding fixtures, checked with exact bodies and headers like the spec cases. Covers automatic
 * grouping, casts on the column and on the result, aggregates inside embeds and to-one spreads,
 * and the refusal inside to-many spreads.
 */
import { beforeAll, describe, it } from 'vitest'
import { checkSpecResponse } from '../spec/check.ts'
import { get, okJson, pgrstError } from '../spec/cases/common.ts'
import { createSpecApp, type SpecApp } from '../spec/harness.ts'
import type { SpecCase } from '../spec/types.ts'

let app: SpecApp

beforeAll(async () => {
  app = await createSpecApp({ PGRST_DB_AGGREGATES_ENABLED: 'true' })
})

const CASES: SpecCase[] = [
  {
    name: 'count() of the whole table',
    request: get('/films?select=count()'),
    expect: okJson([{ count: 7 }], { 'Content-Range': '0-0/*' }),
  },
  {
    name: 'grouped by the other selected columns, with a filter and an order',
    request: get('/films?select=director_id,count(),rating.max()&director_id=not.is.null&order=director_id'),
    expect: okJson([
      { director_id: 1, count: 3, max: 8.6 },
      { director_id: 2, count: 1, max: 7.5 },
      { director_id: 3, count: 2, max: 8.6 },
    ]),
  },
  {
    name: 'casts on the aggregated column and on the result, and aliases',
    request: get('/films?select=total:rating.sum()::text,mean:rating::int.avg(),first:year.min()'),
    expect: okJson([{ total: '49.0', mean: 8.3333333333333333, first: 1952 }]),
  },
  {
    name: 'aggregates inside a to-many embed, per parent',
    request: get('/directors?select=name,films!director_id(count(),rating.avg())&order=id&limit=2'),
    expect: okJson([
      { name: 'Akira Kurosawa', films: [{ count: 3, avg: 8.3666666666666667 }] },
      { name: 'Ishiro Honda', films: [{ count: 1, avg: 7.5 }] },
    ]),
  },
  {
    // The related order names the spread's output column (its alias), as in PostgREST.
    name: 'a to-one spread column as a grouping key of the parent aggregate',
    request: get('/films?select=...directors!films_director_fkey(director:name),rating.max()&order=directors(director)'),
    expect: okJson([
      { director: 'Akira Kurosawa', max: 8.6 },
      { director: 'Hayao Miyazaki', max: 8.6 },
      { director: 'Ishiro Honda', max: 7.5 },
      { director: null, max: null },
    ]),
  },
  {
    name: 'an aggregate inside a to-one spread is computed at the parent level',
    request: get('/screenings?select=...films(year.max())'),
    expect: okJson([{ max: 2001 }]),
  },
  {
    name: 'aggregates in a to-many spread are not implemented (PGRST127)',
    request: get('/directors?select=name,...films!director_id(count())'),
    expect: pgrstError(400, 'PGRST127', 'Feature not implemented', 'Aggregates are not implemented for one-to-many or many-to-many spreads.'),
  },
]

describe('aggregates enabled', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await checkSpecResponse(await app.send(c.request), c.expect)
  })
})
