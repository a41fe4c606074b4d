/**
 * Golden SQL for resource embedding (src/plan/read-plan.ts, src/plan/embed.ts, src/sql/read.ts):
 * each request path goes through parse → plan → sql against the fixtures' schema cache
 * (test/fixtures/70-embed.sql: films, directors, actors through `roles`, a one-to-one detail
 * table, views over views, a partitioned table, computed relationships), and must compile to
 * exactly this statement and parameters. The same statement is then run against PostgreSQL as the
 * `anonymous` role and must return exactly these rows, so a golden text cannot drift into SQL
 * that no longer works.
 */
import { describe, expect, it } from 'vitest'
import type { CompiledSql } from '../../src/sql/fragment.ts'
import { configWith, countSql, readSql, runCount, runRead } from './embed-helpers.ts'

interface Golden {
  readonly name: string
  readonly path: string
  readonly text: string
  readonly params: CompiledSql['params']
  readonly rows: unknown[]
}

// Aggregates are off by default (PGRST123); these cases turn them on, which changes nothing else.
const config = configWith({ PGRST_DB_AGGREGATES_ENABLED: 'true' })

const GOLDEN: readonly Golden[] = [
  {
    name: 'many-to-one with an alias and a constraint hint: a to-one lateral join read with row_to_json',
    path: '/films?select=title,director:directors!films_director_fkey(name)&id=eq.1',
    text: `SELECT "test"."films"."title", row_to_json("films_director_1".*)::jsonb AS "director" FROM "test"."films" LEFT JOIN LATERAL ( SELECT "directors_1"."name" FROM "test"."directors" AS "directors_1" WHERE "directors_1"."id" = "test"."films"."director_id"    ) AS "films_director_1" ON TRUE WHERE "test"."films"."id" = $1   `,
    params: ['1'],
    rows: [{"title":"Seven Samurai","director":{"name":"Akira Kurosawa"}}],
  },
  {
    name: 'one-to-many with order, limit and offset inside the embed: json_agg over the ordered page',
    path: '/directors?select=name,films!films_director_fkey(title)&films.order=year.desc&films.limit=2&films.offset=1&id=eq.1',
    text: `SELECT "test"."directors"."name", COALESCE( "directors_films_1"."directors_films_1", '[]') AS "films" FROM "test"."directors" LEFT JOIN LATERAL ( SELECT json_agg("directors_films_1")::jsonb AS "directors_films_1" FROM (SELECT "films_1"."title" FROM "test"."films" AS "films_1" WHERE "films_1"."director_id" = "test"."directors"."id"  ORDER BY "films_1"."year" DESC LIMIT $1 OFFSET $2 ) AS "directors_films_1" ) AS "directors_films_1" ON TRUE WHERE "test"."directors"."id" = $3   `,
    params: ['2', '1', '1'],
    rows: [{"name":"Akira Kurosawa","films":[{"title":"Seven Samurai"},{"title":"Ikiru"}]}],
  },
  {
    name: "many-to-many: the junction table joins the embed's FROM, both unaliased",
    path: '/films?select=title,actors(name)&actors.order=name&id=eq.1',
    text: `SELECT "test"."films"."title", COALESCE( "films_actors_1"."films_actors_1", '[]') AS "actors" FROM "test"."films" LEFT JOIN LATERAL ( SELECT json_agg("films_actors_1")::jsonb AS "films_actors_1" FROM (SELECT "test"."actors"."name" FROM "test"."actors", "test"."roles" WHERE "test"."roles"."actor_id" = "test"."actors"."id" AND "test"."roles"."film_id" = "test"."films"."id"  ORDER BY "test"."actors"."name"  ) AS "films_actors_1" ) AS "films_actors_1" ON TRUE WHERE "test"."films"."id" = $1   `,
    params: ['1'],
    rows: [{"title":"Seven Samurai","actors":[{"name":"Takashi Shimura"},{"name":"Toshiro Mifune"}]}],
  },
  {
    name: 'three levels: one-to-many, then many-to-many with a filter and an order at the third level',
    path: '/directors?select=name,films!films_director_fkey(title,actors(name,born))&films.actors.born=gt.1900&id=eq.1&films.order=id&films.actors.order=id',
    text: `SELECT "test"."directors"."name", COALESCE( "directors_films_1"."directors_films_1", '[]') AS "films" FROM "test"."directors" LEFT JOIN LATERAL ( SELECT json_agg("directors_films_1")::jsonb AS "directors_films_1" FROM (SELECT "films_1"."title", COALESCE( "films_actors_2"."films_actors_2", '[]') AS "actors" FROM "test"."films" AS "films_1" LEFT JOIN LATERAL ( SELECT json_agg("films_actors_2")::jsonb AS "films_actors_2" FROM (SELECT "test"."actors"."name", "test"."actors"."born" FROM "test"."actors", "test"."roles" WHERE "test"."actors"."born" > $1 AND "test"."roles"."actor_id" = "test"."actors"."id" AND "test"."roles"."film_id" = "films_1"."id"  ORDER BY "test"."actors"."id"  ) AS "films_actors_2" ) AS "films_actors_2" ON TRUE WHERE "films_1"."director_id" = "test"."directors"."id"  ORDER BY "films_1"."id"  ) AS "directors_films_1" ) AS "directors_films_1" ON TRUE WHERE "test"."directors"."id" = $2   `,
    params: ['1900', '1'],
    rows: [{"name":"Akira Kurosawa","films":[{"title":"Seven Samurai","actors":[{"born":1920,"name":"Toshiro Mifune"},{"born":1905,"name":"Takashi Shimura"}]},{"title":"Ikiru","actors":[{"born":1905,"name":"Takashi Shimura"}]},{"title":"Ran","actors":[{"born":1932,"name":"Tatsuya Nakadai"}]}]}],
  },
  {
    name: 'three levels through the junction: many-to-many, then many-to-one from inside it',
    path: '/actors?select=name,films(title,directors!films_director_fkey(name))&id=eq.2&films.order=id',
    text: `SELECT "test"."actors"."name", COALESCE( "actors_films_1"."actors_films_1", '[]') AS "films" FROM "test"."actors" LEFT JOIN LATERAL ( SELECT json_agg("actors_films_1")::jsonb AS "actors_films_1" FROM (SELECT "test"."films"."title", row_to_json("films_directors_2".*)::jsonb AS "directors" FROM "test"."films", "test"."roles" LEFT JOIN LATERAL ( SELECT "directors_2"."name" FROM "test"."directors" AS "directors_2" WHERE "directors_2"."id" = "test"."films"."director_id"    ) AS "films_directors_2" ON TRUE WHERE "test"."roles"."film_id" = "test"."films"."id" AND "test"."roles"."actor_id" = "test"."actors"."id"  ORDER BY "test"."films"."id"  ) AS "actors_films_1" ) AS "actors_films_1" ON TRUE WHERE "test"."actors"."id" = $1   `,
    params: ['2'],
    rows: [{"name":"Takashi Shimura","films":[{"title":"Seven Samurai","directors":{"name":"Akira Kurosawa"}},{"title":"Ikiru","directors":{"name":"Akira Kurosawa"}},{"title":"Godzilla","directors":{"name":"Ishiro Honda"}}]}],
  },
  {
    name: '!inner turns the lateral join into an INNER JOIN; the embed filter drops parents',
    path: '/films?select=title,directors!films_director_fkey!inner(name)&directors.name=eq.Hayao%20Miyazaki&order=id',
    text: `SELECT "test"."films"."title", row_to_json("films_directors_1".*)::jsonb AS "directors" FROM "test"."films" INNER JOIN LATERAL ( SELECT "directors_1"."name" FROM "test"."directors" AS "directors_1" WHERE "directors_1"."name" = $1 AND "directors_1"."id" = "test"."films"."director_id"    ) AS "films_directors_1" ON TRUE  ORDER BY "test"."films"."id" `,
    params: ['Hayao Miyazaki'],
    rows: [{"title":"Spirited Away","directors":{"name":"Hayao Miyazaki"}},{"title":"The Wind Rises","directors":{"name":"Hayao Miyazaki"}}],
  },
  {
    name: 'embed=not.is.null filters on the lateral row (a semi-join); an empty embed select adds no output column',
    path: '/films?select=title,film_details()&film_details=not.is.null&order=id',
    text: `SELECT "test"."films"."title" FROM "test"."films" LEFT JOIN LATERAL ( SELECT "film_details_1".* FROM "test"."film_details" AS "film_details_1" WHERE "film_details_1"."film_id" = "test"."films"."id"    ) AS "films_film_details_1" ON TRUE WHERE "films_film_details_1" IS DISTINCT FROM NULL  ORDER BY "test"."films"."id" `,
    params: [],
    rows: [{"title":"Seven Samurai"},{"title":"Spirited Away"}],
  },
  {
    name: 'embed=is.null keeps the parents without a match (an anti-join)',
    path: '/films?select=title,film_details()&film_details=is.null&order=id',
    text: `SELECT "test"."films"."title" FROM "test"."films" LEFT JOIN LATERAL ( SELECT "film_details_1".* FROM "test"."film_details" AS "film_details_1" WHERE "film_details_1"."film_id" = "test"."films"."id"    ) AS "films_film_details_1" ON TRUE WHERE "films_film_details_1" IS NOT DISTINCT FROM NULL  ORDER BY "test"."films"."id" `,
    params: [],
    rows: [{"title":"Ikiru"},{"title":"Godzilla"},{"title":"The Wind Rises"},{"title":"Ran"},{"title":"Untitled"}],
  },
  {
    name: "order by a to-one embed's column addresses the lateral alias",
    path: '/films?select=title,directors!films_director_fkey(name)&order=directors(name).desc,id&limit=3',
    text: `SELECT "test"."films"."title", row_to_json("films_directors_1".*)::jsonb AS "directors" FROM "test"."films" LEFT JOIN LATERAL ( SELECT "directors_1"."name" FROM "test"."directors" AS "directors_1" WHERE "directors_1"."id" = "test"."films"."director_id"    ) AS "films_directors_1" ON TRUE  ORDER BY "films_directors_1"."name" DESC, "test"."films"."id" LIMIT $1 OFFSET $2`,
    params: ['3', '0'],
    rows: [{"title":"Untitled","directors":null},{"title":"Godzilla","directors":{"name":"Ishiro Honda"}},{"title":"Spirited Away","directors":{"name":"Hayao Miyazaki"}}],
  },
  {
    name: "or inside an embed becomes a parenthesised condition of the embed's WHERE",
    path: '/directors?select=name,films!films_director_fkey(title)&films.or=(year.lt.1953,year.gt.2010)&films.order=id&order=id',
    text: `SELECT "test"."directors"."name", COALESCE( "directors_films_1"."directors_films_1", '[]') AS "films" FROM "test"."directors" LEFT JOIN LATERAL ( SELECT json_agg("directors_films_1")::jsonb AS "directors_films_1" FROM (SELECT "films_1"."title" FROM "test"."films" AS "films_1" WHERE ("films_1"."year" < $1 OR "films_1"."year" > $2) AND "films_1"."director_id" = "test"."directors"."id"  ORDER BY "films_1"."id"  ) AS "directors_films_1" ) AS "directors_films_1" ON TRUE  ORDER BY "test"."directors"."id" `,
    params: ['1953', '2010'],
    rows: [{"name":"Akira Kurosawa","films":[{"title":"Ikiru"}]},{"name":"Ishiro Honda","films":[]},{"name":"Hayao Miyazaki","films":[{"title":"The Wind Rises"}]},{"name":"Isao Takahata","films":[]}],
  },
  {
    name: "to-one spread: the embed's columns are selected into the parent row",
    path: '/films?select=title,...directors!films_director_fkey(director:name)&id=in.(1,4)&order=id',
    text: `SELECT "test"."films"."title", "films_directors_1"."director" FROM "test"."films" LEFT JOIN LATERAL ( SELECT "directors_1"."name" AS "director" FROM "test"."directors" AS "directors_1" WHERE "directors_1"."id" = "test"."films"."director_id"    ) AS "films_directors_1" ON TRUE WHERE "test"."films"."id" = ANY ($1)  ORDER BY "test"."films"."id" `,
    params: ['{"1","4"}'],
    rows: [{"title":"Seven Samurai","director":"Akira Kurosawa"},{"title":"Spirited Away","director":"Hayao Miyazaki"}],
  },
  {
    name: "to-many spread: each column becomes a json array, ordered by the embed's order through hidden columns",
    path: '/directors?select=name,...films!films_director_fkey(titles:title,year)&films.order=year.desc&id=eq.3',
    text: `SELECT "test"."directors"."name", "directors_films_1"."titles", "directors_films_1"."year" FROM "test"."directors" LEFT JOIN LATERAL ( SELECT json_agg("directors_films_1")::jsonb AS "directors_films_1", COALESCE(json_agg("directors_films_1"."titles" ORDER BY "directors_films_1"."directors_films_1_year_1" DESC),'[]')::jsonb AS "titles", COALESCE(json_agg("directors_films_1"."year" ORDER BY "directors_films_1"."directors_films_1_year_1" DESC),'[]')::jsonb AS "year" FROM (SELECT "films_1"."title" AS "titles", "films_1"."year", "films_1"."year" AS "directors_films_1_year_1" FROM "test"."films" AS "films_1" WHERE "films_1"."director_id" = "test"."directors"."id"    ) AS "directors_films_1" ) AS "directors_films_1" ON TRUE WHERE "test"."directors"."id" = $1   `,
    params: ['3'],
    rows: [{"name":"Hayao Miyazaki","titles":["The Wind Rises","Spirited Away"],"year":[2013,2001]}],
  },
  {
    name: 'computed relationships: to-one (ROWS 1) and to-many functions called with the parent row',
    path: '/films?select=title,lead_actor(name),same_year_films(title)&id=eq.1',
    text: `SELECT "test"."films"."title", row_to_json("films_lead_actor_1".*)::jsonb AS "lead_actor", COALESCE( "films_same_year_films_1"."films_same_year_films_1", '[]') AS "same_year_films" FROM "test"."films" LEFT JOIN LATERAL ( SELECT "actors_1"."name" FROM "test"."lead_actor"("films"::"test"."films") AS "actors_1"    ) AS "films_lead_actor_1" ON TRUE LEFT JOIN LATERAL ( SELECT json_agg("films_same_year_films_1")::jsonb AS "films_same_year_films_1" FROM (SELECT "films_1"."title" FROM "test"."same_year_films"("films"::"test"."films") AS "films_1"    ) AS "films_same_year_films_1" ) AS "films_same_year_films_1" ON TRUE WHERE "test"."films"."id" = $1   `,
    params: ['1'],
    rows: [{"title":"Seven Samurai","lead_actor":{"name":"Toshiro Mifune"},"same_year_films":[{"title":"Godzilla"}]}],
  },
  {
    name: 'a view over a view keeps the many-to-one relationship of the base table',
    path: '/recent_films?select=name,directors(name)&order=id',
    text: `SELECT "test"."recent_films"."name", row_to_json("recent_films_directors_1".*)::jsonb AS "directors" FROM "test"."recent_films" LEFT JOIN LATERAL ( SELECT "directors_1"."name" FROM "test"."directors" AS "directors_1" WHERE "directors_1"."id" = "test"."recent_films"."director_id"    ) AS "recent_films_directors_1" ON TRUE  ORDER BY "test"."recent_films"."id" `,
    params: [],
    rows: [{"name":"Spirited Away","directors":{"name":"Hayao Miyazaki"}},{"name":"The Wind Rises","directors":{"name":"Hayao Miyazaki"}},{"name":"Untitled","directors":null}],
  },
  {
    name: 'a partitioned table embeds its parent',
    path: '/screenings?select=city,films(title)&order=id',
    text: `SELECT "test"."screenings"."city", row_to_json("screenings_films_1".*)::jsonb AS "films" FROM "test"."screenings" LEFT JOIN LATERAL ( SELECT "films_1"."title" FROM "test"."films" AS "films_1" WHERE "films_1"."id" = "test"."screenings"."film_id"    ) AS "screenings_films_1" ON TRUE  ORDER BY "test"."screenings"."id" `,
    params: [],
    rows: [{"city":"Tokyo","films":{"title":"Seven Samurai"}},{"city":"Osaka","films":{"title":"Spirited Away"}},{"city":"Tokyo","films":{"title":"Spirited Away"}},{"city":"Kyoto","films":{"title":"Seven Samurai"}}],
  },
  {
    name: "a parent embeds a partitioned table's rows",
    path: '/films?select=title,screenings(city)&screenings.order=shown_on&id=eq.4',
    text: `SELECT "test"."films"."title", COALESCE( "films_screenings_1"."films_screenings_1", '[]') AS "screenings" FROM "test"."films" LEFT JOIN LATERAL ( SELECT json_agg("films_screenings_1")::jsonb AS "films_screenings_1" FROM (SELECT "screenings_1"."city" FROM "test"."screenings" AS "screenings_1" WHERE "screenings_1"."film_id" = "test"."films"."id"  ORDER BY "screenings_1"."shown_on"  ) AS "films_screenings_1" ) AS "films_screenings_1" ON TRUE WHERE "test"."films"."id" = $1   `,
    params: ['4'],
    rows: [{"title":"Spirited Away","screenings":[{"city":"Osaka"},{"city":"Tokyo"}]}],
  },
  {
    name: 'self reference: the FK column name picks the many-to-one side, the table name the one-to-many side',
    path: '/directors?select=name,mentor:mentor_id(name),directors(name)&order=id',
    text: `SELECT "test"."directors"."name", row_to_json("directors_mentor_1".*)::jsonb AS "mentor", COALESCE( "directors_directors_1"."directors_directors_1", '[]') AS "directors" FROM "test"."directors" LEFT JOIN LATERAL ( SELECT "directors_1"."name" FROM "test"."directors" AS "directors_1" WHERE "directors_1"."id" = "test"."directors"."mentor_id"    ) AS "directors_mentor_1" ON TRUE LEFT JOIN LATERAL ( SELECT json_agg("directors_directors_1")::jsonb AS "directors_directors_1" FROM (SELECT "directors_1"."name" FROM "test"."directors" AS "directors_1" WHERE "directors_1"."mentor_id" = "test"."directors"."id"    ) AS "directors_directors_1" ) AS "directors_directors_1" ON TRUE  ORDER BY "test"."directors"."id" `,
    params: [],
    rows: [{"name":"Akira Kurosawa","mentor":null,"directors":[{"name":"Ishiro Honda"}]},{"name":"Ishiro Honda","mentor":{"name":"Akira Kurosawa"},"directors":[]},{"name":"Hayao Miyazaki","mentor":null,"directors":[{"name":"Isao Takahata"}]},{"name":"Isao Takahata","mentor":{"name":"Hayao Miyazaki"},"directors":[]}],
  },
  {
    name: 'one-to-one embeds an object (or null)',
    path: '/films?select=title,film_details(budget,runtime_min)&id=in.(1,2)&order=id',
    text: `SELECT "test"."films"."title", row_to_json("films_film_details_1".*)::jsonb AS "film_details" FROM "test"."films" LEFT JOIN LATERAL ( SELECT "film_details_1"."budget", "film_details_1"."runtime_min" FROM "test"."film_details" AS "film_details_1" WHERE "film_details_1"."film_id" = "test"."films"."id"    ) AS "films_film_details_1" ON TRUE WHERE "test"."films"."id" = ANY ($1)  ORDER BY "test"."films"."id" `,
    params: ['{"1","2"}'],
    rows: [{"title":"Seven Samurai","film_details":{"budget":2000000,"runtime_min":207}},{"title":"Ikiru","film_details":null}],
  },
  {
    name: 'aggregates: count() and max() group by the other selected columns',
    path: '/films?select=director_id,count(),rating.max()&director_id=not.is.null&order=director_id',
    text: `SELECT "test"."films"."director_id", COUNT("test"."films".*), MAX("test"."films"."rating") FROM "test"."films" WHERE NOT "test"."films"."director_id" IS NULL  GROUP BY "test"."films"."director_id" ORDER BY "test"."films"."director_id" `,
    params: [],
    rows: [{"director_id":1,"count":3,"max":8.6},{"director_id":2,"count":1,"max":7.5},{"director_id":3,"count":2,"max":8.6}],
  },
  {
    name: "aggregates with casts: on the aggregate's result and on its input column",
    path: '/films?select=rating.sum()::text,rating::int.avg()',
    text: `SELECT CAST( SUM("test"."films"."rating") AS text ), AVG(CAST( "test"."films"."rating" AS int )) FROM "test"."films"   `,
    params: [],
    rows: [{"sum":"49.0","avg":8.333333333333334}],
  },
  {
    name: 'aggregates inside a to-many embed are computed per parent',
    path: '/directors?select=name,films!films_director_fkey(count(),rating.avg())&order=id',
    text: `SELECT "test"."directors"."name", COALESCE( "directors_films_1"."directors_films_1", '[]') AS "films" FROM "test"."directors" LEFT JOIN LATERAL ( SELECT json_agg("directors_films_1")::jsonb AS "directors_films_1" FROM (SELECT COUNT("films_1".*), AVG("films_1"."rating") FROM "test"."films" AS "films_1" WHERE "films_1"."director_id" = "test"."directors"."id"    ) AS "directors_films_1" ) AS "directors_films_1" ON TRUE  ORDER BY "test"."directors"."id" `,
    params: [],
    rows: [{"name":"Akira Kurosawa","films":[{"avg":8.366666666666667,"count":3}]},{"name":"Ishiro Honda","films":[{"avg":7.5,"count":1}]},{"name":"Hayao Miyazaki","films":[{"avg":8.2,"count":2}]},{"name":"Isao Takahata","films":[{"avg":null,"count":0}]}],
  },
  {
    name: "an aggregate inside a to-one spread is hoisted to the parent's level",
    path: '/films?select=title,...directors!films_director_fkey(name,count())&order=title',
    text: `SELECT "test"."films"."title", "films_directors_1"."name", COUNT("films_directors_1"."count") AS "count" FROM "test"."films" LEFT JOIN LATERAL ( SELECT "directors_1"."name", "directors_1" AS "count" FROM "test"."directors" AS "directors_1" WHERE "directors_1"."id" = "test"."films"."director_id"    ) AS "films_directors_1" ON TRUE  GROUP BY "test"."films"."title", "films_directors_1"."name" ORDER BY "test"."films"."title" `,
    params: [],
    rows: [{"title":"Godzilla","name":"Ishiro Honda","count":1},{"title":"Ikiru","name":"Akira Kurosawa","count":1},{"title":"Ran","name":"Akira Kurosawa","count":1},{"title":"Seven Samurai","name":"Akira Kurosawa","count":1},{"title":"Spirited Away","name":"Hayao Miyazaki","count":1},{"title":"The Wind Rises","name":"Hayao Miyazaki","count":1},{"title":"Untitled","name":null,"count":0}],
  },
  {
    name: "a spread's columns are grouping keys for the parent's aggregates",
    path: '/films?select=...directors!films_director_fkey(name),rating.max()&order=directors(name)',
    text: `SELECT MAX("test"."films"."rating"), "films_directors_1"."name" FROM "test"."films" LEFT JOIN LATERAL ( SELECT "directors_1"."name" FROM "test"."directors" AS "directors_1" WHERE "directors_1"."id" = "test"."films"."director_id"    ) AS "films_directors_1" ON TRUE  GROUP BY "films_directors_1"."name" ORDER BY "films_directors_1"."name" `,
    params: [],
    rows: [{"max":8.6,"name":"Akira Kurosawa"},{"max":8.6,"name":"Hayao Miyazaki"},{"max":7.5,"name":"Ishiro Honda"},{"max":null,"name":null}],
  },]

