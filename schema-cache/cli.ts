/**
 * @module schema-cache/cli: `npm run schema-cache -- --db-uri URL --schemas api --out FILE`
 * (also the package bin `edgerest-schema-cache`). Writes the schema cache snapshot the Worker
 * loads at startup, or with `--check` tells whether an existing snapshot is still current.
 *
 * Settings fall back to the PostgREST environment variables (PGRST_DB_URI, PGRST_DB_SCHEMAS,
 * PGRST_DB_EXTRA_SEARCH_PATH), so the same environment that configures the server builds its
 * snapshot. Exit codes: 0 written / up to date, 1 error, 2 bad usage, 3 stale (`--check`).
 *
 * `--types FILE` also writes the TypeScript types of the snapshot (`Database` for supabase-js),
 * from the snapshot just built or, with `--from SNAPSHOT`, from a snapshot file alone: no
 * database is needed then, so a committed snapshot is enough to regenerate them.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import type { SchemaCacheSnapshot } from '../src/schema-cache/types.ts'
import { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from '../src/schema-cache/types.ts'
import { loadSchemaCache, lookupProblem } from '../src/schema-cache/load.ts'
import { introspectUrl } from './from-url.ts'
import { toQualifiedIdentifier } from '../src/config/from-env.ts'
import { formatSnapshot } from './snapshot-json.ts'
import { generateTypes } from './typegen/generate.ts'

const USAGE = `usage: edgerest-schema-cache --db-uri URL --schemas LIST [options]

  --db-uri URL               database to introspect (default: $PGRST_DB_URI, $DATABASE_URL)
  --schemas LIST             exposed schemas, comma separated (default: $PGRST_DB_SCHEMAS)
  --extra-search-path LIST   extra search path, comma separated
                             (default: $PGRST_DB_EXTRA_SEARCH_PATH, else "public")
  --pre-config FUNCTION      db-pre-config: a function setting pgrst.* settings, called while
                             reading the in-database configuration (default: $PGRST_DB_PRE_CONFIG)
  --out FILE                 write the snapshot to FILE (default: standard output); an existing
                             FILE with the same fingerprint is left untouched
  --compact                  the packed encoding (one line, several times smaller and faster
                             to load; for large schemas) instead of the diff-friendly layout
  --force                    rewrite --out even when the catalog has not changed
  --check FILE               compare FILE with the database; exit 3 if it is stale
  --types FILE               also write the TypeScript types of the snapshot (Database, for
                             createClient<Database> of supabase-js) to FILE, "-" for standard
                             output; without --out the snapshot itself is then not printed
  --from SNAPSHOT            with --types: read the snapshot from the file SNAPSHOT instead of
                             a database (no --db-uri or --schemas needed)
  -h, --help                 this text
`

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')

const readSnapshot = (file: string): Partial<SchemaCacheSnapshot> | null => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Partial<SchemaCacheSnapshot>
  } catch {
    return null
  }
}

/** Where the CLI writes: the snapshot (without --out) to `stdout`, messages to `stderr`. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown }
  readonly stderr: { write(text: string): unknown }
}

/** Runs the CLI; resolves with the exit code. */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let args
  try {
    args = parseArgs({
      args: [...argv],
      options: {
        'db-uri': { type: 'string' },
        schemas: { type: 'string' },
        'extra-search-path': { type: 'string' },
        'pre-config': { type: 'string' },
        out: { type: 'string' },
        compact: { type: 'boolean', default: false },
        force: { type: 'boolean', default: false },
        check: { type: 'string' },
        types: { type: 'string' },
        from: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values
  } catch (e) {
    io.stderr.write(`${(e as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (args.help) {
    io.stdout.write(USAGE)
    return 0
  }
  if (args.from !== undefined) {
    if (args.types === undefined) return usage(io, '--from needs --types (it only generates types)')
    if (args.out !== undefined || args.check !== undefined) return usage(io, '--from cannot be combined with --out or --check')
    const snapshot = readSnapshotFile(args.from, io)
    return snapshot === null ? 1 : writeTypes(snapshot, args.types, io)
  }
  if (args.types !== undefined && args.check !== undefined) return usage(io, '--types cannot be combined with --check')
  const dbUri = args['db-uri'] ?? env['PGRST_DB_URI'] ?? env['DATABASE_URL']
  const schemas = list(args.schemas ?? env['PGRST_DB_SCHEMAS'])
  const extraSearchPath = list(args['extra-search-path'] ?? env['PGRST_DB_EXTRA_SEARCH_PATH'] ?? 'public')
  if (dbUri === undefined || dbUri === '') {
    io.stderr.write(`missing --db-uri (or PGRST_DB_URI)\n\n${USAGE}`)
    return 2
  }
  if (schemas.length === 0) {
    io.stderr.write(`missing --schemas (or PGRST_DB_SCHEMAS)\n\n${USAGE}`)
    return 2
  }

  let snapshot: SchemaCacheSnapshot
  try {
    const preConfig = args['pre-config'] ?? env['PGRST_DB_PRE_CONFIG']
    snapshot = await introspectUrl(dbUri, {
      schemas,
      extraSearchPath,
      preConfig: preConfig === undefined || preConfig === '' ? null : toQualifiedIdentifier(preConfig),
    })
  } catch (e) {
    io.stderr.write(`edgerest-schema-cache: ${(e as Error).message}\n`)
    return 1
  }
  const summary = `${snapshot.tables.length} relations, ${snapshot.relationships.length} relationships, ${snapshot.routines.length} functions, ${snapshot.representations.length} representations, ${snapshot.mediaHandlers.length} media type handlers`

  if (args.check !== undefined) {
    const existing = readSnapshot(args.check)
    if (existing === null) {
      io.stderr.write(`edgerest-schema-cache: cannot read a snapshot from ${args.check}\n`)
      return 1
    }
    if (existing.format !== SNAPSHOT_FORMAT || existing.version !== SNAPSHOT_VERSION) {
      io.stderr.write(
        `${args.check} is stale: it is not a version ${SNAPSHOT_VERSION} ${SNAPSHOT_FORMAT} snapshot; regenerate it with npm run schema-cache\n`,
      )
      return 3
    }
    if (existing.fingerprint === snapshot.fingerprint) {
      // Current, but is every record usable? (The edge entries check them only as requests reach them.)
      const loaded = loadSchemaCache(existing)
      const problem = loaded.ok ? lookupProblem(existing) : loaded.error
      if (problem !== null) {
        io.stderr.write(`${args.check} is corrupt: ${problem}\n`)
        return 3
      }
      io.stderr.write(`${args.check} is up to date (fingerprint ${snapshot.fingerprint.slice(0, 12)})\n`)
      return 0
    }
    io.stderr.write(
      `${args.check} is stale: its fingerprint is ${String(existing.fingerprint).slice(0, 12)}, the database's is ${snapshot.fingerprint.slice(0, 12)}; regenerate it with npm run schema-cache\n`,
    )
    return 3
  }

  const written = writeSnapshot(snapshot, args, summary, io)
  return args.types === undefined ? written : writeTypes(snapshot, args.types, io)
}

interface SnapshotArgs {
  readonly out?: string | undefined
  readonly compact: boolean
  readonly force: boolean
  readonly types?: string | undefined
}

function writeSnapshot(snapshot: SchemaCacheSnapshot, args: SnapshotArgs, summary: string, io: CliIo): number {
  const text = formatSnapshot(snapshot, args.compact ? 'compact' : 'pretty')
  if (args.out === undefined) {
    // with --types the types are what was asked for; the snapshot is printed only on its own
    if (args.types === undefined) io.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
    return 0
  }
  const out = resolve(args.out)
  const existing = !args.force && existsSync(out) ? readSnapshot(out) : null
  // Same catalog and same encoding: leave the file alone (switching --compact on or off rewrites it).
  const sameEncoding = ((existing as { encoding?: unknown } | null)?.encoding === 'packed') === args.compact
  // A packed snapshot written before the lookup existed is rewritten with one (it loads faster).
  const hasLookup = !args.compact || (existing as { lookup?: unknown } | null)?.lookup !== undefined
  if (
    existing?.format === SNAPSHOT_FORMAT &&
    existing.version === SNAPSHOT_VERSION &&
    existing.fingerprint === snapshot.fingerprint &&
    sameEncoding &&
    hasLookup
  ) {
    io.stderr.write(`${args.out} unchanged (${summary})\n`)
    return 0
  }
  writeFileSync(out, text.endsWith('\n') ? text : `${text}\n`)
  io.stderr.write(`wrote ${args.out}: ${summary}\n`)
  return 0
}

function usage(io: CliIo, message: string): number {
  io.stderr.write(`${message}\n\n${USAGE}`)
  return 2
}

/** A snapshot file in either encoding, checked as the server checks it; null (reported) if unusable. */
function readSnapshotFile(file: string, io: CliIo): SchemaCacheSnapshot | null {
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    io.stderr.write(`edgerest-schema-cache: cannot read a snapshot from ${file}: ${(e as Error).message}\n`)
    return null
  }
  const loaded = loadSchemaCache(json)
  // The edge entries find records through a packed snapshot's lookup, checked here in full.
  const problem = loaded.ok ? lookupProblem(json) : loaded.error
  if (problem !== null) {
    io.stderr.write(`edgerest-schema-cache: ${file}: ${problem}\n`)
    return null
  }
  return loaded.ok ? loaded.value.snapshot : null
}

/** Writes the types of `snapshot` to `target` ("-": standard output); an identical file is left untouched. */
function writeTypes(snapshot: SchemaCacheSnapshot, target: string, io: CliIo): number {
  const generated = generateTypes(snapshot)
  if (!generated.ok) {
    io.stderr.write(`edgerest-schema-cache: cannot generate types: ${generated.error}\n`)
    return 1
  }
  if (target === '-') {
    io.stdout.write(generated.value)
    return 0
  }
  const file = resolve(target)
  const relations = snapshot.tables.length
  const functions = snapshot.routines.length
  const summary = `types of ${relations} relations and ${functions} functions`
  if (existsSync(file) && readFileSync(file, 'utf8') === generated.value) {
    io.stderr.write(`${target} unchanged (${summary})\n`)
    return 0
  }
  writeFileSync(file, generated.value)
  io.stderr.write(`wrote ${target}: ${summary}\n`)
  return 0
}

const isEntry = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)
if (isEntry) process.exitCode = await main(process.argv.slice(2))
