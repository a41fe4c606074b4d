/**
 * @module test/spec/cases/embed: resource embedding over HTTP with exact bodies, on the fixtures
 * of test/fixtures/70-embed.sql — many-to-one, one-to-many, many-to-many through `roles`,
 * one-to-one, self reference, views and a view over a view, a partitioned table, computed
 * relationships; aliases and hints, PGRST200/201 with PostgREST's hints, `!inner`/`!left`,
 * `embed=is.null` / `not.is.null`, filters/order/limit/offset/or inside embeds, ordering by a
 * to-one embed, spreads (to-one, to-many, many-to-many), and the aggregate refusal while
 * db-aggregates-enabled is off. Expectations follow PostgREST v16.2.
 */
import type { SpecCase } from '../types.ts'
import { get, head, okJson, pgrstError } from './common.ts'

const KUROSAWA = 'Akira Kurosawa'
const MIYAZAKI = 'Hayao Miyazaki'

export const cases: SpecCase[] = [
  // --- the three cardinalities -----------------------------------------------------------------
  {
    name: 'embed: many-to-one by constraint name, aliased, with the many-to-many in the same request',
    request: get('/films?select=title,director:directors!films_director_fkey(name),actors(name)&id=lte.3&order=id&actors.order=id'),
    expect: okJson(
      [
        { title: 'Seven Samurai', director: { name: KUROSAWA }, actors: [{ name: 'Toshiro Mifune' }, { name: 'Takashi Shimura' }] },
        { title: 'Ikiru', director: { name: KUROSAWA }, actors: [{ name: 'Takashi Shimura' }] },
        { title: 'Godzilla', director: { name: 'Ishiro Honda' }, actors: [{ name: 'Takashi Shimura' }] },
      ],
      { 'Content-Range': '0-2/*' },
    ),
  },
  {
    name: 'embed: many-to-one by the foreign key column, and a null parent key gives null',
    request: get('/films?select=title,director_id(name)&id=in.(5,7)&order=id'),
    expect: okJson([
      { title: 'The Wind Rises', director_id: { name: MIYAZAKI } },
      { title: 'Untitled', director_id: null },
    ]),
  },
  {
    name: 'embed: one-to-many disambiguated by the referencing column, ordered and paged inside',
    request: get('/directors?select=name,films!director_id(title)&films.order=year.desc&films.limit=2&films.offset=1&order=id&limit=2'),
    expect: okJson([
      { name: KUROSAWA, films: [{ title: 'Seven Samurai' }, { title: 'Ikiru' }] },
      { name: 'Ishiro Honda', films: [] },
    ]),
  },
  {
    name: 'embed: many-to-many from the other side, through the junction named as the hint',
    request: get('/actors?select=name,films!roles(title)&films.order=year,id&order=id&limit=2'),
    expect: okJson([
      { name: 'Toshiro Mifune', films: [{ title: 'Seven Samurai' }] },
      { name: 'Takashi Shimura', films: [{ title: 'Ikiru' }, { title: 'Seven Samurai' }, { title: 'Godzilla' }] },
    ]),
  },
  {
    name: 'embed: the junction table itself embeds both of its parents',
    request: get('/roles?select=character,films(title),actors(name)&film_id=eq.1&order=actor_id'),
    expect: okJson([
      { character: 'Kikuchiyo', films: { title: 'Seven Samurai' }, actors: { name: 'Toshiro Mifune' } },
      { character: 'Kambei Shimada', films: { title: 'Seven Samurai' }, actors: { name: 'Takashi Shimura' } },
    ]),
  },
  {
    name: 'embed: one-to-one in both directions gives an object, or null',
    request: get('/films?select=title,film_details(budget,runtime_min)&id=in.(1,2)&order=id'),
    expect: okJson([
      { title: 'Seven Samurai', film_details: { budget: 2000000, runtime_min: 207 } },
      { title: 'Ikiru', film_details: null },
    ]),
  },
  {
    name: 'embed: one-to-one from the child side',
    request: get('/film_details?select=runtime_min,films(title)&order=film_id'),
    expect: okJson([
      { runtime_min: 207, films: { title: 'Seven Samurai' } },
      { runtime_min: 125, films: { title: 'Spirited Away' } },
    ]),
  },
  {
    name: 'embed: self reference, the column names the parent and the table the children',
    request: get('/directors?select=name,mentor:mentor_id(name),directors(name)&order=id'),
    expect: okJson([
      { name: KUROSAWA, mentor: null, directors: [{ name: 'Ishiro Honda' }] },
      { name: 'Ishiro Honda', mentor: { name: KUROSAWA }, directors: [] },
      { name: MIYAZAKI, mentor: null, directors: [{ name: 'Isao Takahata' }] },
      { name: 'Isao Takahata', mentor: { name: MIYAZAKI }, directors: [] },
    ]),
  },
  {
    name: 'embed: three distinct levels, with a filter at the third',
    request: get(
      '/directors?select=name,films!director_id(title,actors(name))&id=eq.1&films.order=id&films.actors.order=id&films.actors.born=lt.1920',
    ),
    expect: okJson([
      {
        name: KUROSAWA,
        films: [
          { title: 'Seven Samurai', actors: [{ name: 'Takashi Shimura' }] },
          { title: 'Ikiru', actors: [{ name: 'Takashi Shimura' }] },
          { title: 'Ran', actors: [] },
        ],
      },
    ]),
  },
  {
    name: 'embed: * inside and next to embeds',
    request: get('/films?select=*,film_details(*)&id=eq.4'),
    expect: okJson([
      {
        id: 4,
        title: 'Spirited Away',
        year: 2001,
        rating: 8.6,
        director_id: 3,
        co_director_id: null,
        film_details: { film_id: 4, budget: 19000000, runtime_min: 125 },
      },
    ]),
  },
  // --- views, partitions, computed relationships ------------------------------------------------
  {
    name: 'embed: a view over a view embeds the parent of its base table (renamed column kept)',
    request: get('/recent_films?select=name,directors(name)&order=id'),
    expect: okJson([
      { name: 'Spirited Away', directors: { name: MIYAZAKI } },
      { name: 'The Wind Rises', directors: { name: MIYAZAKI } },
      { name: 'Untitled', directors: null },
    ]),
  },
  {
    name: 'embed: a table embeds a view over a view of its children',
    request: get('/directors?select=name,recent_films(name)&id=eq.3&recent_films.order=id'),
    expect: okJson([{ name: MIYAZAKI, recent_films: [{ name: 'Spirited Away' }, { name: 'The Wind Rises' }] }]),
  },
  {
    name: 'embed: a partitioned table and its parent, both ways',
    request: get('/films?select=title,screenings(city,shown_on)&id=in.(1,4)&order=id&screenings.order=shown_on'),
    expect: okJson([
      {
        title: 'Seven Samurai',
        screenings: [
          { city: 'Tokyo', shown_on: '2023-05-01' },
          { city: 'Kyoto', shown_on: '2024-03-15' },
        ],
      },
      {
        title: 'Spirited Away',
        screenings: [
          { city: 'Osaka', shown_on: '2023-07-10' },
          { city: 'Tokyo', shown_on: '2024-02-01' },
        ],
      },
    ]),
  },
  {
    name: 'embed: rows of a partitioned table embed their parent',
    request: get('/screenings?select=city,films(title)&order=id'),
    expect: okJson([
      { city: 'Tokyo', films: { title: 'Seven Samurai' } },
      { city: 'Osaka', films: { title: 'Spirited Away' } },
      { city: 'Tokyo', films: { title: 'Spirited Away' } },
      { city: 'Kyoto', films: { title: 'Seven Samurai' } },
    ]),
  },
  {
    name: 'embed: computed relationships, to-one (ROWS 1) and to-many',
    request: get('/films?select=title,lead_actor(name),same_year_films(title)&id=in.(1,7)&order=id'),
    expect: okJson([
      { title: 'Seven Samurai', lead_actor: { name: 'Toshiro Mifune' }, same_year_films: [{ title: 'Godzilla' }] },
      { title: 'Untitled', lead_actor: null, same_year_films: [] },
    ]),
  },
  // --- join types and null filters ----------------------------------------------------------------
  {
    name: 'embed: !inner keeps only parents whose embed matches, and counts them',
    request: get('/films?select=title,directors!films_director_fkey!inner(name)&directors.name=eq.Hayao%20Miyazaki&order=id', {
      Prefer: 'count=exact',
    }),
    expect: okJson(
      [
        { title: 'Spirited Away', directors: { name: MIYAZAKI } },
        { title: 'The Wind Rises', directors: { name: MIYAZAKI } },
      ],
      { 'Content-Range': '0-1/2' },
    ),
  },
  {
    name: 'embed: !left keeps every parent and nulls the filtered embed',
    request: get('/films?select=title,directors!films_director_fkey!left(name)&directors.name=eq.Ishiro%20Honda&id=lte.3&order=id'),
    expect: okJson([
      { title: 'Seven Samurai', directors: null },
      { title: 'Ikiru', directors: null },
      { title: 'Godzilla', directors: { name: 'Ishiro Honda' } },
    ]),
  },
  {
    name: 'embed: embed=not.is.null with an empty embed select keeps parents that have a match',
    request: get('/films?select=title,film_details()&film_details=not.is.null&order=id', { Prefer: 'count=exact' }),
    expect: okJson([{ title: 'Seven Samurai' }, { title: 'Spirited Away' }], { 'Content-Range': '0-1/2' }),
  },
  {
    name: 'embed: embed=is.null keeps parents without a match',
    request: get('/directors?select=name,films!director_id()&films=is.null'),
    expect: okJson([{ name: 'Isao Takahata' }]),
  },
  {
    name: 'embed: null filters on two embeds combined with or',
    request: get('/films?select=title,film_details(),lead_actor()&or=(film_details.not.is.null,lead_actor.is.null)&order=id'),
    expect: okJson([{ title: 'Seven Samurai' }, { title: 'Spirited Away' }, { title: 'The Wind Rises' }, { title: 'Untitled' }]),
  },
  {
    name: 'embed: or inside an embed',
    request: get('/directors?select=name,films!director_id(title)&films.or=(year.lt.1953,year.gt.2010)&films.order=id&order=id'),
    expect: okJson([
      { name: KUROSAWA, films: [{ title: 'Ikiru' }] },
      { name: 'Ishiro Honda', films: [] },
      { name: MIYAZAKI, films: [{ title: 'The Wind Rises' }] },
      { name: 'Isao Takahata', films: [] },
    ]),
  },
  {
    name: 'embed: order the parent by a to-one embed column, nulls first when descending',
    request: get('/films?select=title,director:directors!films_director_fkey(name)&order=director(name).desc,id&limit=4'),
    expect: okJson([
      { title: 'Untitled', director: null },
      { title: 'Godzilla', director: { name: 'Ishiro Honda' } },
      { title: 'Spirited Away', director: { name: MIYAZAKI } },
      { title: 'The Wind Rises', director: { name: MIYAZAKI } },
    ]),
  },
  {
    name: 'embed: HEAD with an embed sends the headers only',
    request: head('/films?select=title,actors(name)&id=eq.1'),
    expect: { status: 200, text: '', headers: { 'Content-Range': '0-0/*' } },
  },
  // --- spreads ----------------------------------------------------------------------------------
  {
    name: 'spread: to-one columns join the parent row, aliases kept',
    request: get('/films?select=title,...directors!films_director_fkey(director:name)&id=in.(1,4,7)&order=id'),
    expect: okJson([
      { title: 'Seven Samurai', director: KUROSAWA },
      { title: 'Spirited Away', director: MIYAZAKI },
      { title: 'Untitled', director: null },
    ]),
  },
  {
    name: 'spread: nested to-one spreads flatten two levels',
    request: get('/screenings?select=city,...films(title,...directors!films_director_fkey(director:name))&id=eq.2'),
    expect: okJson([{ city: 'Osaka', title: 'Spirited Away', director: MIYAZAKI }]),
  },
  {
    name: 'spread: one-to-many columns become arrays, in the embed order',
    request: get('/directors?select=name,...films!director_id(titles:title,year)&films.order=year.desc&id=in.(3,4)&order=id'),
    expect: okJson([
      { name: MIYAZAKI, titles: ['The Wind Rises', 'Spirited Away'], year: [2013, 2001] },
      { name: 'Isao Takahata', titles: [], year: [] },
    ]),
  },
  {
    name: 'spread: many-to-many columns become arrays',
    request: get('/films?select=title,...actors(cast:name)&actors.order=name&id=eq.1'),
    expect: okJson([{ title: 'Seven Samurai', cast: ['Takashi Shimura', 'Toshiro Mifune'] }]),
  },
  // --- errors -------------------------------------------------------------------------------------
  {
    name: 'embed error: two foreign keys to the same table are ambiguous (300, PGRST201 with the candidates)',
    request: get('/films?select=title,directors(name)'),
    expect: {
      status: 300,
      json: {
        code: 'PGRST201',
        details: [
          {
            cardinality: 'many-to-one',
            embedding: 'films with directors',
            relationship: 'films_co_director_fkey using films(co_director_id) and directors(id)',
          },
          {
            cardinality: 'many-to-one',
            embedding: 'films with directors',
            relationship: 'films_director_fkey using films(director_id) and directors(id)',
          },
        ],
        hint: "Try changing 'directors' to one of the following: 'directors!films_co_director_fkey', 'directors!films_director_fkey'. Find the desired relationship in the 'details' key.",
        message: "Could not embed because more than one relationship was found for 'films' and 'directors'",
      },
      headers: { 'Content-Type': 'application/json; charset=utf-8', 'Proxy-Status': 'PostgREST; error=PGRST201' },
    },
  },
  {
    name: 'embed error: the one-to-many side is ambiguous too',
    request: get('/directors?select=name,films(title)'),
    expect: {
      status: 300,
      json: {
        code: 'PGRST201',
        details: [
          {
            cardinality: 'one-to-many',
            embedding: 'directors with films',
            relationship: 'films_co_director_fkey using directors(id) and films(co_director_id)',
          },
          {
            cardinality: 'one-to-many',
            embedding: 'directors with films',
            relationship: 'films_director_fkey using directors(id) and films(director_id)',
          },
        ],
        hint: "Try changing 'films' to one of the following: 'films!films_co_director_fkey', 'films!films_director_fkey'. Find the desired relationship in the 'details' key.",
        message: "Could not embed because more than one relationship was found for 'directors' and 'films'",
      },
      headers: { 'Proxy-Status': 'PostgREST; error=PGRST201' },
    },
  },
  {
    name: 'embed error: a hint that names no relationship (PGRST200 mentions the hint)',
    request: get('/films?select=title,directors!nope(name)'),
    expect: pgrstError(
      400,
      'PGRST200',
      "Could not find a relationship between 'films' and 'directors' in the schema cache",
      "Searched for a foreign key relationship between 'films' and 'directors' using the hint 'nope' in the schema 'test', but no matches were found.",
    ),
  },
  {
    name: 'embed error: a misspelled embed gets the closest target as a hint',
    request: get('/films?select=title,actorz(name)'),
    expect: pgrstError(
      400,
      'PGRST200',
      "Could not find a relationship between 'films' and 'actorz' in the schema cache",
      "Searched for a foreign key relationship between 'films' and 'actorz' in the schema 'test', but no matches were found.",
      "Perhaps you meant 'actors' instead of 'actorz'.",
    ),
  },
  {
    name: 'embed error: filtering below an embed that is not in select (PGRST108)',
    request: get('/films?select=title,actors(name)&actors.roles.character=eq.x'),
    expect: pgrstError(
      400,
      'PGRST108',
      "'roles' is not an embedded resource in this request",
      null,
      "Verify that 'roles' is included in the 'select' query parameter.",
    ),
  },
  {
    name: 'embed error: ordering by a to-many embed (PGRST118)',
    request: get('/directors?select=name,films!director_id(title)&order=films(title)'),
    expect: pgrstError(
      400,
      'PGRST118',
      "A related order on 'films' is not possible",
      "'directors' and 'films' do not form a many-to-one or one-to-one relationship",
    ),
  },
  {
    name: 'embed error: aggregates inside an embed are refused while disabled (PGRST123)',
    request: get('/directors?select=name,films!director_id(count())'),
    expect: pgrstError(400, 'PGRST123', 'Use of aggregate functions is not allowed'),
  },
]