describe('embedding compiles to one statement', () => {
  it.each(GOLDEN.map((g) => [g.name, g] as const))('%s', async (_name, g) => {
    const q = readSql(g.path, config)
    expect(q).toEqual({ text: g.text, params: g.params })
    expect(await runRead(q)).toEqual(g.rows)
  })
})

describe('count query', () => {
  it('turns an !inner embed into EXISTS, without its select, order or lateral join', async () => {
    const q = countSql('/films?select=title,directors!films_director_fkey!inner(name)&directors.name=eq.Hayao%20Miyazaki&order=id&limit=1')
    expect(q).toEqual({
      text: `SELECT 1 FROM "test"."films" WHERE EXISTS (SELECT 1 FROM "test"."directors" AS "directors_1" WHERE "directors_1"."name" = $1 AND "directors_1"."id" = "test"."films"."director_id" )`,
      params: ['Hayao Miyazaki'],
    })
    expect(await runCount(q)).toBe(2)
  })

  it('turns embed=not.is.null into EXISTS and embed=is.null into NOT EXISTS', async () => {
    const semi = countSql('/films?select=title,film_details()&film_details=not.is.null')
    expect(semi).toEqual({
      text: `SELECT 1 FROM "test"."films" WHERE EXISTS (SELECT 1 FROM "test"."film_details" AS "film_details_1" WHERE "film_details_1"."film_id" = "test"."films"."id")`,
      params: [],
    })
    expect(await runCount(semi)).toBe(2)
    const anti = countSql('/films?select=title,film_details()&film_details=is.null')
    expect(anti.text).toBe(
      `SELECT 1 FROM "test"."films" WHERE NOT EXISTS (SELECT 1 FROM "test"."film_details" AS "film_details_1" WHERE "film_details_1"."film_id" = "test"."films"."id")`,
    )
    expect(await runCount(anti)).toBe(5)
  })

  it('keeps null-embed tests inside or=(…) and ignores left-joined embeds', async () => {
    const q = countSql('/films?select=title,film_details(),directors!films_director_fkey(name)&or=(film_details.not.is.null,year.gt.2010)')
    expect(q).toEqual({
      text: `SELECT 1 FROM "test"."films" WHERE (EXISTS (SELECT 1 FROM "test"."film_details" AS "film_details_1" WHERE "film_details_1"."film_id" = "test"."films"."id") OR "test"."films"."year" > $1)`,
      params: ['2010'],
    })
    expect(await runCount(q)).toBe(4)
  })
})

describe('statement shapes', () => {
  it('depend on the request shape only: values are parameters', () => {
    const a = readSql('/films?select=title,actors(name)&actors.name=eq.Toshiro%20Mifune&id=in.(1,2)&actors.limit=1')
    const b = readSql('/films?select=title,actors(name)&actors.name=eq.x&id=in.(3,4,5,6)&actors.limit=7')
    expect(b.text).toBe(a.text)
    expect(a.params).toEqual(['Toshiro Mifune', '1', '0', '{"1","2"}'])
    expect(b.params).toEqual(['x', '7', '0', '{"3","4","5","6"}'])
  })

  it('quote every identifier coming from the request', () => {
    const q = readSql('/films?select=title,"my.director":directors!films_director_fkey(name)&id=eq.1')
    expect(q.text).toContain(`row_to_json("films_my.director_1".*)::jsonb AS "my.director"`)
    expect(q.params).toEqual(['1'])
  })
})
