/**
 * @module test/unit/parse/media-type: media type decoding (PostgREST's MediaType.hs doctests),
 * Accept ordering (wai-extra's parseHttpAccept) and mime strings.
 */
import { describe, expect, it } from 'vitest'
import {
  contentTypeValue,
  decodeMediaType,
  parseAccept,
  parseContentType,
  parseHttpAccept,
  toMime,
} from '../../../src/parse/media-type.ts'
import type { MediaType } from '../../../src/parse/types.ts'

const json: MediaType = { kind: 'json' }

describe('decodeMediaType', () => {
  it.each<[string, MediaType]>([
    ['application/json', json],
    ['application/json; charset=utf-8', json],
    ['APPLICATION/JSON', json],
    ['application/geo+json', { kind: 'geojson' }],
    ['text/csv', { kind: 'csv' }],
    ['text/plain', { kind: 'text' }],
    ['text/xml', { kind: 'xml' }],
    ['application/openapi+json', { kind: 'openapi' }],
    ['application/x-www-form-urlencoded', { kind: 'urlencoded' }],
    ['application/octet-stream', { kind: 'octet' }],
    ['*/*', { kind: 'any' }],
    ['application/vnd.pgrst.plan;', { kind: 'plan', for: json, format: 'text', options: [] }],
    ['application/vnd.pgrst.plan;for="application/json"', { kind: 'plan', for: json, format: 'text', options: [] }],
    ['application/vnd.pgrst.plan ; for="text/xml" ; options=analyze', { kind: 'plan', for: { kind: 'xml' }, format: 'text', options: ['analyze'] }],
    ['application/vnd.pgrst.plan+json;for="text/csv"', { kind: 'plan', for: { kind: 'csv' }, format: 'json', options: [] }],
    [
      'application/vnd.pgrst.plan+text; for="text/xml"; options=wal|buffers|settings|verbose|analyze|nope',
      { kind: 'plan', for: { kind: 'xml' }, format: 'text', options: ['analyze', 'verbose', 'settings', 'buffers', 'wal'] },
    ],
    ['application/vnd.pgrst.plan+json; FOR="application/vnd.pgrst.object"', { kind: 'plan', for: { kind: 'singular', stripNulls: false }, format: 'json', options: [] }],
    // edgerest additions: EXPLAIN as XML and YAML, and the OpenAPI 3.1 document.
    ['application/vnd.pgrst.plan+xml; options=verbose', { kind: 'plan', for: json, format: 'xml', options: ['verbose'] }],
    ['application/vnd.pgrst.plan+yaml', { kind: 'plan', for: json, format: 'yaml', options: [] }],
    ['application/vnd.oai.openapi+json;version=3.1', { kind: 'openapi31' }],
    ['application/vnd.oai.openapi+json; version="3.1.0"', { kind: 'openapi31' }],
    ['application/vnd.oai.openapi+json', { kind: 'openapi31' }],
    ['application/vnd.oai.openapi+json;version=3.0', { kind: 'other', type: 'application/vnd.oai.openapi+json;version=3.0' }],
    ['application/vnd.pgrst.array+json;nulls=stripped', { kind: 'arrayJson', stripNulls: true }],
    ['application/vnd.pgrst.array+json', json],
    ['application/vnd.pgrst.array', json],
    ['application/vnd.pgrst.object+json;nulls=stripped', { kind: 'singular', stripNulls: true }],
    ['application/vnd.pgrst.object+json', { kind: 'singular', stripNulls: false }],
    ['application/vnd.pgrst.object; nulls=stripped', { kind: 'singular', stripNulls: true }],
    ['ApplicatIon/vnd.PgRsT.object+json', { kind: 'singular', stripNulls: false }],
    ['application/vnd.pgrst.object+json;nulls=STRIPPED', { kind: 'singular', stripNulls: false }],
    ['application/vnd.twkb', { kind: 'other', type: 'application/vnd.twkb' }],
    ['text/html', { kind: 'other', type: 'text/html' }],
    ['text/*', { kind: 'other', type: 'text/*' }],
    ['undefined', { kind: 'other', type: 'undefined' }],
    ['', { kind: 'other', type: '' }],
  ])('%j', (mt, expected) => {
    expect(decodeMediaType(mt)).toEqual(expected)
  })
})

