/**
 * @module sql/mutate: a MutatePlan → the INSERT / UPDATE / DELETE that becomes the `pgrst_source`
 * CTE of the main statement (PostgREST's mutatePlanToQuery and fromJsonBodyF).
 *
 * The payload is ONE parameter, cast to json (jsonb when defaults are merged in), and turned into
 * typed rows inside Postgres with `json_to_record(set)`: a bulk insert of any size is one
 * statement with one parameter, and a row that does not fit its column fails the whole statement.
 */
import type { QualifiedIdentifier } from '../parse/types.ts'
import type { CoercibleField, CoercibleLogicTree, MutatePlan } from '../plan/types.ts'
import { catalogLiteral, concat, empty, ident, join, param, raw, type SqlFragment } from './fragment.ts'
import { fmtColumn, fmtLogicTree, fromQi } from './format.ts'

const PGRST_BODY: QualifiedIdentifier = { schema: '', name: 'pgrst_body' }

/**
 * Text the schema cache took from the catalog (`format_type` names, `pg_get_expr` defaults,
 * representation function names). It is SQL Postgres itself printed, never a client's value, so
 * it is spliced as text; this is the only place mutations do that.
 */
const catalogSql = (text: string): SqlFragment => raw(text)

/** `schema.fn(arg)` for a representation function named `schema.fn` (or just `fn`). */
const callFunction = (fn: string, arg: SqlFragment): SqlFragment => {
  const dot = fn.indexOf('.')
  const name = dot > 0 ? concat(ident(fn.slice(0, dot)), raw('.'), ident(fn.slice(dot + 1))) : ident(fn)
  return concat(name, raw('('), arg, raw(')'))
}

/** A payload column as it leaves the record: through its json → type function when it has one. */
const parsedColumn = (f: CoercibleField): SqlFragment =>
  f.transform !== undefined ? concat(callFunction(f.transform, ident(f.name)), raw(' AS '), ident(f.name)) : ident(f.name)

/** JSON bodies are objects when their first significant character is `{` (RFC 8259 whitespace). */
const isJsonObject = (body: string | null): boolean => (body ?? '').replace(/^[ \t\n\r]+/, '').startsWith('{')

/**
 * `[SELECT pgrst_body.cols] FROM (SELECT $1::json AS json_data) pgrst_payload, [defaults,]
 * LATERAL (SELECT cols FROM json_to_recordset(...) AS _(col type, ...)) pgrst_body`.
 * With `applyDefaults`, each object is first merged over an object of the column defaults, so a
 * missing key takes the column's DEFAULT instead of NULL.
 */
export const fromJsonBody = (
  body: string | null,
  fields: readonly CoercibleField[],
  options: { readonly includeSelect: boolean; readonly applyDefaults: boolean },
): SqlFragment => {
  const { includeSelect, applyDefaults } = options
  const isObject = isJsonObject(body)
  const selectClause = includeSelect
    ? concat(raw('SELECT '), join(fields.map((f) => fmtColumn(PGRST_BODY, f.name)), ', '), raw(' '))
    : empty
  const fromClause = concat(raw('FROM (SELECT '), param(body), raw(applyDefaults ? '::jsonb' : '::json'), raw(' AS json_data) pgrst_payload, '))
  const defaults = fields.filter((f) => f.default !== undefined && f.default !== null)
  const defsJsonb = concat(
    raw('jsonb_build_object('),
    join(
      defaults.map((f) => concat(catalogLiteral(f.name), raw(', '), catalogSql(f.default as string))),
      ', ',
    ),
    raw(')'),
  )
  const defaultsClause = !applyDefaults
    ? empty
    : isObject
      ? concat(raw('LATERAL (SELECT '), defsJsonb, raw(' || pgrst_payload.json_data AS val) pgrst_json_defs, '))
      : concat(raw('LATERAL (SELECT jsonb_agg('), defsJsonb, raw(' || elem) AS val from jsonb_array_elements(pgrst_payload.json_data) elem) pgrst_json_defs, '))
  const source = applyDefaults ? 'pgrst_json_defs.val' : 'pgrst_payload.json_data'
  const toRecord = applyDefaults ? (isObject ? 'jsonb_to_record' : 'jsonb_to_recordset') : isObject ? 'json_to_record' : 'json_to_recordset'
  const arrayElements = applyDefaults ? 'jsonb_array_elements' : 'json_array_elements'
  const typedCols = join(
    fields.map((f) => concat(ident(f.name), raw(' '), catalogSql(f.irType))),
    ', ',
  )
  const fieldsSource =
    fields.length === 0
      ? // `{}` is one row of nothing; `[{}, {}]` as many rows as objects.
        isObject
        ? raw('(values(1)) _ ')
        : raw(`${arrayElements}(${source}) _ `)
      : concat(raw(`${toRecord}(${source}) AS _(`), typedCols, raw(') '))
  const lateral = concat(raw('LATERAL (SELECT '), join(fields.map(parsedColumn), ', '), raw(' FROM '), fieldsSource, raw(')'))
  return concat(selectClause, fromClause, defaultsClause, lateral, raw(' pgrst_body '))
}

