/**
 * Introspection against the real PostgreSQL of the global setup: loads
 * test/fixtures/schema-cache/sc_test.sql (schemas sc_test, sc_private, sc_extra, sc_hidden) and
 * checks the snapshot precisely — relations and columns, view keys through chains of views,
 * every derived relationship in order, routines, representations, media handlers — then that
 * the result does not depend on the session's search_path or on the driver (pg, Neon HTTP
 * through an Executor), that it is deterministic, that the fingerprint follows the catalog, and
 * the CLI (the package bin, which runs the compiled CLI, is test/package/pack.test.ts's).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import pg from 'pg'
import { beforeAll, describe, expect, it } from 'vitest'
import { main } from '../../schema-cache/cli.ts'
import { executorQuery } from '../../schema-cache/executor-query.ts'
import { introspectUrl } from '../../schema-cache/from-url.ts'
import { introspect } from '../../schema-cache/introspect.ts'
import { formatSnapshot } from '../../schema-cache/snapshot-json.ts'
import { createNeonHttpExecutor } from '../../src/execute/neon-http.ts'
import { loadSchemaCache, loadSchemaCacheOrThrow } from '../../src/schema-cache/load.ts'
import { packSnapshot } from '../../schema-cache/pack.ts'
import { findRoutines, findTable, relationshipsFrom } from '../../src/schema-cache/lookup.ts'
import type { QualifiedIdentifier, Relationship, SchemaCacheSnapshot, Table } from '../../src/schema-cache/types.ts'
import { stackUrls, superuserQuery, withApplicationName } from '../helpers/stack.ts'

const { dbUrl, authUrl, neonHttpUrl } = stackUrls()
const fixture = fileURLToPath(new URL('../fixtures/schema-cache/sc_test.sql', import.meta.url))
const OPTS = { schemas: ['sc_test'], extraSearchPath: ['sc_extra'], generatedAt: '2026-01-01T00:00:00.000Z' } as const

let snap: SchemaCacheSnapshot

beforeAll(async () => {
  await superuserQuery(readFileSync(fixture, 'utf8'))
  snap = await introspectUrl(dbUrl, OPTS)
})

const table = (name: string): Table => {
  const t = snap.tables.find((x) => x.schema === 'sc_test' && x.name === name)
  if (t === undefined) throw new Error(`no table ${name}`)
  return t
}

/** One line per relationship: kind, ends ((v) = view), constraint or junction, column pairs. */
const render = (r: Relationship): string => {
  const name = (q: QualifiedIdentifier, isView = false): string =>
    (q.schema === 'sc_test' ? '' : `${q.schema}.`) + q.name + (isView ? '(v)' : '')
  const pairs = (ps: readonly (readonly [string, string])[]): string => ps.map(([a, b]) => `${a}=${b}`).join(',')
  if (r.kind === 'computed') {
    return `computed ${name(r.table)} -> ${name(r.foreignTable)} via ${name(r.function)}${r.toOne ? ' to-one' : ''}${r.isSelf ? ' self' : ''}`
  }
  const c = r.cardinality
  const head = `${c.kind} ${name(r.table, r.tableIsView)} -> ${name(r.foreignTable, r.foreignTableIsView)}${r.isSelf ? ' self' : ''}`
  switch (c.kind) {
    case 'M2M':
      return `${head} via ${name(c.junction.table)} ${c.junction.constraint1}/${c.junction.constraint2} [${pairs(c.junction.colsSource)}] [${pairs(c.junction.colsTarget)}]`
    case 'O2O':
      return `${head} ${c.constraint} [${pairs(c.columns)}] ${c.isParent ? 'parent' : 'child'}`
    case 'O2M':
    case 'M2O':
      return `${head} ${c.constraint} [${pairs(c.columns)}]`
  }
}

