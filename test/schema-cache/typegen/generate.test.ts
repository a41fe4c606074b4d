/**
 * The type generator on literal snapshots (test/schema-cache/typegen/fixture-snapshot.ts), against output
 * written out by hand from the rules: Row/Insert/Update/Relationships of tables and views, one-to-one
 * and many-to-many relationships, enums, composite types, functions (defaults, overloads,
 * VARIADIC, SETOF with and without ROWS 1, RETURNS TABLE, a row parameter), the PG → TS mapping,
 * the helper types and constants, and refusing snapshots without usable type information.
 */
import { describe, expect, it } from 'vitest'
import { databaseType } from '../../../schema-cache/typegen/database.ts'
import { generateTypes } from '../../../schema-cache/typegen/generate.ts'
import { constants, helperTypes } from '../../../schema-cache/typegen/helpers.ts'
import type { SchemaCacheSnapshot, TypeInfo } from '../../../src/schema-cache/types.ts'
import { appTypeInfo, col, snapshotOf, table } from './fixture-snapshot.ts'

const APP_DATABASE = `export type Database = {
  // the PostgREST version postgrest-js types requests for (createClient<Database> reads it)
  __InternalSupabase: {
    PostgrestVersion: "14"
  }
  app: {
    Tables: {
      avatars: {
        Row: {
          user_id: number
          url: string
        }
        Insert: {
          user_id: number
          url: string
        }
        Update: {
          user_id?: number
          url?: string
        }
        Relationships: [
          {
            foreignKeyName: "avatars_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: true
            referencedRelation: "users"
            referencedColumns: ["id"]
          },
        ]
      }
      groups: {
        Row: {
          id: number
          name: string
        }
        Insert: {
          id: number
          name: string
        }
        Update: {
          id?: number
          name?: string
        }
        Relationships: []
      }
      memberships: {
        Row: {
          user_id: number
          group_id: number
        }
        Insert: {
          user_id: number
          group_id: number
        }
        Update: {
          user_id?: number
          group_id?: number
        }
        Relationships: [
          {
            foreignKeyName: "memberships_group_id_fkey"
            columns: ["group_id"]
            isOneToOne: false
            referencedRelation: "groups"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "memberships_user_id_fkey"
            columns: ["user_id"]
            isOneToOne: false
            referencedRelation: "users"
            referencedColumns: ["id"]
          },
        ]
      }
      users: {
        Row: {
          id: number
          email: string
          nickname: string | null
          role: Database["app"]["Enums"]["role"]
          profile: Json | null
          created_at: string
          home: Database["app"]["CompositeTypes"]["point2"] | null
          tags: string[]
        }
        Insert: {
          id?: never
          email: string
          nickname?: string | null
          role?: Database["app"]["Enums"]["role"]
          profile?: Json | null
          created_at?: string
          home?: Database["app"]["CompositeTypes"]["point2"] | null
          tags?: string[]
        }
        Update: {
          id?: never
          email?: string
          nickname?: string | null
          role?: Database["app"]["Enums"]["role"]
          profile?: Json | null
          created_at?: string
          home?: Database["app"]["CompositeTypes"]["point2"] | null
          tags?: string[]
        }
        Relationships: []
      }
    }
    Views: {
      user_emails: {
        Row: {
          id: number | null
          email: string | null
          upper_email: string | null
        }
        Insert: {
          id?: number | null
          email?: string | null
          upper_email?: never
        }
        Update: {
          id?: number | null
          email?: string | null
          upper_email?: never
        }
        Relationships: []
      }
    }
    Functions: {
      greet:
        | {
            Args: never
            Returns: string
          }
        | {
            Args: {
              name: string
              punctuation?: string
            }
            Returns: string
          }
      noop: {
        Args: never
        Returns: undefined
      }
      one_user: {
        Args: {
          uid: number
        }
        Returns: Database["app"]["Tables"]["users"]["Row"]
        SetofOptions: {
          from: "*"
          to: "users"
          isOneToOne: true
          isSetofReturn: true
        }
      }
      origin: {
        Args: never
        Returns: Database["app"]["CompositeTypes"]["point2"]
      }
      stats: {
        Args: never
        Returns: {
          n: number
          role: Database["app"]["Enums"]["role"]
        }[]
      }
      sum_all: {
        Args: {
          nums: number[]
        }
        Returns: number
      }
      user_groups: {
        Args: {
          u: Database["app"]["Tables"]["users"]["Row"]
        }
        Returns: Database["app"]["Tables"]["groups"]["Row"][]
        SetofOptions: {
          from: "users"
          to: "groups"
          isOneToOne: false
          isSetofReturn: true
        }
      }
      users_by_role: {
        Args: {
          r: Database["app"]["Enums"]["role"]
          lim?: number
        }
        Returns: Database["app"]["Tables"]["users"]["Row"][]
        SetofOptions: {
          from: "*"
          to: "users"
          isOneToOne: false
          isSetofReturn: true
        }
      }
    }
    Enums: {
      role: "admin" | "member"
    }
    CompositeTypes: {
      point2: {
        x: number | null
        y: number | null
      }
    }
  }
}
`

