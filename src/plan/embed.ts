/**
 * @module plan/embed: relationship lookup for embedding (PostgREST's findRel) and the join
 * conditions an embed adds to its subquery. Pure; reads only the relationships given to it.
 */
import { err, ok, type Result } from '../result.ts'
import { cacheErr, type AppError } from '../errors/types.ts'
import type { Cardinality, QualifiedIdentifier, Relationship, SchemaCache } from '../schema-cache/types.ts'
import { relationshipsFromInSchema } from '../schema-cache/lookup.ts'
import type { JoinCondition } from './types.ts'

export const relIsToOne = (rel: Relationship): boolean => {
  if (rel.kind === 'computed') return rel.toOne
  const k = rel.cardinality.kind
  return k === 'M2O' || k === 'O2O'
}

const singleColumns = (card: Cardinality): readonly [string, string] | null => {
  if (card.kind === 'M2M') return null
  return card.columns.length === 1 ? (card.columns[0] ?? null) : null
}
const matchFkSingleCol = (hint: string, card: Cardinality): boolean => singleColumns(card)?.[0] === hint
const matchFkRefSingleCol = (hint: string, card: Cardinality): boolean => singleColumns(card)?.[1] === hint
const matchConstraint = (name: string, card: Cardinality): boolean => card.kind !== 'M2M' && card.constraint === name
const matchJunction = (hint: string, card: Cardinality): boolean => card.kind === 'M2M' && card.junction.table.name === hint

/**
 * Find the one relationship between `origin` and `target` (optionally narrowed by a hint).
 * No match → PGRST200; several → PGRST201 (the hint in the error lists the candidates).
 */
export const findRel = (
  cache: SchemaCache,
  schema: string,
  origin: string,
  target: string,
  hint: string | undefined,
  suggest: () => string | null,
): Result<Relationship, AppError> => {
  // Only relationships into the request's schema count, as in PostgREST's (table, schema) map.
  const candidates = relationshipsFromInSchema(cache, { schema, name: origin }, schema).filter((rel) => {
    if (rel.kind === 'computed') return target === rel.function.name
    const card = rel.cardinality
    if (rel.isSelf) {
      // One FK, two relationships (M2O and O2M): the table name selects the O2M side,
      // the FK column name selects the M2O side.
      if (hint === undefined) {
        return (
          (target === rel.foreignTable.name && card.kind === 'O2M') || (matchFkSingleCol(target, card) && card.kind === 'M2O')
        )
      }
      return target === rel.foreignTable.name && card.kind === 'O2M' && matchFkRefSingleCol(hint, card)
    }
    if (hint === undefined) {
      return (
        target === rel.foreignTable.name ||
        (matchConstraint(target, card) && !rel.foreignTableIsView) ||
        (matchFkSingleCol(target, card) && !rel.foreignTableIsView)
      )
    }
    return (
      target === rel.foreignTable.name &&
      (matchConstraint(hint, card) || matchFkSingleCol(hint, card) || matchFkRefSingleCol(hint, card) || matchJunction(hint, card))
    )
  })
  if (candidates.length === 1) return ok(candidates[0] as Relationship)
  if (candidates.length === 0) {
    return err(cacheErr({ kind: 'noRelBetween', parent: origin, child: target, hint, schema, suggestion: suggest() }))
  }
  return err(cacheErr({ kind: 'ambiguousRelBetween', parent: origin, child: target, rels: candidates }))
}

/**
 * Join conditions between an embed (aliased `tblAlias`) and its parent (aliased `parentAlias`).
 * Many-to-many joins go through the junction table, which is added to the FROM unaliased.
 */
export const joinConditions = (
  tblAlias: string | undefined,
  parentAlias: string | undefined,
  rel: Relationship,
): JoinCondition[] => {
  if (rel.kind === 'computed') return []
  const schema = rel.table.schema
  const tableName = rel.table.name
  const foreignName = rel.foreignTable.name
  const cond = (
    prAlias: string | undefined,
    newAlias: string | undefined,
    tb: string,
    ftb: string,
    [c, fc]: readonly [string, string],
  ): JoinCondition => {
    const left: QualifiedIdentifier = newAlias !== undefined ? { schema: '', name: newAlias } : { schema, name: ftb }
    const right: QualifiedIdentifier = prAlias !== undefined ? { schema: '', name: prAlias } : { schema, name: tb }
    return { left: [left, fc], right: [right, c] }
  }
  const card = rel.cardinality
  switch (card.kind) {
    case 'M2M': {
      const jt = card.junction.table.name
      return [
        ...card.junction.colsTarget.map((p) => cond(undefined, undefined, foreignName, jt, p)),
        ...card.junction.colsSource.map((p) => cond(parentAlias, tblAlias, tableName, jt, p)),
      ]
    }
    case 'O2M':
    case 'M2O':
    case 'O2O':
      return card.columns.map((p) => cond(parentAlias, tblAlias, tableName, foreignName, p))
    default: {
      const never: never = card
      throw new TypeError(`unknown cardinality ${String(never)}`)
    }
  }
}