describe('snapshot envelope', () => {
  it('records format, version, server, schemas and a hex SHA-256 fingerprint', () => {
    expect(snap.format).toBe('edgerest-schema-cache')
    expect(snap.version).toBe(2)
    expect(snap.generatedAt).toBe(OPTS.generatedAt)
    expect(snap.pgVersion.num).toBeGreaterThanOrEqual(140000)
    expect(snap.pgVersion.full).toMatch(/^PostgreSQL \d+/)
    expect(snap.schemas).toEqual(['sc_test', 'sc_extra'])
    expect(snap.fingerprint).toMatch(/^[0-9a-f]{64}$/)
  })

  it('loads with loadSchemaCache', () => {
    const loaded = loadSchemaCache(JSON.parse(formatSnapshot(snap, 'pretty')))
    expect(loaded.ok).toBe(true)
    if (!loaded.ok) return
    expect(findTable(loaded.value, 'sc_test', 'clients')?.pkCols).toEqual(['id'])
    expect(relationshipsFrom(loaded.value, { schema: 'sc_test', name: 'clients' }).map(render)[0]).toBe(
      'O2M clients -> client_counts(v) projects_client_id_fkey [id=client_id]',
    )
    expect(findRoutines(loaded.value, 'sc_test', 'add').map((r) => r.params.length)).toEqual([1, 2])
  })
})

describe('relations', () => {
  it('lists the exposed relations in name order, without partitions or other schemas', () => {
    expect(snap.tables.map((t) => `${t.schema}.${t.name}`)).toEqual(
      [
        'authors', 'books', 'books_v2', 'books_v3', 'cities', 'client_counts', 'client_details', 'client_names',
        'clients', 'clients_hh', 'countries', 'employees', 'passports', 'players', 'projects', 'projects_xx',
        'sale_notes', 'sales', 'teams', 'user_project_log', 'users', 'users_projects',
      ].map((n) => `sc_test.${n}`),
    )
  })

  it('describes a table completely', () => {
    expect(table('clients')).toEqual({
      schema: 'sc_test',
      name: 'clients',
      description: 'Our clients',
      isView: false,
      insertable: true,
      updatable: true,
      deletable: true,
      pkCols: ['id'],
      columns: [
        { name: 'id', description: null, nullable: false, type: 'integer', nominalType: 'integer', maxLen: null, default: null, enum: [] },
        { name: 'name', description: 'Client name', nullable: false, type: 'text', nominalType: 'text', maxLen: null, default: null, enum: [] },
      ],
    })
  })

  it('records column types, nominal types, lengths, defaults, enums and nullability', () => {
    const col = (name: string) => ({ description: null, maxLen: null, default: null, enum: [], nullable: true, name })
    expect(table('projects').columns).toEqual([
      { ...col('id'), nullable: false, type: 'integer', nominalType: 'integer', default: "nextval('sc_test.projects_id_seq'::regclass)" },
      { ...col('name'), type: 'character varying', nominalType: 'character varying(50)', maxLen: 50 },
      { ...col('client_id'), type: 'integer', nominalType: 'integer' },
      { ...col('mood'), type: 'sc_test.mood', nominalType: 'sc_test.mood', default: "'ok'::sc_test.mood", enum: ['sad', 'ok', 'happy'] },
      // a domain over an enum keeps its name as type (its base type is not built in) and the labels
      { ...col('feeling'), type: 'sc_test.mood_dom', nominalType: 'sc_test.mood_dom', enum: ['sad', 'ok', 'happy'] },
      { ...col('tags'), type: 'text[]', nominalType: 'text[]' },
      { ...col('code'), type: 'character', nominalType: 'character(3)', maxLen: 3 },
      // a NOT NULL domain with a default over varchar(20)
      { ...col('label'), nullable: false, type: 'character varying', nominalType: 'sc_test.short_text', maxLen: 20, default: "'x'::character varying" },
      { ...col('price'), type: 'numeric', nominalType: 'numeric(10,2)', default: '0' },
      { ...col('color'), type: 'integer', nominalType: 'sc_test.color' },
      { ...col('owner_id'), type: 'integer', nominalType: 'integer' },
    ])
  })

  it('gives identity-by-default columns their sequence and generated columns no default', () => {
    expect(table('passports').columns[0]?.default).toBe("nextval('sc_test.passports_id_seq')")
    expect(table('employees').columns.map((c) => [c.name, c.default, c.nullable])).toEqual([
      ['id', null, false],
      ['manager_id', null, true],
      ['badge', null, false],
      ['double_id', null, true],
    ])
  })

  it('tells views from tables and which views accept writes', () => {
    const flags = (n: string): string => {
      const t = table(n)
      return `${t.isView ? 'view' : 'table'} ${t.insertable ? 'I' : '-'}${t.updatable ? 'U' : '-'}${t.deletable ? 'D' : '-'} ${t.description ?? ''}`.trim()
    }
    expect(flags('authors')).toBe('view IUD Authors, from the private schema')
    expect(flags('client_counts')).toBe('view ---')
    expect(flags('client_names')).toBe('view ---') // materialized view
    expect(flags('sales')).toBe('table IUD') // partitioned
  })

  it('gives views the primary keys they expose, through chains of views', () => {
    const pk = (n: string) => table(n).pkCols
    expect(pk('authors')).toEqual(['id'])
    expect(pk('books')).toEqual(['book_id'])
    expect(pk('books_v3')).toEqual(['book_id'])
    expect(pk('projects_xx')).toEqual(['pid']) // through sc_extra.projects_x (extra search path)
    expect(pk('client_names')).toEqual(['id'])
    expect(pk('clients_hh')).toEqual([]) // through sc_hidden, which is not followed
    expect(pk('client_counts')).toEqual([])
    expect(pk('users_projects')).toEqual(['project_id', 'user_id']) // tables: sorted by name
    expect(pk('countries')).toEqual(['code', 'region'])
  })
})