describe('Database', () => {
  it('writes tables, views, relationships, functions, enums and composite types', () => {
    expect(databaseType(snapshotOf(), appTypeInfo)).toBe(APP_DATABASE)
  })

  it('maps PostgreSQL types as the Supabase CLI does, through domains, arrays and other schemas', () => {
    const misc = table('misc', [
      col('b', 'boolean'),
      col('i2', 'smallint'),
      col('big', 'bigint'),
      col('f', 'real'),
      col('n', 'numeric'),
      col('c', 'character', { nominalType: 'character(3)' }),
      col('t', 'time without time zone'),
      col('iv', 'interval'),
      col('raw', 'bytea'),
      col('u', 'uuid'),
      col('ids', 'bigint[]'),
      col('doc', 'json'),
      col('ci', 'public.citext'),
      col('addr', 'inet', { nullable: true }),
      col('ch', '"char"'),
      col('span', 'int4range', { nullable: true }),
      col('lvl', 'lib.level', { nullable: true, enum: ['low', 'high'] }),
      col('lvls', 'lib.level[]'),
      col('pt', 'lib.point'),
      col('pts', 'lib.point[]'),
      col('d', 'app.dom'),
      col('ed', 'lib.enum_dom', { enum: ['on', 'off'] }),
      col('with space', 'text'),
      col('a"b', 'text'),
    ])
    const info: TypeInfo = {
      dbSchemas: ['app'],
      types: [
        { kind: 'domain', schema: 'app', name: 'dom', type: 'app.dom', baseType: 'app.dom2' },
        { kind: 'domain', schema: 'app', name: 'dom2', type: 'app.dom2', baseType: 'integer' },
        { kind: 'enum', schema: 'lib', name: 'level', type: 'lib.level', labels: ['low', 'high'] },
        { kind: 'composite', schema: 'lib', name: 'point', type: 'lib.point', attributes: [{ name: 'x', type: 'integer' }] },
      ],
      routines: [],
      readOnlyColumns: [],
    }
    const text = databaseType(snapshotOf({ tables: [misc], relationships: [], routines: [], typeInfo: info }), info)
    const row = text.slice(text.indexOf('Row: {') + 7, text.indexOf('        }\n        Insert'))
    expect(row).toBe(
      [
        'b: boolean',
        'i2: number',
        'big: number',
        'f: number',
        'n: number',
        'c: string',
        't: string',
        'iv: string',
        'raw: string',
        'u: string',
        'ids: number[]',
        'doc: Json',
        'ci: string',
        'addr: unknown', // unknown admits null already
        'ch: unknown',
        'span: unknown',
        'lvl: "low" | "high" | null', // an enum outside the exposed schemas is written out
        'lvls: ("low" | "high")[]',
        'pt: unknown', // a composite type outside them is unknown, as in the CLI
        'pts: unknown[]',
        'd: number', // a domain over a domain over integer
        'ed: "on" | "off"', // a domain the snapshot did not follow: the column's labels
        '"with space": string',
        '"a\\"b": string',
      ]
        .map((line) => `          ${line}\n`)
        .join(''),
    )
    expect(text).toContain('    Views: {\n      [_ in never]: never\n    }\n    Functions: {\n      [_ in never]: never\n    }')
  })

  it('leaves out Insert and Update of views that cannot be written, and relationships to other schemas', () => {
    const counts = table('counts', [col('n', 'bigint', { nullable: true })], { isView: true, insertable: false, updatable: false })
    const other = table('elsewhere', [col('id', 'integer')], { schema: 'lib' })
    const child = table('child', [col('lib_id', 'integer')])
    const text = databaseType(
      snapshotOf({
        tables: [child, counts, other],
        relationships: [
          {
            kind: 'fk',
            table: { schema: 'app', name: 'child' },
            foreignTable: { schema: 'lib', name: 'elsewhere' },
            isSelf: false,
            cardinality: { kind: 'M2O', constraint: 'child_lib_id_fkey', columns: [['lib_id', 'id']] },
            tableIsView: false,
            foreignTableIsView: false,
          },
        ],
        routines: [],
      }),
      { ...appTypeInfo, dbSchemas: ['app', 'lib'], routines: [] },
    )
    expect(text).toContain('      counts: {\n        Row: {\n          n: number | null\n        }\n        Relationships: []\n      }')
    // postgrest-js looks relationships up by name in the same schema
    expect(text).toContain('          lib_id?: number\n        }\n        Relationships: []')
    expect(text).toContain('  lib: {\n    Tables: {\n      elsewhere: {')
  })
})

