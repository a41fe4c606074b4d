/**
 * @module test/spec/parity/openapi-scenarios: the OpenAPI document at `/` (test/fixtures/90-parity.sql).
 * The Swagger 2.0 values are written out from PostgREST v16.2's rules (Response/OpenAPI.hs): what
 * each table, column and function of the fixture becomes, and what each role may see.
 */
import { expect } from 'vitest'
import type { ParityScenario } from './target.ts'
import { bearer, get, jsonOf, OPENAPI31_CT, OPENAPI_CT } from './target.ts'

type Doc = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const SINGULAR_STRIPPED = 'application/vnd.pgrst.object+json;nulls=stripped'
const SINGULAR = 'application/vnd.pgrst.object+json'
const ref = (name: string) => ({ $ref: `#/parameters/${name}` })
const rowFilters = (table: string, cols: string[]) => cols.map((c) => ref(`rowFilter.${table}.${c}`))
const READ_PARAMS = ['select', 'order', 'range', 'rangeUnit', 'offset', 'limit', 'preferCount'].map(ref)
const BOOK_COLUMNS = ['id', 'title', 'author_id', 'published', 'status', 'pages', 'tags', 'meta', 'price']

/** What `parity_anon` may use: no `notes` table, no `privileged` function. */
const ANON_PATHS = [
  '/',
  '/authors',
  '/book_counts',
  '/books',
  '/rpc/add',
  '/rpc/isolation',
  '/rpc/new_book',
  '/rpc/pre_config',
  '/rpc/setting',
  '/rpc/sleep_for',
  '/rpc/tag_count',
  '/rpc/write_isolation',
]

const BOOKS_DEFINITION = {
  type: 'object',
  description: 'Books\n\nEverything on the shelf.',
  properties: {
    id: { description: "The book's number\n\nNote:\nThis is a Primary Key.<pk/>", format: 'int32', type: 'integer' },
    title: { description: 'Its title', format: 'character varying', maxLength: 80, type: 'string' },
    author_id: { description: "Note:\nThis is a Foreign Key to `authors.id`.<fk table='authors' column='id'/>", format: 'int32', type: 'integer' },
    published: { default: '1900-01-01', format: 'date', type: 'string' },
    status: { default: 'draft', enum: ['draft', 'published'], format: 'status', type: 'string' },
    pages: { default: 42, format: 'int32', type: 'integer' },
    tags: { format: 'text[]', type: 'array', items: { type: 'string' } },
    meta: { format: 'jsonb' },
    price: { format: 'numeric', type: 'number' },
  },
  required: ['id', 'title', 'status'],
}

const BOOKS_PATH = {
  get: {
    tags: ['books'],
    summary: 'Books',
    description: 'Everything on the shelf.',
    parameters: [...rowFilters('books', BOOK_COLUMNS), ...READ_PARAMS],
    responses: {
      '200': { description: 'OK', schema: { type: 'array', items: { $ref: '#/definitions/books' } } },
      '206': { description: 'Partial Content' },
    },
  },
  post: {
    tags: ['books'],
    summary: 'Books',
    description: 'Everything on the shelf.',
    parameters: [ref('body.books'), ref('select'), ref('preferPost')],
    responses: { '201': { description: 'Created' } },
  },
  patch: {
    tags: ['books'],
    summary: 'Books',
    description: 'Everything on the shelf.',
    parameters: [...rowFilters('books', BOOK_COLUMNS), ref('body.books'), ref('preferReturn')],
    responses: { '204': { description: 'No Content' } },
  },
  delete: {
    tags: ['books'],
    summary: 'Books',
    description: 'Everything on the shelf.',
    parameters: [...rowFilters('books', BOOK_COLUMNS), ref('preferReturn')],
    responses: { '204': { description: 'No Content' } },
  },
}

const ADD_HEAD = {
  summary: 'Adds',
  description: 'Two numbers, the second one by default 1.',
  tags: ['(rpc) add'],
  produces: ['application/json', SINGULAR_STRIPPED, SINGULAR],
  responses: { '200': { description: 'OK' } },
}