describe('relationships', () => {
  it('derives every relationship, in PostgREST order', () => {
    expect(snap.relationships.map(render)).toEqual([
      'O2M authors(v) -> books(v) books_author_fkey [id=author_id]',
      'O2M authors(v) -> books(v) books_author_fkey [id=writer_id]',
      'O2M authors(v) -> books_v2(v) books_author_fkey [id=author_id]',
      'O2M authors(v) -> books_v3(v) books_author_fkey [id=author_id]',
      'M2O books(v) -> authors(v) books_author_fkey [author_id=id]',
      'M2O books(v) -> authors(v) books_author_fkey [writer_id=id]',
      'M2O books_v2(v) -> authors(v) books_author_fkey [author_id=id]',
      'M2O books_v3(v) -> authors(v) books_author_fkey [author_id=id]',
      'M2O cities -> countries cities_country_fkey [country_code=code,country_region=region]',
      'M2O client_counts(v) -> client_names(v) projects_client_id_fkey [client_id=id]',
      'M2O client_counts(v) -> clients projects_client_id_fkey [client_id=id]',
      'O2O client_details -> client_names(v) client_details_client_id_fkey [client_id=id] child',
      'O2O client_details -> clients client_details_client_id_fkey [client_id=id] child',
      'O2M client_names(v) -> client_counts(v) projects_client_id_fkey [id=client_id]',
      'O2O client_names(v) -> client_details client_details_client_id_fkey [id=client_id] parent',
      'O2O client_names(v) -> passports passports_client_id_fkey [id=client_id] parent',
      'O2M client_names(v) -> projects projects_client_id_fkey [id=client_id]',
      'O2M client_names(v) -> projects_xx(v) projects_client_id_fkey [id=client_id]',
      'O2M client_names(v) -> sales sales_client_id_fkey [id=client_id]',
      'O2M clients -> client_counts(v) projects_client_id_fkey [id=client_id]',
      'O2O clients -> client_details client_details_client_id_fkey [id=client_id] parent',
      'O2O clients -> passports passports_client_id_fkey [id=client_id] parent',
      'O2M clients -> projects projects_client_id_fkey [id=client_id]',
      'O2M clients -> projects_xx(v) projects_client_id_fkey [id=client_id]',
      'O2M clients -> sales sales_client_id_fkey [id=client_id]',
      'O2M countries -> cities cities_country_fkey [code=country_code,region=country_region]',
      'O2M employees -> employees self employees_manager_id_fkey [id=manager_id]',
      'M2O employees -> employees self employees_manager_id_fkey [manager_id=id]',
      'O2O passports -> client_names(v) passports_client_id_fkey [client_id=id] child',
      'O2O passports -> clients passports_client_id_fkey [client_id=id] child',
      'M2O projects -> client_names(v) projects_client_id_fkey [client_id=id]',
      'M2O projects -> clients projects_client_id_fkey [client_id=id]',
      'O2M projects -> user_project_log user_project_log_project_id_fkey [id=project_id]',
      'M2M projects -> users via users_projects users_projects_project_id_fkey/users_projects_user_id_fkey [id=project_id] [id=user_id]',
      'O2M projects -> users_projects users_projects_project_id_fkey [id=project_id]',
      'M2O projects_xx(v) -> client_names(v) projects_client_id_fkey [client_id=id]',
      'M2O projects_xx(v) -> clients projects_client_id_fkey [client_id=id]',
      'O2M projects_xx(v) -> user_project_log user_project_log_project_id_fkey [pid=project_id]',
      'M2M projects_xx(v) -> users via users_projects users_projects_project_id_fkey/users_projects_user_id_fkey [pid=project_id] [id=user_id]',
      'O2M projects_xx(v) -> users_projects users_projects_project_id_fkey [pid=project_id]',
      'M2O sale_notes -> sales sale_notes_sale_id_sale_on_fkey [sale_id=id,sale_on=sold_on]',
      'M2O sales -> client_names(v) sales_client_id_fkey [client_id=id]',
      'M2O sales -> clients sales_client_id_fkey [client_id=id]',
      'O2M sales -> sale_notes sale_notes_sale_id_sale_on_fkey [id=sale_id,sold_on=sale_on]',
      // players -> teams is replaced by the computed relationship sc_test.teams(players)
      'O2M teams -> players players_team_id_fkey [id=team_id]',
      'M2O user_project_log -> projects user_project_log_project_id_fkey [project_id=id]',
      'M2O user_project_log -> projects_xx(v) user_project_log_project_id_fkey [project_id=pid]',
      'M2O user_project_log -> users user_project_log_user_id_fkey [user_id=id]',
      'M2M users -> projects via users_projects users_projects_user_id_fkey/users_projects_project_id_fkey [id=user_id] [id=project_id]',
      'M2M users -> projects_xx(v) via users_projects users_projects_user_id_fkey/users_projects_project_id_fkey [id=user_id] [pid=project_id]',
      'O2M users -> user_project_log user_project_log_user_id_fkey [id=user_id]',
      'O2M users -> users_projects users_projects_user_id_fkey [id=user_id]',
      'M2O users_projects -> projects users_projects_project_id_fkey [project_id=id]',
      'M2O users_projects -> projects_xx(v) users_projects_project_id_fkey [project_id=pid]',
      'M2O users_projects -> users users_projects_user_id_fkey [user_id=id]',
      'computed clients -> projects via client_projects',
      'computed clients -> projects via first_project to-one',
      'computed employees -> employees via manager to-one self',
      'computed players -> teams via teams to-one',
    ])
    expect(snap.hiddenRelationshipSources).toEqual([])
  })

  it('notes relations whose only relationships go through an unexposed junction', async () => {
    // users and clients are joined only through sc_hidden.memberships: the many-to-many is
    // dropped, but PostgREST keeps the (table, schema) entry (it silences a PGRST200 hint).
    await superuserQuery(`
      CREATE TABLE sc_test.lonely_a (id int PRIMARY KEY);
      CREATE TABLE sc_test.lonely_b (id int PRIMARY KEY);
      CREATE TABLE sc_hidden.memberships (a_id int REFERENCES sc_test.lonely_a, b_id int REFERENCES sc_test.lonely_b, PRIMARY KEY (a_id, b_id));
    `)
    try {
      const s = await introspectUrl(dbUrl, OPTS)
      expect(s.relationships.filter((r) => r.table.name.startsWith('lonely') || r.foreignTable.name.startsWith('lonely'))).toEqual([])
      expect(s.hiddenRelationshipSources).toEqual([
        { table: { schema: 'sc_test', name: 'lonely_a' }, schema: 'sc_test' },
        { table: { schema: 'sc_test', name: 'lonely_b' }, schema: 'sc_test' },
      ])
    } finally {
      await superuserQuery('DROP TABLE sc_hidden.memberships, sc_test.lonely_a, sc_test.lonely_b')
    }
  })
})