describe('Accept', () => {
  it.each<[string, string[]]>([
    ['application/json', ['application/json']],
    ['text/csv, application/json', ['text/csv', 'application/json']],
    ['application/json;q=0.5, text/csv', ['text/csv', 'application/json']],
    ['*/*, application/json', ['application/json', '*/*']],
    ['text/*;q=0.3, text/html;q=0.7, text/html;level=1, text/html;level=2;q=0.4, */*;q=0.5', ['text/html;level=1', 'text/html', '*/*', 'text/html;level=2', 'text/*']],
    ['a/b;q=x, c/d;q=0.9', ['a/b', 'c/d']],
    ['a/b;q=0.5x, c/d;q=0.6', ['c/d', 'a/b']],
    ['a/b;q=.9, c/d;q=0.95', ['a/b', 'c/d']],
    ['a/b; q = 0.1 , c/d', ['c/d', 'a/b']],
    ['a/b;q=0.1;foo=bar, c/d', ['c/d', 'a/b']],
    ['', []],
    ['application/json,', ['application/json', '']],
  ])('%j', (header, expected) => {
    expect(parseHttpAccept(header)).toEqual(expected)
  })

  it('no Accept header accepts anything', () => {
    expect(parseAccept(undefined)).toEqual([{ kind: 'any' }])
    expect(parseAccept('application/vnd.pgrst.object+json, */*;q=0.1')).toEqual([{ kind: 'singular', stripNulls: false }, { kind: 'any' }])
  })

  it('no Content-Type means JSON', () => {
    expect(parseContentType(undefined)).toEqual(json)
    expect(parseContentType('text/csv; charset=utf-8')).toEqual({ kind: 'csv' })
  })
})

describe('mime strings', () => {
  it.each<[MediaType, string, string]>([
    [json, 'application/json', 'application/json; charset=utf-8'],
    [{ kind: 'arrayJson', stripNulls: true }, 'application/vnd.pgrst.array+json;nulls=stripped', 'application/vnd.pgrst.array+json;nulls=stripped; charset=utf-8'],
    [{ kind: 'singular', stripNulls: false }, 'application/vnd.pgrst.object+json', 'application/vnd.pgrst.object+json; charset=utf-8'],
    [{ kind: 'singular', stripNulls: true }, 'application/vnd.pgrst.object+json;nulls=stripped', 'application/vnd.pgrst.object+json;nulls=stripped; charset=utf-8'],
    [{ kind: 'csv' }, 'text/csv', 'text/csv; charset=utf-8'],
    [{ kind: 'octet' }, 'application/octet-stream', 'application/octet-stream'],
    [{ kind: 'other', type: 'application/vnd.twkb' }, 'application/vnd.twkb', 'application/vnd.twkb'],
    [{ kind: 'any' }, '*/*', '*/*; charset=utf-8'],
    [
      { kind: 'plan', for: { kind: 'csv' }, format: 'json', options: ['analyze', 'buffers'] },
      'application/vnd.pgrst.plan+json; for="text/csv"; options=analyze|buffers',
      'application/vnd.pgrst.plan+json; for="text/csv"; options=analyze|buffers; charset=utf-8',
    ],
    [{ kind: 'plan', for: json, format: 'text', options: [] }, 'application/vnd.pgrst.plan+text; for="application/json"', 'application/vnd.pgrst.plan+text; for="application/json"; charset=utf-8'],
  ])('%j', (mt, mime, contentType) => {
    expect(toMime(mt)).toBe(mime)
    expect(contentTypeValue(mt)).toBe(contentType)
  })
})
