/**
 * @module test/spec/cases/logic: `or`/`and` trees (PostgREST v16.2) — nesting, `not.` on the
 * parameter and inside the tree, every operator family inside a tree (in, is, isdistinct, fts,
 * quantifiers, quoted values, JSON paths) and logic on embedded resources.
 */
import type { SpecCase } from '../types.ts'
import { get, ids, okJson } from './common.ts'

/** A logic case on test.items returning only ids. */
const l = (name: string, query: string, expected: number[]): SpecCase => ({
  name: `logic: ${name}`,
  request: get(`/items?select=id&order=id&${query}`),
  expect: okJson(ids(...expected)),
})

export const cases: SpecCase[] = [
  l('or', 'or=(id.eq.1,id.eq.3)', [1, 3]),
  l('and', 'and=(price.gt.0.2,price.lt.2)', [1, 2]),
  l('spaces after commas are ignored', 'or=(id.eq.1,%20id.eq.3)', [1, 3]),
  l('or with a nested and', 'or=(price.is.null,and(id.gte.3,id.lt.5))', [3, 4]),
  l('not.or negates the whole tree', 'not.or=(id.eq.1,id.eq.2)', [3, 4, 5]),
  l('not.and negates the whole tree', 'not.and=(id.gte.2,id.lte.4)', [1, 5]),
  l('not.and nested inside or (null stays unknown)', 'or=(and(id.eq.1,name.eq.apple),not.and(id.lt.5,price.gt.0))', [1, 5]),
  l('three levels of nesting', 'or=(id.eq.1,and(id.gt.2,or(name.eq.carrot,name.eq.durian)))', [1, 3, 4]),
  l('and of two ors', 'and=(or(id.eq.1,id.eq.2),or(name.eq.banana,name.eq.carrot))', [2]),
  l('not.or nested inside and', 'and=(id.lt.5,not.or(id.eq.1,id.eq.2))', [3, 4]),
  l('or combined with a plain filter', 'or=(id.eq.1,id.eq.2)&price=gt.1', [1]),
  l('in inside or', 'or=(id.in.(1,2),name.eq.carrot)', [1, 2, 3]),
  l('not. on an operator inside or', 'or=(id.not.lt.4,name.eq.apple)', [1, 4, 5]),
  l('is.null inside or', 'or=(description.is.null,price.lt.0.2)', [2, 3, 4]),
  l('isdistinct and not.is inside and', 'and=(description.isdistinct.crisp,price.not.is.null)', [2, 3, 5]),
  l('like(any) with an array value inside or', 'or=(name.like(any).{a*,c*},id.eq.5)', [1, 3, 5]),
  l('fts with a language inside or', 'or=(body.fts(english).apple,body.fts(english).carrot)', [1, 3]),
  l('JSON paths inside or', 'or=(data->>color.eq.red,data->size->w.eq.2)', [1, 3]),
  l('quoted range values inside or', 'or=(span.adj.%22[20,25)%22,span.cs.%22[6,7)%22)', [2, 3]),
  {
    name: 'logic: a quoted value containing a comma',
    request: get('/texts?or=(t.eq.%22has,comma%22,id.eq.1)&select=id&order=id'),
    expect: okJson(ids(1, 2)),
  },
  {
    name: 'logic: or on a one-to-many embed',
    request: get('/clients?select=id,projects(id)&projects.or=(id.eq.1,id.eq.4)&order=id'),
    expect: okJson([
      { id: 1, projects: ids(1) },
      { id: 2, projects: ids(4) },
    ]),
  },
  {
    name: 'logic: and on a one-to-many embed',
    request: get('/clients?select=id,projects(id)&projects.and=(id.gt.1,id.lt.4)&order=id&projects.order=id'),
    expect: okJson([
      { id: 1, projects: ids(2) },
      { id: 2, projects: ids(3) },
    ]),
  },
  {
    name: 'logic: or on a view',
    request: get('/projects_view?or=(name.eq.IOS,client_id.is.null)&select=id&order=id'),
    expect: okJson(ids(3, 5)),
  },
]