describe('routines', () => {
  const routine = (name: string, params = 0) => {
    const r = snap.routines.find((x) => x.name === name && x.params.length === params)
    if (r === undefined) throw new Error(`no routine ${name}/${params}`)
    return r
  }

  it('lists the callable functions of the exposed schemas, overloads fewest parameters first', () => {
    expect(snap.routines.map((r) => `${r.name}/${r.params.length}`)).toEqual([
      'add/1', 'add/2', 'any_step/2', 'char_params/3', 'client_alias_ret/0', 'custom_json/0', 'domain_ret/0',
      'get_projects/1', 'get_table/1', 'hello_html/0', 'html_step/2', 'json_to_color/1', 'many_html/0',
      'out_params/1', 'sum_all/1', 'text_to_color/1', 'unnamed_text/1', 'with_settings/0',
    ])
    // left out: unnamed_int (one unnamed integer parameter), the procedure, the trigger function,
    // aggregates, and sc_hidden.hidden_fn
  })

  it('records parameters, return type, volatility and description', () => {
    expect(routine('add', 2)).toEqual({
      schema: 'sc_test',
      name: 'add',
      description: 'Adds two numbers',
      params: [
        { name: 'a', type: 'integer', typeMaxLength: 'integer', required: true, variadic: false },
        { name: 'b', type: 'integer', typeMaxLength: 'integer', required: false, variadic: false },
      ],
      returnType: { kind: 'single', type: { kind: 'scalar', qi: { schema: 'pg_catalog', name: 'int4' } } },
      volatility: 'immutable',
      hasVariadic: false,
      isolationLevel: null,
      settings: [],
      // Input types by schema and pg_type name, whatever the search_path.
      signature: 'add(pg_catalog.int4,pg_catalog.int4)',
    })
    expect(routine('sum_all', 1).signature).toBe('sum_all(pg_catalog._int4)')
    expect(routine('sum_all', 1).params).toEqual([
      { name: 'nums', type: 'integer[]', typeMaxLength: 'integer[]', required: true, variadic: true },
    ])
    expect(routine('sum_all', 1).hasVariadic).toBe(true)
    expect(routine('char_params', 3).params.map((p) => [p.type, p.typeMaxLength])).toEqual([
      ['character', 'character varying'],
      ['bit', 'bit varying'],
      ['character[]', 'character varying[]'],
    ])
    expect(routine('unnamed_text', 1).params).toEqual([
      { name: '', type: 'text', typeMaxLength: 'text', required: true, variadic: false },
    ])
  })

  it('classifies return types', () => {
    expect(routine('get_projects', 1).returnType).toEqual({
      kind: 'setOf',
      type: { kind: 'composite', qi: { schema: 'sc_test', name: 'projects' }, isDomainAlias: false },
    })
    expect(routine('get_table', 1).returnType).toEqual({
      kind: 'setOf',
      type: { kind: 'composite', qi: { schema: 'pg_catalog', name: 'record' }, isDomainAlias: false },
    })
    expect(routine('out_params', 1).returnType).toEqual({
      kind: 'single',
      type: { kind: 'composite', qi: { schema: 'pg_catalog', name: 'record' }, isDomainAlias: false },
    })
    expect(routine('client_alias_ret').returnType).toEqual({
      kind: 'single',
      type: { kind: 'composite', qi: { schema: 'sc_test', name: 'clients' }, isDomainAlias: true },
    })
    // a scalar domain is recorded as its base type
    expect(routine('domain_ret').returnType).toEqual({ kind: 'single', type: { kind: 'scalar', qi: { schema: 'pg_catalog', name: 'text' } } })
    expect(routine('with_settings').returnType).toEqual({ kind: 'single', type: { kind: 'scalar', qi: { schema: 'pg_catalog', name: 'void' } } })
  })

  it('reads the isolation level and the other function settings', () => {
    const r = routine('with_settings')
    expect(r.isolationLevel).toBe('serializable')
    expect(r.settings).toEqual([
      ['default_transaction_isolation', 'serializable'],
      ['statement_timeout', '5s'],
    ])
  })
})