const ADD_PATH = {
  get: {
    ...ADD_HEAD,
    parameters: [
      { format: 'int32', in: 'query', name: 'a', required: true, type: 'integer' },
      { format: 'int32', in: 'query', name: 'b', required: false, type: 'integer' },
    ],
  },
  post: {
    ...ADD_HEAD,
    parameters: [
      {
        name: 'args',
        required: true,
        in: 'body',
        schema: {
          description: 'Adds\nTwo numbers, the second one by default 1.',
          type: 'object',
          properties: { a: { format: 'int32', type: 'integer' }, b: { format: 'int32', type: 'integer' } },
          required: ['a'],
        },
      },
      ref('preferParams'),
    ],
  },
}

const MIME_LIST = ['application/json', SINGULAR_STRIPPED, SINGULAR, 'text/csv']

const swagger = async (res: Response): Promise<Doc> => {
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe(OPENAPI_CT)
  return (await jsonOf(res)) as Doc
}

export const openApiScenarios: ParityScenario[] = [
  {
    name: 'GET / is the Swagger 2.0 document of the first schema, as the anonymous role sees it',
    run: async (t) => {
      const res = await t.send(get('/', { Accept: 'application/openapi+json' }))
      expect(res.headers.get('content-profile')).toBe('parity')
      const doc = await swagger(res)
      expect(Object.keys(doc).sort()).toEqual(['basePath', 'consumes', 'definitions', 'externalDocs', 'host', 'info', 'parameters', 'paths', 'produces', 'schemes', 'swagger'])
      expect(doc['swagger']).toBe('2.0')
      expect(doc['info']).toEqual({ version: '16.2', title: 'Parity API', description: 'The books of the parity tests.\nTwo lines of description.' })
      expect(doc['externalDocs']).toEqual({ description: 'PostgREST Documentation', url: 'https://postgrest.org/en/v16/references/api.html' })
      // The request's own host and port: an edge deployment has no server-host of its own.
      expect([doc['host'], doc['basePath'], doc['schemes']]).toEqual(['localhost:80', '/', ['http']])
      expect([doc['consumes'], doc['produces']]).toEqual([MIME_LIST, MIME_LIST])
      expect(Object.keys(doc['paths']).sort()).toEqual(ANON_PATHS)
      expect(Object.keys(doc['definitions']).sort()).toEqual(['authors', 'book_counts', 'books'])
      expect(doc['definitions']['books']).toEqual(BOOKS_DEFINITION)
      expect(doc['paths']['/books']).toEqual(BOOKS_PATH)
      expect(doc['paths']['/rpc/add']).toEqual(ADD_PATH)
      // A view nobody can write through is read-only; a volatile function is POST only.
      expect(Object.keys(doc['paths']['/book_counts'])).toEqual(['get'])
      expect(Object.keys(doc['paths']['/rpc/new_book'])).toEqual(['post'])
      expect(doc['paths']['/rpc/tag_count']['get']['parameters']).toEqual([
        { in: 'query', name: 'tags', required: true, type: 'array', collectionFormat: 'multi', items: { type: 'string', format: 'text' } },
      ])
      expect(doc['paths']['/']).toEqual({
        get: {
          tags: ['Introspection'],
          summary: 'OpenAPI description (this document)',
          produces: ['application/openapi+json', 'application/json'],
          responses: { '200': { description: 'OK' } },
        },
      })
      expect(doc['parameters']['preferPost']).toEqual({
        name: 'Prefer',
        description: 'Preference',
        required: false,
        in: 'header',
        type: 'string',
        enum: ['return=representation', 'return=minimal', 'return=none', 'resolution=ignore-duplicates', 'resolution=merge-duplicates'],
      })
      expect(doc['parameters']['rangeUnit']).toEqual({ name: 'Range-Unit', description: 'Limiting and Pagination', required: false, in: 'header', type: 'string', default: 'items' })
      expect(doc['parameters']['body.books']).toEqual({ name: 'books', description: 'books', required: false, in: 'body', schema: { $ref: '#/definitions/books' } })
      expect(doc['parameters']['rowFilter.books.title']).toEqual({ name: 'title', description: 'Its title', required: false, in: 'query', type: 'string' })
      expect(doc['parameters']['rowFilter.books.pages']).toEqual({ name: 'pages', required: false, in: 'query', type: 'string' })
    },
  },
  {
    name: 'follow-privileges: a role that may use more sees more',
    run: async (t) => {
      const doc = await swagger(await t.send(get('/', await bearer('parity_admin'))))
      expect(Object.keys(doc['paths']).sort()).toEqual([...ANON_PATHS, '/notes', '/rpc/privileged'].sort())
      expect(doc['definitions']['notes']).toEqual({
        type: 'object',
        properties: { id: { description: 'Note:\nThis is a Primary Key.<pk/>', format: 'int32', type: 'integer' }, body: { format: 'text', type: 'string' } },
        required: ['id'],
      })
    },
  },
  {
    name: 'ignore-privileges: everything in the schema, whoever asks',
    run: async (t) => {
      const doc = await swagger(await t.send(get('/'), { PGRST_OPENAPI_MODE: 'ignore-privileges' }))
      expect(Object.keys(doc['paths']).sort()).toEqual([...ANON_PATHS, '/notes', '/rpc/privileged'].sort())
    },
  },
  {
    name: 'disabled: 404 PGRST126',
    run: async (t) => {
      const res = await t.send(get('/', { Accept: 'application/openapi+json' }), { PGRST_OPENAPI_MODE: 'disabled' })
      expect(res.status).toBe(404)
      expect(await jsonOf(res)).toEqual({ code: 'PGRST126', details: null, hint: null, message: 'Root endpoint metadata is disabled' })
    },
  },
  {
    name: 'Accept-Profile picks the schema the document describes',
    run: async (t) => {
      const res = await t.send(get('/', { 'Accept-Profile': 'parity_other' }))
      expect(res.headers.get('content-profile')).toBe('parity_other')
      const doc = await swagger(res)
      expect(Object.keys(doc['paths']).sort()).toEqual(['/', '/things'])
      // A one-line comment is the title; the description is then empty, as in PostgREST.
      expect(doc['info']).toEqual({ version: '16.2', title: 'Other parity schema', description: '' })
      const bad = await t.send(get('/', { 'Accept-Profile': 'nope' }))
      expect([bad.status, ((await jsonOf(bad)) as Doc)['code']]).toEqual([406, 'PGRST106'])
    },
  },
  {
    name: 'HEAD / has the headers only; OPTIONS / lists the methods; an unacceptable Accept is 406',
    run: async (t) => {
      const head = await t.send({ method: 'HEAD', path: '/' })
      expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, OPENAPI_CT, ''])
      const options = await t.send({ method: 'OPTIONS', path: '/' })
      expect([options.status, options.headers.get('allow'), await options.text()]).toEqual([200, 'OPTIONS,GET,HEAD', ''])
      // Server-Timing even without a transaction (PARITY_SETTINGS turns it on).
      expect(options.headers.get('server-timing')).toMatch(/^jwt;dur=\d+\.\d, parse;dur=\d+\.\d, plan;dur=\d+\.\d, transaction;dur=\d+\.\d, response;dur=\d+\.\d$/)
      const csv = await t.send(get('/', { Accept: 'text/csv' }))
      expect([csv.status, await jsonOf(csv)]).toEqual([406, { code: 'PGRST107', details: null, hint: null, message: 'None of these media types are available: text/csv' }])
      const post = await t.send({ method: 'POST', path: '/', body: '{}' })
      expect(post.status).toBe(405)
    },
  },
  {
    name: 'PGRST_OPENAPI_SERVER_PROXY_URI sets host, base path and scheme',
    run: async (t) => {
      const doc = await swagger(await t.send(get('/'), { PGRST_OPENAPI_SERVER_PROXY_URI: 'https://api.example.com:8443/rest' }))
      expect([doc['host'], doc['basePath'], doc['schemes']]).toEqual(['api.example.com:8443', '/rest', ['https']])
      const noPort = await swagger(await t.send(get('/'), { PGRST_OPENAPI_SERVER_PROXY_URI: 'https://api.example.com' }))
      expect([noPort['host'], noPort['basePath']]).toEqual(['api.example.com:443', '/'])
    },
  },
  {
    name: 'EDGEREST_BASE_PATH: the document lives at the base path and says so',
    run: async (t) => {
      const settings = { EDGEREST_BASE_PATH: '/rest/v1' }
      const doc = await swagger(await t.send(get('/rest/v1/'), settings))
      expect([doc['host'], doc['basePath']]).toEqual(['localhost:80', '/rest/v1'])
      const v31 = (await jsonOf(await t.send(get('/rest/v1', { Accept: 'application/vnd.oai.openapi+json;version=3.1' }), settings))) as Doc
      expect(v31['servers']).toEqual([{ url: 'http://localhost:80/rest/v1' }])
      expect((await t.send(get('/'), settings)).status).toBe(404)
    },
  },
  {
    name: 'PGRST_OPENAPI_SECURITY_ACTIVE documents the JWT',
    run: async (t) => {
      const doc = await swagger(await t.send(get('/'), { PGRST_OPENAPI_SECURITY_ACTIVE: 'true' }))
      expect(doc['securityDefinitions']).toEqual({
        JWT: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Add the token prepending "Bearer " (without quotes) to it' },
      })
      expect(doc['security']).toEqual([{ JWT: [] }])
      const plain = await swagger(await t.send(get('/')))
      expect([plain['securityDefinitions'], plain['security']]).toEqual([undefined, undefined])
    },
  },
  {
    name: 'OpenAPI 3.1 when asked for: JSON Schema types, request bodies, the bearer scheme, the query grammar',
    run: async (t) => {
      const res = await t.send(get('/', { Accept: 'application/vnd.oai.openapi+json;version=3.1' }))
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toBe(OPENAPI31_CT)
      const doc = (await jsonOf(res)) as Doc
      expect(doc['openapi']).toBe('3.1.0')
      expect(doc['servers']).toEqual([{ url: 'http://localhost:80' }])
      expect(Object.keys(doc['paths']).sort()).toEqual(ANON_PATHS)
      const books = doc['components']['schemas']['books']
      // Nullable columns admit null; NOT NULL ones do not.
      expect(books['properties']['author_id']['type']).toEqual(['integer', 'null'])
      expect(books['properties']['title']).toMatchObject({ type: 'string', maxLength: 80 })
      expect(books['properties']['status']).toMatchObject({ type: 'string', enum: ['draft', 'published'] })
      expect(books['properties']['published']).toMatchObject({ type: ['string', 'null'], format: 'date', default: '1900-01-01' })
      expect(books['properties']['tags']).toMatchObject({ type: ['array', 'null'], items: { type: 'string' } })
      expect(books['required']).toEqual(['id', 'title', 'status'])
      // Insert bodies need only what has no default.
      expect(doc['components']['schemas']['books.insert']['required']).toEqual(['title'])
      expect(doc['components']['securitySchemes']).toMatchObject({ JWT: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } })
      expect(doc['paths']['/books']['post']['requestBody']['content']['application/json']['schema']).toEqual({
        oneOf: [{ $ref: '#/components/schemas/books.insert' }, { type: 'array', items: { $ref: '#/components/schemas/books.insert' } }],
      })
      const filter = doc['components']['parameters']['rowFilter.books.title']
      expect(filter).toEqual({
        name: 'title',
        in: 'query',
        required: false,
        description: 'Filter on `title` (character varying): Its title.',
        schema: { $ref: '#/components/schemas/PostgREST.Filter' },
      })
      const grammar = new RegExp(doc['components']['schemas']['PostgREST.Filter']['pattern'])
      expect(['eq.Mort', 'not.like(any).{M*,L*}', 'in.(1,2)', 'fts(english).cat', 'is.null'].map((v) => grammar.test(v))).toEqual([true, true, true, true, true])
      expect(['Mort', 'equals.1', 'like(any){a}'].map((v) => grammar.test(v))).toEqual([false, false, false])
      expect(Object.keys(doc['components']['parameters'])).toEqual(expect.arrayContaining(['select', 'order', 'limit', 'offset', 'range', 'or']))
      expect(doc['paths']['/rpc/add']['get']['parameters'].slice(0, 2)).toEqual([
        { name: 'a', in: 'query', required: true, schema: { type: 'integer', format: 'int32', 'x-pg-type': 'integer' } },
        { name: 'b', in: 'query', required: false, schema: { type: 'integer', format: 'int32', 'x-pg-type': 'integer' } },
      ])
    },
  },
]
