/**
 * @module test/spec/cases/media: response media types (PostgREST v16.2) — the singular object
 * (`application/vnd.pgrst.object+json`, 406 PGRST116 otherwise), CSV with record-text quoting,
 * `nulls=stripped` for arrays and objects, Accept negotiation and 406 PGRST107.
 */
import type { SpecCase } from '../types.ts'
import { ARRAY_STRIPPED_CT, CSV_CT, JSON_CT, OBJECT_CT, OBJECT_STRIPPED_CT, get, ids, items, okJson, pgrstError } from './common.ts'

const OBJECT = { Accept: 'application/vnd.pgrst.object+json' }
const CSV = { Accept: 'text/csv' }
const ARRAY_STRIPPED = { Accept: 'application/vnd.pgrst.array+json;nulls=stripped' }

const singular = (rows: number) =>
  pgrstError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', `The result contains ${rows} rows`)

export const cases: SpecCase[] = [
  // --- singular object ----------------------------------------------------------------------
  {
    name: 'object: one row becomes an object',
    request: get('/items?id=eq.1&select=id,name', OBJECT),
    expect: { status: 200, json: { id: 1, name: 'apple' }, headers: { 'Content-Type': OBJECT_CT, 'Content-Range': '0-0/*' } },
  },
  {
    name: 'object: application/vnd.pgrst.object without +json',
    request: get('/items?id=eq.2&select=id', { Accept: 'application/vnd.pgrst.object' }),
    expect: { status: 200, json: { id: 2 }, headers: { 'Content-Type': OBJECT_CT } },
  },
  {
    name: 'object: the media type is case-insensitive',
    request: get('/items?id=eq.3&select=id', { Accept: 'ApplicatIon/vnd.PgRsT.object+json' }),
    expect: { status: 200, json: { id: 3 }, headers: { 'Content-Type': OBJECT_CT } },
  },
  {
    name: 'object: with embeds',
    request: get('/projects?id=eq.1&select=name,clients(name),tasks(id)&tasks.order=id', OBJECT),
    expect: { status: 200, json: { name: 'Windows 7', clients: { name: 'Microsoft' }, tasks: ids(1, 2) }, headers: { 'Content-Type': OBJECT_CT } },
  },
  {
    name: 'object: limit=1 makes any table singular',
    request: get('/items?select=id&order=id.desc&limit=1', OBJECT),
    expect: { status: 200, json: { id: 5 }, headers: { 'Content-Type': OBJECT_CT } },
  },
  {
    name: 'object: zero rows is 406',
    request: get('/items?id=eq.0', OBJECT),
    expect: singular(0),
  },
  {
    name: 'object: two rows is 406',
    request: get('/items?id=lt.3', OBJECT),
    expect: singular(2),
  },
  {
    name: 'object: the whole table is 406',
    request: get('/items?select=id', OBJECT),
    expect: singular(5),
  },
  // --- nulls=stripped -----------------------------------------------------------------------
  {
    name: 'nulls: stripped from an array',
    request: get('/nulls?order=id', ARRAY_STRIPPED),
    expect: { status: 200, json: [{ id: 1, b: 1 }, { id: 2, a: 'x' }], headers: { 'Content-Type': ARRAY_STRIPPED_CT } },
  },
  {
    name: 'nulls: application/vnd.pgrst.array;nulls=stripped without +json',
    request: get('/nulls?order=id', { Accept: 'application/vnd.pgrst.array;nulls=stripped' }),
    expect: { status: 200, json: [{ id: 1, b: 1 }, { id: 2, a: 'x' }], headers: { 'Content-Type': ARRAY_STRIPPED_CT } },
  },
  {
    name: 'nulls: stripped even when selected explicitly',
    request: get('/items?select=id,price,description&id=in.(2,4)&order=id', ARRAY_STRIPPED),
    expect: { status: 200, json: [{ id: 2, price: 0.25 }, { id: 4 }], headers: { 'Content-Type': ARRAY_STRIPPED_CT } },
  },
  {
    name: 'nulls: a null embed is stripped too',
    request: get('/projects?select=id,clients(id,name)&id=in.(4,5)&order=id', ARRAY_STRIPPED),
    expect: { status: 200, json: [{ id: 4, clients: { id: 2, name: 'Apple' } }, { id: 5 }], headers: { 'Content-Type': ARRAY_STRIPPED_CT } },
  },
  {
    name: 'nulls: stripped from a singular object',
    request: get('/nulls?id=eq.1', { Accept: 'application/vnd.pgrst.object+json;nulls=stripped' }),
    expect: { status: 200, json: { id: 1, b: 1 }, headers: { 'Content-Type': OBJECT_STRIPPED_CT } },
  },
  {
    name: 'nulls: application/vnd.pgrst.array+json without nulls=stripped is plain JSON',
    request: get('/nulls?order=id', { Accept: 'application/vnd.pgrst.array+json' }),
    expect: okJson([
      { id: 1, a: null, b: 1 },
      { id: 2, a: 'x', b: null },
    ]),
  },
  // --- CSV ----------------------------------------------------------------------------------
  {
    name: 'csv: header line then one line per row; null is empty',
    request: get('/items?select=id,name,price&order=id', CSV),
    expect: {
      status: 200,
      text: 'id,name,price\n1,apple,1.50\n2,banana,0.25\n3,carrot,0.10\n4,durian,\n5,Éclair,3.00',
      headers: { 'Content-Type': CSV_CT, 'Content-Range': '0-4/*', 'Content-Profile': 'test' },
    },
  },
  {
    name: 'csv: values with commas, quotes, spaces, backslashes or empty are quoted',
    request: get('/texts?order=id', CSV),
    expect: {
      status: 200,
      text: 'id,t\n1,plain\n2,"has,comma"\n3,"say ""hi"""\n4,""\n5,\n6,"two words"\n7,"back\\\\slash"',
      headers: { 'Content-Type': CSV_CT },
    },
  },
  {
    name: 'csv: arrays, jsonb and timestamptz in their text form',
    request: get('/items?select=tags,data,created_at&id=eq.1', CSV),
    expect: {
      status: 200,
      text: 'tags,data,created_at\n"{fruit,red}","{""list"": [1, 2, 3], ""size"": {""w"": 3}, ""color"": ""red""}","2024-01-02 03:04:05+00"',
      headers: { 'Content-Type': CSV_CT },
    },
  },
  {
    name: 'csv: header keeps special column names as they are',
    request: get('/Weird%20Names', CSV),
    expect: { status: 200, text: 'Id,a"b,with space\n1,q,s', headers: { 'Content-Type': CSV_CT } },
  },
  {
    name: 'csv: no rows is a lone newline',
    request: get('/items?id=eq.0', CSV),
    expect: { status: 200, text: '\n', headers: { 'Content-Type': CSV_CT } },
  },
  {
    name: 'csv: aliases name the header columns',
    request: get('/items?select=key:id,label:name&id=in.(1,2)&order=id', CSV),
    expect: { status: 200, text: 'key,label\n1,apple\n2,banana', headers: { 'Content-Type': CSV_CT } },
  },
  {
    name: 'csv: with count=exact and a limit is 206',
    request: get('/items?select=id&order=id&limit=2', { ...CSV, Prefer: 'count=exact' }),
    expect: { status: 206, text: 'id\n1\n2', headers: { 'Content-Type': CSV_CT, 'Content-Range': '0-1/5' } },
  },
  // --- negotiation --------------------------------------------------------------------------
  {
    name: 'accept: application/json',
    request: get('/items?select=id&id=eq.1', { Accept: 'application/json' }),
    expect: okJson(ids(1)),
  },
  {
    name: 'accept: */* gives JSON',
    request: get('/items?select=id&id=eq.1', { Accept: '*/*' }),
    expect: okJson(ids(1)),
  },
  {
    name: 'accept: the highest quality wins',
    request: get('/items?select=id&id=eq.1', { Accept: 'text/csv;q=0.5, application/json' }),
    expect: okJson(ids(1)),
  },
  {
    name: 'accept: at equal quality the first listed wins',
    request: get('/items?select=id&id=eq.1', { Accept: 'text/csv, application/json' }),
    expect: { status: 200, text: 'id\n1', headers: { 'Content-Type': CSV_CT } },
  },
  {
    name: 'accept: a supported type after an unsupported one',
    request: get('/items?select=id,name&id=eq.1', { Accept: 'text/plain, application/json' }),
    expect: okJson(items([1], ['id', 'name'])),
  },
  {
    name: 'accept: text/plain on a table is 406',
    request: get('/items', { Accept: 'text/plain' }),
    expect: pgrstError(406, 'PGRST107', 'None of these media types are available: text/plain'),
  },
  {
    name: 'accept: every listed type is named in the 406',
    request: get('/items', { Accept: 'text/plain, application/xml' }),
    expect: pgrstError(406, 'PGRST107', 'None of these media types are available: text/plain, application/xml'),
  },
  {
    name: 'accept: the JSON content type of a plain GET',
    request: get('/clients?select=name&id=eq.2'),
    expect: { status: 200, json: [{ name: 'Apple' }], headers: { 'Content-Type': JSON_CT } },
  },
]