describe('representations and media type handlers', () => {
  it('records implicit casts between domains and json/text', () => {
    expect(snap.representations).toEqual([
      { sourceType: 'json', targetType: 'sc_test.color', function: 'sc_test.json_to_color' },
      { sourceType: 'sc_test.color', targetType: 'json', function: 'sc_test.color_to_json' },
    ])
  })

  it('records aggregates and functions returning media type domains', () => {
    expect(snap.mediaHandlers).toEqual([
      { mediaType: '*/*', function: { schema: 'sc_test', name: 'any_octets' }, relation: null },
      { mediaType: '*/*', function: { schema: 'sc_test', name: '*/*' }, relation: { schema: 'sc_test', name: 'any_step' } },
      {
        mediaType: 'application/vnd.custom+json',
        function: { schema: 'sc_test', name: 'Application/Vnd.Custom+JSON' },
        relation: { schema: 'sc_test', name: 'custom_json' },
      },
      { mediaType: 'text/html', function: { schema: 'sc_test', name: 'text/html' }, relation: { schema: 'sc_test', name: 'hello_html' } },
      { mediaType: 'text/html', function: { schema: 'sc_test', name: 'text/html' }, relation: { schema: 'sc_test', name: 'html_step' } },
      { mediaType: 'text/html', function: { schema: 'sc_test', name: 'projects_html' }, relation: { schema: 'sc_test', name: 'projects' } },
    ])
  })
})

