/**
 * @module test/schema-cache/typegen/client-files: TypeScript files a user of the generated types
 * writes (supabase-js queries), type-checked by supabase-types.test.ts next to the generated
 * `database.ts`. Kept as text: they import a module that exists only in that check. `same<A, B>`
 * holds only when A and B are exactly the same type, so `any` or a looser type fails too.
 */

const PRELUDE = `import { createClient } from '@supabase/supabase-js'
import type { CompositeTypes, Database, Enums, Json, Tables, TablesInsert, TablesUpdate } from './database.ts'
import { Constants } from './database.ts'

/** True exactly when A and B are the same type (neither \`any\` nor a supertype passes). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
export const same = <A, B>(_: Equal<A, B>): void => undefined
`

/** Queries on the `typegen` schema (test/fixtures/85-typegen.sql): everything compiles. */
export const TYPEGEN_CLEAN = `${PRELUDE}
const db = createClient<Database>('http://localhost:3000', 'anon-key', { db: { schema: 'typegen' } })

type Post = Tables<'posts'>
type Status = 'draft' | 'published' | 'archived'

export async function queries(): Promise<void> {
  // rows: enum, array, json, domain, generated column, nullability
  const { data: posts } = await db.from('posts').select('*').eq('status', 'published').order('id')
  same<typeof posts, Post[] | null>(true)
  same<Post['status'], Status>(true)
  same<Post['tags'], string[]>(true)
  same<Post['meta'], Json | null>(true)
  same<Post['score'], number | null>(true)
  same<Post['mood'], Status | null>(true)
  same<Post['title_length'], number | null>(true)
  same<Tables<'authors'>['level'], 'low' | 'high' | null>(true)
  same<Tables<'authors'>['home'], CompositeTypes<'address'> | null>(true)

  // embedding: many-to-one, one-to-one, many-to-many through post_tags, one-to-many
  const { data: post } = await db.from('posts').select('id, title, authors(name, profiles(bio)), tags(label)').eq('id', 1).single()
  same<typeof post, { id: number; title: string; authors: { name: string; profiles: { bio: string | null } | null }; tags: { label: string }[] } | null>(true)
  const { data: authors } = await db.from('authors').select('name, posts(title)')
  same<typeof authors, { name: string; posts: { title: string }[] }[] | null>(true)

  // views: updatable with a computed column, not updatable, materialized
  const { data: titles } = await db.from('post_titles').select('id, shout')
  same<typeof titles, { id: number | null; shout: string | null }[] | null>(true)
  await db.from('post_titles').update({ title: 'Renamed' }).eq('id', 1)
  const { data: counts } = await db.from('post_counts').select('author_id, n')
  same<typeof counts, { author_id: number | null; n: number | null }[] | null>(true)
  const { data: names } = await db.from('author_names').select('name')
  same<typeof names, { name: string | null }[] | null>(true)

  // writes: only author_id and title are required; generated and identity columns are not written
  const minimal: TablesInsert<'posts'> = { author_id: 1, title: 'Hello' }
  const { data: inserted } = await db.from('posts').insert(minimal).select('id, title_length').single()
  same<typeof inserted, { id: number; title_length: number | null } | null>(true)
  await db.from('posts').insert([{ author_id: 1, title: 'A', status: 'draft', tags: ['x'], meta: { k: [1, 'two', null] } }])
  await db.from('authors').insert({ name: 'Grace', home: { street: null, city: 'NYC', zip: 10001, lines: null } })
  const change: TablesUpdate<'posts'> = { title: 'Changed', status: 'archived' }
  await db.from('posts').update(change).eq('id', 1)
  await db.from('posts').upsert({ id: 1, author_id: 1, title: 'Upserted' }, { onConflict: 'id' })
  await db.from('tags').delete().eq('id', 99)

  // functions: overloads, defaults, variadic, setof, ROWS 1, RETURNS TABLE, OUT parameters,
  // composite, enum array, void, a single unnamed json parameter
  const { data: sum } = await db.rpc('add', { a: 1 })
  same<typeof sum, number | null>(true)
  const { data: joined } = await db.rpc('add', { x: 'x', y: 'y' })
  same<typeof joined, string | null>(true)
  const { data: total } = await db.rpc('total', { nums: [1, 2.5] })
  same<typeof total, number | null>(true)
  const { data: byAuthor } = await db.rpc('posts_by', { author: 1 }).select('id, title')
  same<typeof byAuthor, { id: number; title: string }[] | null>(true)
  const { data: latest } = await db.rpc('latest_post', { author: 1 })
  same<typeof latest, Post[] | null>(true)
  const { data: stats } = await db.rpc('post_stats', {})
  same<typeof stats, { author_id: number; posts: number; last_status: Enums<'status'> }[] | null>(true)
  const { data: split } = await db.rpc('split_name', { full_name: 'Ada Lovelace' })
  same<typeof split, { first: string; last: string } | null>(true)
  const { data: address } = await db.rpc('make_address', { street: 'Main', city: 'London' })
  same<typeof address, CompositeTypes<'address'> | null>(true)
  const { data: levels } = await db.rpc('levels')
  same<typeof levels, ('low' | 'high')[] | null>(true)
  const { data: counted } = await db.rpc('count_status', { wanted: Constants.typegen.Enums.status[1] })
  same<typeof counted, number | null>(true)
  await db.rpc('ping')
  const { data: echoed } = await db.rpc('echo', { '': { any: 'json' } })
  same<typeof echoed, Json | null>(true)

  // helpers
  same<Enums<'status'>, Status>(true)
  same<(typeof Constants)['typegen']['Enums']['status'], readonly ['draft', 'published', 'archived']>(true)
  same<Tables<{ schema: 'typegen' }, 'tags'>, { id: number; label: string }>(true)
}
`