/**
 * `set_config('pgrst.inserted', …)` as a condition that is always true: +1 for every row the
 * INSERT's SELECT produces, −1 for every row ON CONFLICT turns into an UPDATE, so the setting ends
 * as the number of rows really inserted (201 vs 200 for upserts).
 */
const countInserted = (add: boolean): SqlFragment =>
  raw(
    `set_config('pgrst.inserted', (coalesce(nullif(current_setting('pgrst.inserted', true), '')::int, 0) ${add ? '+' : '-'} 1)::text, true) <> '${add ? '0' : '-1'}'`,
  )

export const returningClause = (table: QualifiedIdentifier, returning: readonly string[]): SqlFragment =>
  returning.length === 0 ? raw('RETURNING 1') : concat(raw('RETURNING '), join(returning.map((c) => fmtColumn(table, c)), ', '))

const whereClause = (table: QualifiedIdentifier, where: readonly CoercibleLogicTree[]): SqlFragment =>
  where.length === 0 ? empty : concat(raw(' WHERE '), join(where.map((t) => fmtLogicTree(table, t)), ' AND '))

export const mutatePlanToQuery = (mp: MutatePlan): SqlFragment => {
  switch (mp.kind) {
    case 'insert': {
      const cols = mp.columns
      const mergeDups = mp.onConflict?.resolution === 'merge-duplicates'
      const isPut = mp.where.length > 0
      const conflict = mp.onConflict
      let onConflict: SqlFragment = empty
      if (conflict !== undefined && conflict.columns.length > 0) {
        let action: SqlFragment
        if (conflict.resolution === 'ignore-duplicates' || cols.length === 0) action = raw('DO NOTHING')
        else
          action = concat(
            raw('DO UPDATE SET '),
            join(cols.map((f) => concat(ident(f.name), raw(' = EXCLUDED.'), ident(f.name))), ', '),
            // A merge (POST or PUT): the row was updated, not inserted.
            raw(' WHERE '),
            countInserted(false),
          )
        onConflict = concat(raw(' ON CONFLICT('), join(conflict.columns.map(ident), ', '), raw(') '), action)
      }
      return concat(
        raw('INSERT INTO '),
        fromQi(mp.into),
        cols.length === 0 ? raw(' ') : concat(raw('('), join(cols.map((f) => ident(f.name)), ', '), raw(') ')),
        fromJsonBody(mp.body, cols, { includeSelect: true, applyDefaults: mp.applyDefaults }),
        isPut
          ? concat(raw('WHERE '), countInserted(true), raw(' AND '), join(mp.where.map((t) => fmtLogicTree(PGRST_BODY, t)), ' AND '))
          : mergeDups
            ? concat(raw('WHERE '), countInserted(true))
            : empty,
        onConflict,
        raw(' '),
        returningClause(mp.into, mp.returning),
      )
    }
    case 'update': {
      if (mp.columns.length === 0) {
        // `UPDATE t SET` needs a column: select nothing from the table instead, keeping the
        // returned columns so `select=` still resolves.
        const cols =
          mp.returning.length === 0 ? raw('NULL') : join(mp.returning.map((c) => fmtColumn({ schema: '', name: mp.table.name }, c)), ', ')
        return concat(raw('SELECT '), cols, raw(' FROM '), fromQi(mp.table), raw(' WHERE false'))
      }
      return concat(
        raw('UPDATE '),
        fromQi(mp.table),
        raw(' SET '),
        join(mp.columns.map((f) => concat(ident(f.name), raw(' = '), fmtColumn(PGRST_BODY, f.name))), ', '),
        raw(' '),
        fromJsonBody(mp.body, mp.columns, { includeSelect: false, applyDefaults: mp.applyDefaults }),
        whereClause(mp.table, mp.where),
        raw(' '),
        returningClause(mp.table, mp.returning),
      )
    }
    case 'delete':
      return concat(raw('DELETE FROM '), fromQi(mp.table), raw(' '), whereClause(mp.table, mp.where), raw(' '), returningClause(mp.table, mp.returning))
    default: {
      const never: never = mp
      throw new TypeError(`unknown mutate plan ${String(never)}`)
    }
  }
}