describe('stability', () => {
  it('is deterministic: a second run writes the same bytes', async () => {
    const again = await introspectUrl(dbUrl, OPTS)
    expect(again.fingerprint).toBe(snap.fingerprint)
    expect(formatSnapshot(again, 'pretty')).toBe(formatSnapshot(snap, 'pretty'))
    expect(formatSnapshot(again, 'compact')).toBe(formatSnapshot(snap, 'compact'))
    expect(formatSnapshot(again, 'compact')).toBe(JSON.stringify(packSnapshot(snap)))
  })

  it('does not depend on the session search_path', async () => {
    const client = new pg.Client({ connectionString: dbUrl })
    await client.connect()
    try {
      await client.query('SET search_path = sc_test, sc_extra, public')
      const s = await introspect(async (text, params) => (await client.query(text, params)).rows, OPTS)
      expect(JSON.stringify(s)).toBe(JSON.stringify(snap))
      // and the statement-local empty search_path did not leak into the session
      expect((await client.query('SHOW search_path')).rows[0]).toEqual({ search_path: 'sc_test, sc_extra, public' })
    } finally {
      await client.end()
    }
  })

  it('gives the same snapshot through the Neon HTTP executor (text results, authenticator role)', async () => {
    const executor = createNeonHttpExecutor({ connectionString: withApplicationName(authUrl, 'schema_cache_test'), fetchEndpoint: neonHttpUrl })
    const s = await introspect(executorQuery(executor), OPTS)
    // The catalog reads the same; what the login role may switch to and its settings are its own.
    const catalog = ({ settings: _s, fingerprint: _f, ...rest }: SchemaCacheSnapshot): unknown => rest
    expect(JSON.stringify(catalog(s))).toBe(JSON.stringify(catalog(snap)))
    expect(s.settings?.loginRole).toBe('authenticator')
    expect(snap.settings?.loginRole).toBe('postgres')
  })

  it('changes the fingerprint with the catalog, and only then', async () => {
    await superuserQuery(`COMMENT ON COLUMN sc_test.teams.id IS 'changed'`)
    try {
      const changed = await introspectUrl(dbUrl, OPTS)
      expect(changed.fingerprint).not.toBe(snap.fingerprint)
    } finally {
      await superuserQuery('COMMENT ON COLUMN sc_test.teams.id IS NULL')
    }
    expect((await introspectUrl(dbUrl, OPTS)).fingerprint).toBe(snap.fingerprint)
    // other schemas, or the time of generation, do not count
    expect((await introspectUrl(dbUrl, { ...OPTS, generatedAt: undefined })).fingerprint).toBe(snap.fingerprint)
    expect((await introspectUrl(dbUrl, { ...OPTS, extraSearchPath: ['public'] })).fingerprint).not.toBe(snap.fingerprint)
  })

  it('refuses schemas that do not exist', async () => {
    await expect(introspectUrl(dbUrl, { schemas: ['sc_test', 'sc_nope'] })).rejects.toThrow(
      'schema cache introspection: schema "sc_nope" not found in the database',
    )
    await expect(introspectUrl(dbUrl, { schemas: [] })).rejects.toThrow('no schemas given')
  })
})