describe('helpers', () => {
  it('default to the first exposed schema and list every enum in Constants', () => {
    const info = { ...appTypeInfo, dbSchemas: ['app', 'lib'] }
    expect(helperTypes(info)).toContain('type DefaultSchema = Schemas["app"]\n')
    expect(helperTypes(info)).toContain(
      [
        'export type TablesInsert<',
        '  NameOrSchema extends keyof DefaultSchema["Tables"] | { schema: SchemaName },',
        '  InSchema extends NameOrSchema extends { schema: SchemaName } ? keyof Schemas[NameOrSchema["schema"]]["Tables"] : never = never,',
        '> = NameOrSchema extends { schema: SchemaName }',
        '  ? Schemas[NameOrSchema["schema"]]["Tables"][InSchema] extends { Insert: infer P } ? P : never',
        '  : NameOrSchema extends keyof DefaultSchema["Tables"]',
        '    ? DefaultSchema["Tables"][NameOrSchema] extends { Insert: infer P } ? P : never',
        '    : never',
      ].join('\n'),
    )
    expect(constants(info)).toBe(
      'export const Constants = {\n  app: {\n    Enums: {\n      role: ["admin", "member"],\n    },\n  },\n  lib: {\n    Enums: {},\n  },\n} as const\n',
    )
  })
})

describe('generateTypes', () => {
  it('writes a header, Json, Database, the helpers and Constants, the same for the same snapshot', () => {
    const result = generateTypes(snapshotOf())
    if (!result.ok) throw new Error(result.error)
    expect(result.value.startsWith(
      '// Generated by edgerest-schema-cache --types from a schema cache snapshot; do not edit.\n' +
        '// Schemas: app. Snapshot fingerprint: 0123456789ab.\n\n' +
        'export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]\n\n' +
        APP_DATABASE,
    )).toBe(true)
    expect(result.value.endsWith(`${helperTypes(appTypeInfo)}\n${constants(appTypeInfo)}`)).toBe(true)
    expect(generateTypes(snapshotOf({ generatedAt: '2030-01-01T00:00:00.000Z' }))).toEqual(result)
  })

  it('asks for a regenerated snapshot when the type information is missing or broken', () => {
    const { typeInfo: _, ...old } = snapshotOf()
    expect(generateTypes(old as SchemaCacheSnapshot)).toEqual({
      ok: false,
      error: 'the snapshot has no type information (it was written before --types existed); regenerate it with npm run schema-cache',
    })
    const broken = { ...appTypeInfo, types: [{ ...appTypeInfo.types[2], labels: 'admin' }] } as unknown as TypeInfo
    expect(generateTypes(snapshotOf({ typeInfo: broken }))).toEqual({
      ok: false,
      error: `the snapshot's type information is invalid (regenerate it with npm run schema-cache): typeInfo.types[0].labels must be an array, got "admin"`,
    })
    const shifted = { ...appTypeInfo, routines: [...appTypeInfo.routines.slice(1), appTypeInfo.routines[0]] } as TypeInfo
    expect(generateTypes(snapshotOf({ typeInfo: shifted }))).toEqual({
      ok: false,
      error: `the snapshot's type information is invalid (regenerate it with npm run schema-cache): typeInfo.routines[0] must be the result of app.greet(), got "app.greet(text, text)"`,
    })
  })
})
