/**
 * @module test/spec/cases/read: GET/HEAD shaping — `select` (columns, `*`, empty, renames, casts,
 * JSON paths on json/jsonb and on other types through to_jsonb), quoted identifiers, views,
 * resource embedding (many-to-one, one-to-many, nested, !inner, embedded filters/order/limit),
 * HEAD, and the canonical `Content-Location`. Expectations follow PostgREST v16.2.
 */
import type { SpecCase } from '../types.ts'
import { ITEMS, JSON_CT, VARY, get, head, ids, items, okJson } from './common.ts'

const ALL = Object.keys(ITEMS[0] ?? {})

export const cases: SpecCase[] = [
  // --- select -------------------------------------------------------------------------------
  {
    name: 'read: all columns of one row, with the standard success headers',
    request: get('/items?id=eq.1'),
    expect: okJson(items([1], ALL), {
      'Content-Range': '0-0/*',
      'Content-Location': '/items?id=eq.1',
      Vary: VARY,
      'Preference-Applied': null,
    }),
  },
  {
    name: 'read: select=* returns every row and column',
    request: get('/items?select=*&order=id'),
    expect: okJson(items([1, 2, 3, 4, 5], ALL), { 'Content-Range': '0-4/*' }),
  },
  {
    name: 'read: empty select= returns all columns',
    request: get('/projects?select=&order=id'),
    expect: okJson([
      { id: 1, name: 'Windows 7', client_id: 1 },
      { id: 2, name: 'Windows 10', client_id: 1 },
      { id: 3, name: 'IOS', client_id: 2 },
      { id: 4, name: 'OSX', client_id: 2 },
      { id: 5, name: 'Orphan', client_id: null },
    ]),
  },
  {
    name: 'read: select named columns',
    request: get('/items?select=id,name&order=id'),
    expect: okJson(items([1, 2, 3, 4, 5], ['id', 'name']), {
      'Content-Range': '0-4/*',
      'Content-Location': '/items?order=id&select=id%2Cname',
    }),
  },
  {
    name: 'read: spaces around select items are ignored',
    request: get('/items?select=id,%20name%20&id=eq.2'),
    expect: okJson([{ id: 2, name: 'banana' }]),
  },
  {
    name: 'read: enum, range, array and tsvector columns',
    request: get('/items?select=mood,span,tags,body&id=eq.3'),
    expect: okJson([{ mood: 'sad', span: '[10,20)', tags: ['vegetable'], body: "'carrot':3 'orang':2 'root':4" }]),
  },
  {
    name: 'read: null values and the empty array',
    request: get('/items?select=price,tags,data,mood&id=eq.4'),
    expect: okJson([{ price: null, tags: [], data: null, mood: null }]),
  },
  {
    name: 'read: rename columns with alias:column',
    request: get('/items?select=identifier:id,label:name&id=eq.1'),
    expect: okJson([{ identifier: 1, label: 'apple' }]),
  },
  {
    name: 'read: cast a numeric column to text',
    request: get('/items?select=id,price::text&id=in.(1,3)&order=id'),
    expect: okJson([
      { id: 1, price: '1.50' },
      { id: 3, price: '0.10' },
    ]),
  },
  {
    name: 'read: rename and cast together',
    request: get('/items?select=p:price::text,id::text&id=eq.2'),
    expect: okJson([{ p: '0.25', id: '2' }]),
  },
  {
    name: 'read: cast an array column to text',
    request: get('/items?select=tags::text&id=eq.1'),
    expect: okJson([{ tags: '{fruit,red}' }]),
  },
  // --- JSON paths ---------------------------------------------------------------------------
  {
    name: 'read: jsonb -> key, aliased by the key',
    request: get('/items?select=id,data->color&order=id'),
    expect: okJson([
      { id: 1, color: 'red' },
      { id: 2, color: 'yellow' },
      { id: 3, color: 'orange' },
      { id: 4, color: null },
      { id: 5, color: 'brown' },
    ]),
  },
  {
    name: 'read: jsonb ->> key as text',
    request: get('/items?select=id,data->>color&id=in.(1,4)&order=id'),
    expect: okJson([
      { id: 1, color: 'red' },
      { id: 4, color: null },
    ]),
  },
  {
    name: 'read: nested jsonb path keeps the JSON number',
    request: get('/items?select=data->size->w&order=id'),
    expect: okJson([{ w: 3 }, { w: 5 }, { w: 2 }, { w: null }, { w: null }]),
  },
  {
    name: 'read: nested jsonb path ending in ->> gives text',
    request: get('/items?select=data->size->>w&id=eq.2'),
    expect: okJson([{ w: '5' }]),
  },
  {
    name: 'read: ->> of a jsonb array is its jsonb text',
    request: get('/items?select=data->>list&id=eq.1'),
    expect: okJson([{ list: '[1, 2, 3]' }]),
  },
  {
    name: 'read: array index in a jsonb path, aliased by the last key',
    request: get('/items?select=id,data->list->0&id=lt.4&order=id'),
    expect: okJson([
      { id: 1, list: 1 },
      { id: 2, list: 4 },
      { id: 3, list: null },
    ]),
  },
  {
    name: 'read: array index with ->> gives text',
    request: get('/items?select=data->list->>1&id=eq.1'),
    expect: okJson([{ list: '2' }]),
  },
  {
    name: 'read: negative array index counts from the end',
    request: get('/items?select=data->list->-1&id=in.(1,2)&order=id'),
    expect: okJson([{ list: 3 }, { list: 4 }]),
  },
  {
    name: 'read: a path of only an index is aliased by the column',
    request: get('/items?select=id,data->0&id=eq.1'),
    expect: okJson([{ id: 1, data: null }]),
  },
  {
    name: 'read: json (not jsonb) column -> key',
    request: get('/items?select=id,meta->a&id=eq.2'),
    expect: okJson([{ id: 2, a: 2 }]),
  },
  {
    name: 'read: json column ->> key with an alias',
    request: get('/items?select=m:meta->>a&id=eq.3'),
    expect: okJson([{ m: '3' }]),
  },
  {
    name: 'read: alias on a jsonb path',
    request: get('/items?select=colour:data->>color&id=eq.5'),
    expect: okJson([{ colour: 'brown' }]),
  },
  {
    name: 'read: cast at the end of a jsonb path',
    request: get('/items?select=data->size->>w::int&id=eq.1'),
    expect: okJson([{ w: 3 }]),
  },
  {
    name: 'read: missing keys in a jsonb path give null',
    request: get('/items?select=data->nope->x&id=eq.1'),
    expect: okJson([{ x: null }]),
  },
  {
    name: 'read: path on a non-JSON array column goes through to_jsonb',
    request: get('/items?select=tags->0&id=in.(1,3)&order=id'),
    expect: okJson([{ tags: 'fruit' }, { tags: 'vegetable' }]),
  },
  {
    name: 'read: path on a text column yields null',
    request: get('/items?select=name->x&id=eq.1'),
    expect: okJson([{ x: null }]),
  },
  // --- quoted identifiers -------------------------------------------------------------------
  {
    name: 'read: table whose name needs quoting',
    request: get('/Weird%20Names'),
    expect: okJson([{ Id: 1, 'a"b': 'q', 'with space': 's' }], { 'Content-Location': '/Weird Names', 'Content-Range': '0-0/*' }),
  },
  {
    name: 'read: select quoted column names (escaped quote, space)',
    request: get('/Weird%20Names?select=Id,%22a%5C%22b%22,with%20space'),
    expect: okJson([{ Id: 1, 'a"b': 'q', 'with space': 's' }]),
  },
  {
    name: 'read: rename a column with a space in its name',
    request: get('/Weird%20Names?select=x:%22with%20space%22'),
    expect: okJson([{ x: 's' }]),
  },
  {
    name: 'read: filter on a column with a space in its name',
    request: get('/Weird%20Names?with%20space=eq.s&select=Id'),
    expect: okJson([{ Id: 1 }]),
  },
  {
    name: 'read: filter on a quoted column containing a double quote',
    request: get('/Weird%20Names?%22a%5C%22b%22=eq.q&select=Id'),
    expect: okJson([{ Id: 1 }]),
  },
  {
    name: 'read: filter on a quoted column that matches nothing',
    request: get('/Weird%20Names?%22a%5C%22b%22=eq.s&select=Id'),
    expect: okJson([], { 'Content-Range': '*/*' }),
  },
  // --- views --------------------------------------------------------------------------------
  {
    name: 'read: a view, ordered and limited',
    request: get('/projects_view?select=id,name&order=id.desc&limit=2'),
    expect: okJson(
      [
        { id: 5, name: 'Orphan' },
        { id: 4, name: 'OSX' },
      ],
      { 'Content-Range': '0-1/*' },
    ),
  },
  // --- embedding ----------------------------------------------------------------------------
  {
    name: 'embed: many-to-one gives an object, or null when the key is null',
    request: get('/projects?select=id,name,clients(id,name)&order=id'),
    expect: okJson([
      { id: 1, name: 'Windows 7', clients: { id: 1, name: 'Microsoft' } },
      { id: 2, name: 'Windows 10', clients: { id: 1, name: 'Microsoft' } },
      { id: 3, name: 'IOS', clients: { id: 2, name: 'Apple' } },
      { id: 4, name: 'OSX', clients: { id: 2, name: 'Apple' } },
      { id: 5, name: 'Orphan', clients: null },
    ]),
  },
  {
    name: 'embed: alias on a many-to-one embed',
    request: get('/projects?select=id,client:clients(name)&id=eq.3'),
    expect: okJson([{ id: 3, client: { name: 'Apple' } }]),
  },
  {
    name: 'embed: aliases inside an embed',
    request: get('/projects?select=id,owner:clients(label:name)&id=eq.1'),
    expect: okJson([{ id: 1, owner: { label: 'Microsoft' } }]),
  },
  {
    name: 'embed: one-to-many gives an array',
    request: get('/clients?select=id,projects(id,name)&order=id&projects.order=id'),
    expect: okJson([
      {
        id: 1,
        projects: [
          { id: 1, name: 'Windows 7' },
          { id: 2, name: 'Windows 10' },
        ],
      },
      {
        id: 2,
        projects: [
          { id: 3, name: 'IOS' },
          { id: 4, name: 'OSX' },
        ],
      },
    ]),
  },
  {
    name: 'embed: nested one-to-many two levels deep, ordered at every level',
    request: get('/clients?select=name,projects(name,tasks(name))&order=id&projects.order=id&projects.tasks.order=id'),
    expect: okJson([
      {
        name: 'Microsoft',
        projects: [
          { name: 'Windows 7', tasks: [{ name: 'Design w7' }, { name: 'Code w7' }] },
          { name: 'Windows 10', tasks: [{ name: 'Design w10' }] },
        ],
      },
      {
        name: 'Apple',
        projects: [
          { name: 'IOS', tasks: [{ name: 'Design IOS' }] },
          { name: 'OSX', tasks: [] },
        ],
      },
    ]),
  },
  {
    name: 'embed: nested many-to-one chain',
    request: get('/tasks?select=name,projects(name,clients(name))&order=id'),
    expect: okJson([
      { name: 'Design w7', projects: { name: 'Windows 7', clients: { name: 'Microsoft' } } },
      { name: 'Code w7', projects: { name: 'Windows 7', clients: { name: 'Microsoft' } } },
      { name: 'Design w10', projects: { name: 'Windows 10', clients: { name: 'Microsoft' } } },
      { name: 'Design IOS', projects: { name: 'IOS', clients: { name: 'Apple' } } },
    ]),
  },
  {
    name: 'embed: * next to an embed',
    request: get('/clients?select=*,projects(id)&id=eq.2&projects.order=id'),
    expect: okJson([{ id: 2, name: 'Apple', projects: ids(3, 4) }]),
  },
  {
    name: 'embed: filter on a many-to-one embed nulls it without dropping parents',
    request: get('/projects?select=id,clients(name)&clients.name=eq.Apple&order=id'),
    expect: okJson([
      { id: 1, clients: null },
      { id: 2, clients: null },
      { id: 3, clients: { name: 'Apple' } },
      { id: 4, clients: { name: 'Apple' } },
      { id: 5, clients: null },
    ]),
  },
  {
    name: 'embed: !inner drops parents whose embed is filtered out',
    request: get('/projects?select=id,clients!inner(name)&clients.name=eq.Apple&order=id'),
    expect: okJson([
      { id: 3, clients: { name: 'Apple' } },
      { id: 4, clients: { name: 'Apple' } },
    ]),
  },
  {
    name: 'embed: order and limit on a one-to-many embed',
    request: get('/clients?select=id,projects(id)&order=id&projects.order=id.desc&projects.limit=1'),
    expect: okJson([
      { id: 1, projects: ids(2) },
      { id: 2, projects: ids(4) },
    ]),
  },
  {
    name: 'embed: filter leaving an empty array',
    request: get('/clients?select=id,projects(id)&projects.id=gt.10&order=id'),
    expect: okJson([
      { id: 1, projects: [] },
      { id: 2, projects: [] },
    ]),
  },
  {
    name: 'embed: a view embeds its parent and its children',
    request: get('/projects_view?select=id,clients(name),tasks(id)&id=eq.1&tasks.order=id'),
    expect: okJson([{ id: 1, clients: { name: 'Microsoft' }, tasks: ids(1, 2) }]),
  },
  {
    name: 'embed: order by a many-to-one embed column',
    request: get('/projects?select=id,clients(name)&order=clients(name).desc,id'),
    expect: okJson([
      { id: 5, clients: null },
      { id: 1, clients: { name: 'Microsoft' } },
      { id: 2, clients: { name: 'Microsoft' } },
      { id: 3, clients: { name: 'Apple' } },
      { id: 4, clients: { name: 'Apple' } },
    ]),
  },
  {
    name: 'embed: hint by foreign key column',
    request: get('/projects?select=id,clients!client_id(name)&id=eq.1'),
    expect: okJson([{ id: 1, clients: { name: 'Microsoft' } }]),
  },
  {
    name: 'embed: hint by foreign key constraint name',
    request: get('/projects?select=id,clients!projects_client_id_fkey(name)&id=eq.3'),
    expect: okJson([{ id: 3, clients: { name: 'Apple' } }]),
  },
  {
    name: 'embed: !left is the default join',
    request: get('/projects?select=id,clients!left(name)&clients.name=eq.Apple&id=in.(2,3)&order=id'),
    expect: okJson([
      { id: 2, clients: null },
      { id: 3, clients: { name: 'Apple' } },
    ]),
  },
  {
    name: 'embed: offset on a one-to-many embed',
    request: get('/clients?select=id,projects(id)&order=id&projects.order=id&projects.offset=1'),
    expect: okJson([
      { id: 1, projects: ids(2) },
      { id: 2, projects: ids(4) },
    ]),
  },
  {
    name: 'embed: filters address an aliased embed by its alias',
    request: get('/projects?select=id,c:clients(name)&c.name=eq.Apple&id=in.(1,3)&order=id'),
    expect: okJson([
      { id: 1, c: null },
      { id: 3, c: { name: 'Apple' } },
    ]),
  },
  {
    name: 'embed: count=exact counts the parents left by !inner',
    request: get('/projects?select=id,clients!inner(name)&clients.name=eq.Apple&order=id', { Prefer: 'count=exact' }),
    expect: okJson(
      [
        { id: 3, clients: { name: 'Apple' } },
        { id: 4, clients: { name: 'Apple' } },
      ],
      { 'Content-Range': '0-1/2' },
    ),
  },
  {
    name: 'embed: empty embed with not.is.null filters without showing the embed',
    request: get('/projects?select=id,clients()&clients.name=eq.Apple&clients=not.is.null&order=id'),
    expect: okJson(ids(3, 4)),
  },
  {
    name: 'embed: is.null on a to-many embed is an anti-join',
    request: get('/projects?select=id,tasks()&tasks=is.null&order=id'),
    expect: okJson(ids(4, 5)),
  },
  {
    name: 'embed: is.null on a to-one embed',
    request: get('/projects?select=id,clients(id)&clients=is.null'),
    expect: okJson([{ id: 5, clients: null }]),
  },
  {
    name: 'embed: null-embed filter inside or',
    request: get('/projects?select=id,clients(name)&or=(clients.is.null,id.eq.1)&order=id'),
    expect: okJson([
      { id: 1, clients: { name: 'Microsoft' } },
      { id: 5, clients: null },
    ]),
  },
  {
    name: 'embed: spread a many-to-one embed into the parent',
    request: get('/projects?select=id,...clients(client_name:name)&order=id'),
    expect: okJson([
      { id: 1, client_name: 'Microsoft' },
      { id: 2, client_name: 'Microsoft' },
      { id: 3, client_name: 'Apple' },
      { id: 4, client_name: 'Apple' },
      { id: 5, client_name: null },
    ]),
  },
  {
    name: 'embed: spread a one-to-many embed into correlated arrays',
    request: get('/clients?select=id,...projects(project_ids:id,project_names:name)&order=id&projects.order=id'),
    expect: okJson([
      { id: 1, project_ids: [1, 2], project_names: ['Windows 7', 'Windows 10'] },
      { id: 2, project_ids: [3, 4], project_names: ['IOS', 'OSX'] },
    ]),
  },
  {
    name: 'read: a quoted JSON key in a path',
    request: get('/items?select=data->>%22color%22&id=eq.2'),
    expect: okJson([{ color: 'yellow' }]),
  },
  {
    name: 'embed: the same relation twice under two aliases',
    request: get('/projects?select=id,a:clients(name),b:clients(id)&id=eq.1'),
    expect: okJson([{ id: 1, a: { name: 'Microsoft' }, b: { id: 1 } }]),
  },
  {
    name: 'embed: nested !inner filtered two levels down',
    request: get('/clients?select=id,projects!inner(id,tasks!inner(id))&projects.tasks.name=eq.Design%20IOS'),
    expect: okJson([{ id: 2, projects: [{ id: 3, tasks: ids(4) }] }]),
  },
  {
    name: 'embed: filter on a nested embed',
    request: get('/clients?select=id,projects(id,tasks(name))&projects.tasks.name=like.Design*&order=id&projects.order=id'),
    expect: okJson([
      {
        id: 1,
        projects: [
          { id: 1, tasks: [{ name: 'Design w7' }] },
          { id: 2, tasks: [{ name: 'Design w10' }] },
        ],
      },
      {
        id: 2,
        projects: [
          { id: 3, tasks: [{ name: 'Design IOS' }] },
          { id: 4, tasks: [] },
        ],
      },
    ]),
  },
  {
    name: 'embed: cast inside an embed',
    request: get('/projects?select=id,clients(id::text)&id=eq.1'),
    expect: okJson([{ id: 1, clients: { id: '1' } }]),
  },
  {
    name: 'embed: a table embeds a view through the derived relationship',
    request: get('/clients?select=id,projects_view(id)&order=id&projects_view.order=id'),
    expect: okJson([
      { id: 1, projects_view: ids(1, 2) },
      { id: 2, projects_view: ids(3, 4) },
    ]),
  },
  // --- HEAD ---------------------------------------------------------------------------------
  {
    name: 'head: no body, same headers as GET',
    request: head('/items?order=id'),
    expect: {
      status: 200,
      text: '',
      headers: {
        'Content-Type': JSON_CT,
        'Content-Range': '0-4/*',
        'Content-Location': '/items?order=id',
        'Content-Profile': 'test',
        Vary: VARY,
      },
    },
  },
  {
    name: 'head: with count=exact',
    request: head('/items?select=id', { Prefer: 'count=exact' }),
    expect: { status: 200, text: '', headers: { 'Content-Range': '0-4/5', 'Preference-Applied': 'count=exact' } },
  },
  {
    name: 'head: partial content with limit and count=exact',
    request: head('/items?select=id&limit=2', { Prefer: 'count=exact' }),
    expect: { status: 206, text: '', headers: { 'Content-Range': '0-1/5' } },
  },
  {
    name: 'head: the Range header is ignored for methods other than GET',
    request: head('/items?select=id', { Range: '0-1' }),
    expect: { status: 200, text: '', headers: { 'Content-Range': '0-4/*' } },
  },
  // --- Content-Location ---------------------------------------------------------------------
  {
    name: 'content-location: parameters sorted by name',
    request: get('/items?select=id&name=eq.apple&id=gt.0'),
    expect: okJson(ids(1), { 'Content-Location': '/items?id=gt.0&name=eq.apple&select=id' }),
  },
  {
    name: 'content-location: repeated parameters are joined with commas',
    request: get('/items?id=gt.1&id=lt.3&select=id'),
    expect: okJson(ids(2), { 'Content-Location': '/items?id=gt.1,lt.3&select=id' }),
  },
  {
    name: 'content-location: reserved characters are percent-encoded',
    request: get('/items?select=id,name&name=like.*an*&order=id'),
    expect: okJson(items([2, 4], ['id', 'name']), { 'Content-Location': '/items?name=like.%2Aan%2A&order=id&select=id%2Cname' }),
  },
  {
    name: 'content-location: a parameter without value is kept but is not a filter',
    request: get('/items?select=id&id=eq.1&foo'),
    expect: okJson(ids(1), { 'Content-Location': '/items?foo=&id=eq.1&select=id' }),
  },
  {
    name: 'content-location: non-ASCII bytes are percent-encoded twice, as PostgREST v16.2 does',
    request: get('/items?name=eq.%C3%89clair&select=id'),
    expect: okJson(ids(5), { 'Content-Location': '/items?name=eq.%C3%83%C2%89clair&select=id' }),
  },
  {
    name: 'read: a repeated select uses the first one',
    request: get('/items?select=id&select=name&id=eq.1'),
    expect: okJson(ids(1), { 'Content-Location': '/items?id=eq.1&select=id,name' }),
  },
  {
    name: 'read: a non-ASCII alias',
    request: get('/items?select=%C3%B1ame:name&id=eq.1'),
    expect: okJson([{ ñame: 'apple' }]),
  },
]