/** Three mistakes, each on a line marked with its kind; nothing else may fail. */
export const TYPEGEN_WRONG = `${PRELUDE}
const db = createClient<Database>('http://localhost:3000', 'anon-key', { db: { schema: 'typegen' } })

export async function mistakes(): Promise<void> {
  await db.from('posts').update({ titel: 'Renamed' }).eq('id', 1) // wrong column
  const { data: post } = await db.from('posts').select('id, title').eq('id', 1).single()
  if (post !== null) {
    const title: number = post.title // wrong row type
    console.log(title)
  }
  await db.from('posts').insert({ author_id: 1 }) // missing required column
}
`

/** The columns only the database writes, and a function argument of the wrong type. */
export const TYPEGEN_READ_ONLY = `${PRELUDE}
const db = createClient<Database>('http://localhost:3000', 'anon-key', { db: { schema: 'typegen' } })

export async function mistakes(): Promise<void> {
  await db.from('posts').insert({ author_id: 1, title: 'T', title_length: 1 }) // generated column
  await db.from('authors').update({ id: 7 }).eq('id', 1) // identity column
  await db.from('post_titles').update({ shout: 'LOUD' }).eq('id', 1) // computed view column
  await db.rpc('count_status', { wanted: 'deleted' }) // not a label of the enum
}
`

/** Queries on the read specs' schemas (test/fixtures/10-schema.sql, 70-embed.sql), as the spec snapshot has them. */
export const SPEC_CLEAN = `${PRELUDE}
const db = createClient<Database, 'test'>('http://localhost:3000', 'anon-key', { db: { schema: 'test' } })

export async function queries(): Promise<void> {
  const { data: films } = await db.from('films').select('id, title, directors!films_director_fkey(name), actors(name), film_details(budget)')
  same<typeof films, { id: number; title: string; directors: { name: string } | null; actors: { name: string }[]; film_details: { budget: number | null } | null }[] | null>(true)
  const { data: items } = await db.from('items').select('id, mood, tags, data').eq('mood', 'happy')
  same<typeof items, { id: number; mood: Enums<'mood'> | null; tags: string[] | null; data: Json | null }[] | null>(true)
  same<Enums<'mood'>, 'sad' | 'ok' | 'happy'>(true)
  await db.from('items').insert({ id: 1, name: 'x', mood: Constants.test.Enums.mood[2] })
  const { data: students } = await db.schema('api').from('students').select('id, name')
  same<typeof students, { id: number; name: string }[] | null>(true)
  await db.schema('api').from('students').insert({ name: 'Ada' })
  same<Tables<{ schema: 'other' }, 'items'>, { id: number; label: string | null }>(true)
}
`