describe('CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edgerest-sc-'))
  const args = ['--db-uri', dbUrl, '--schemas', 'sc_test', '--extra-search-path', 'sc_extra']
  const SUMMARY = '22 relations, 59 relationships, 18 functions, 2 representations, 6 media type handlers'

  /** Runs the CLI capturing what it prints. */
  const run = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    let stdout = ''
    let stderr = ''
    const code = await main(argv, env, {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
    })
    return { code, stdout, stderr }
  }

  it('writes the snapshot, leaves an unchanged one alone, and checks staleness', async () => {
    const out = join(dir, 'snapshot.json')
    expect(await run([...args, '--out', out])).toEqual({ code: 0, stdout: '', stderr: `wrote ${out}: ${SUMMARY}\n` })
    const written = JSON.parse(readFileSync(out, 'utf8')) as SchemaCacheSnapshot
    expect(written.fingerprint).toBe(snap.fingerprint)
    expect({ ...written, generatedAt: OPTS.generatedAt }).toEqual(snap)

    // same catalog: the file (and its generatedAt) stays as it is, unless forced
    writeFileSync(out, readFileSync(out, 'utf8').replace(written.generatedAt, '2000-01-01T00:00:00.000Z'))
    expect(await run([...args, '--out', out])).toEqual({ code: 0, stdout: '', stderr: `${out} unchanged (${SUMMARY})\n` })
    expect(readFileSync(out, 'utf8')).toContain('2000-01-01T00:00:00.000Z')
    expect((await run([...args, '--out', out, '--force'])).code).toBe(0)
    expect(readFileSync(out, 'utf8')).not.toContain('2000-01-01T00:00:00.000Z')

    // the same catalog in the other encoding is rewritten: --compact switches to the packed one and back
    expect((await run([...args, '--out', out, '--compact'])).stderr).toBe(`wrote ${out}: ${SUMMARY}\n`)
    expect((JSON.parse(readFileSync(out, 'utf8')) as { encoding?: string }).encoding).toBe('packed')
    expect((await run([...args, '--out', out, '--compact'])).stderr).toBe(`${out} unchanged (${SUMMARY})\n`)
    expect((await run([...args, '--out', out])).stderr).toBe(`wrote ${out}: ${SUMMARY}\n`)
    expect((JSON.parse(readFileSync(out, 'utf8')) as { encoding?: string }).encoding).toBeUndefined()

    const short = snap.fingerprint.slice(0, 12)
    expect(await run([...args, '--check', out])).toEqual({ code: 0, stdout: '', stderr: `${out} is up to date (fingerprint ${short})\n` })
    const stale = await run(['--db-uri', dbUrl, '--schemas', 'sc_test', '--extra-search-path', 'public', '--check', out])
    expect(stale.code).toBe(3)
    expect(stale.stderr).toMatch(new RegExp(`^${out} is stale: its fingerprint is ${short}, the database's is [0-9a-f]{12}; regenerate it with npm run schema-cache\n$`))

    // a current packed snapshot with a corrupt record or lookup row is reported, and rewritten
    expect((await run([...args, '--out', out, '--compact'])).code).toBe(0)
    const packedText = readFileSync(out, 'utf8')
    const packed = JSON.parse(packedText) as { tables: number[]; lookup: number[] }
    expect(await run([...args, '--check', out])).toEqual({ code: 0, stdout: '', stderr: `${out} is up to date (fingerprint ${short})\n` })
    writeFileSync(out, JSON.stringify({ ...packed, tables: [packed.tables[0], packed.tables[1], 99, ...packed.tables.slice(3)] }))
    expect(await run([...args, '--check', out])).toEqual({
      code: 3,
      stdout: '',
      stderr: `${out} is corrupt: schema cache snapshot is invalid (regenerate it with npm run schema-cache): tables[0].flags must be an integer from 0 to 15, got 99\n`,
    })
    writeFileSync(out, JSON.stringify({ ...packed, lookup: [...packed.lookup.slice(0, 3), 12345, ...packed.lookup.slice(4)] }))
    expect((await run([...args, '--check', out])).stderr).toMatch(/ is corrupt: .*: lookup\[0\]\.start must be \d+ \(what the records say\), got 12345\n$/)
    // one written before the lookup existed is rewritten with it, the catalog unchanged
    const { lookup: _lookup, fkOffsets: _fkOffsets, ...old } = JSON.parse(packedText) as Record<string, unknown>
    writeFileSync(out, JSON.stringify(old))
    expect((await run([...args, '--out', out, '--compact'])).stderr).toBe(`wrote ${out}: ${SUMMARY}\n`)
    expect(readFileSync(out, 'utf8')).toBe(packedText.replace(/"generatedAt":"[^"]*"/, readFileSync(out, 'utf8').match(/"generatedAt":"[^"]*"/)?.[0] ?? ''))
    expect((await run([...args, '--out', out])).code).toBe(0)

    // a snapshot of another format version is stale (and rewritten) even with the same fingerprint
    writeFileSync(out, readFileSync(out, 'utf8').replace('"version": 2,', '"version": 1,'))
    expect(await run([...args, '--check', out])).toEqual({
      code: 3,
      stdout: '',
      stderr: `${out} is stale: it is not a version 2 edgerest-schema-cache snapshot; regenerate it with npm run schema-cache\n`,
    })
    expect((await run([...args, '--out', out])).stderr).toBe(`wrote ${out}: ${SUMMARY}\n`)
    expect((JSON.parse(readFileSync(out, 'utf8')) as SchemaCacheSnapshot).version).toBe(2)
  })

  it('prints to standard output without --out, and reports bad usage and errors', async () => {
    const printed = await run(args)
    expect(printed.code).toBe(0)
    expect(printed.stdout).toBe(formatSnapshot({ ...snap, generatedAt: (JSON.parse(printed.stdout) as SchemaCacheSnapshot).generatedAt }, 'pretty'))
    const noUri = await run(['--schemas', 'sc_test'])
    expect(noUri.code).toBe(2)
    expect(noUri.stderr).toMatch(/^missing --db-uri \(or PGRST_DB_URI\)\n\nusage: edgerest-schema-cache/)
    expect((await run(['--db-uri', dbUrl])).stderr).toMatch(/^missing --schemas/)
    expect((await run(['--bogus'])).stderr).toMatch(/^Unknown option '--bogus'/)
    expect(await run(['--db-uri', dbUrl, '--schemas', 'sc_nope'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'edgerest-schema-cache: schema cache introspection: schema "sc_nope" not found in the database\n',
    })
  })

  it('takes its settings from the PGRST_* environment', async () => {
    const out = join(dir, 'env.json')
    const env = { PGRST_DB_URI: dbUrl, PGRST_DB_SCHEMAS: 'sc_test', PGRST_DB_EXTRA_SEARCH_PATH: 'sc_extra' }
    expect((await run(['--out', out, '--compact'], env)).code).toBe(0)
    const text = readFileSync(out, 'utf8')
    expect(text.trimEnd().includes('\n')).toBe(false)
    expect((JSON.parse(text) as SchemaCacheSnapshot).fingerprint).toBe(snap.fingerprint)
    // --compact writes the packed encoding, which loads back to the same snapshot
    expect((JSON.parse(text) as { encoding?: string }).encoding).toBe('packed')
    expect(JSON.stringify(loadSchemaCacheOrThrow(text).snapshot)).toBe(JSON.stringify({ ...snap, generatedAt: (JSON.parse(text) as SchemaCacheSnapshot).generatedAt }))
  })

})
