/** PGRST_JWT_ROLE_CLAIM_KEY: RFC 9535 JSONPath, the deprecated JSPath, and what the role becomes. */
import { describe, expect, it } from 'vitest'
import { evaluateRoleClaim, parseRoleClaimKey, roleText } from '../../../src/auth/role-claim.ts'

const roleAt = (key: string, claims: unknown): unknown => {
  const p = parseRoleClaimKey(key)
  if (!p.ok) throw new Error(p.error)
  return evaluateRoleClaim(p.value, claims)
}

const claims = {
  role: 'top',
  app_metadata: { role: 'nested', roles: ['other', 'author', 'admin'] },
  postgrest: { roles: ['other', 'author'] },
  'https://www.example.com/role': { key: 'namespaced' },
  'a-b': 'dash',
  list: [{ name: 'x', role: 'rx' }, { name: 'y', role: 'ry' }],
  n: 7,
}

describe('JSONPath (RFC 9535)', () => {
  it('member access, nested', () => {
    expect(roleAt('$.role', claims)).toBe('top')
    expect(roleAt('$.app_metadata.role', claims)).toBe('nested')
    expect(roleAt("$['app_metadata']['role']", claims)).toBe('nested')
    expect(roleAt('$["a-b"]', claims)).toBe('dash')
    expect(roleAt("$['https://www.example.com/role'].key", claims)).toBe('namespaced')
  })

  it('array indices, negative indices, slices, wildcards: the first selected value', () => {
    expect(roleAt('$.postgrest.roles[1]', claims)).toBe('author')
    expect(roleAt('$.app_metadata.roles[-1]', claims)).toBe('admin')
    expect(roleAt('$.app_metadata.roles[1:]', claims)).toBe('author')
    expect(roleAt('$.app_metadata.roles[::-1]', claims)).toBe('admin')
    expect(roleAt('$.app_metadata.roles[*]', claims)).toBe('other')
    expect(roleAt('$.list[*].role', claims)).toBe('rx')
    expect(roleAt('$..roles[2]', claims)).toBe('admin')
  })

  it('filters: equality, regex search and match, logic, sub-queries', () => {
    expect(roleAt("$.postgrest.roles[?(@ == 'author')]", claims)).toBe('author')
    expect(roleAt("$.postgrest.roles[?@ != 'other']", claims)).toBe('author')
    expect(roleAt("$.postgrest.roles[?search(@, '^au')]", claims)).toBe('author')
    expect(roleAt("$.app_metadata.roles[?match(@, 'adm.*')]", claims)).toBe('admin')
    expect(roleAt("$.app_metadata.roles[?match(@, 'adm')]", claims)).toBeUndefined()
    expect(roleAt("$.list[?(@.name == 'y')].role", claims)).toBe('ry')
    expect(roleAt("$.list[?@.name == 'x' || @.name == 'y'].role", claims)).toBe('rx')
    expect(roleAt("$.list[?!(@.name == 'x')].role", claims)).toBe('ry')
    expect(roleAt('$.list[?@.role].name', claims)).toBe('x')
    expect(roleAt('$.app_metadata.roles[?$.n > 5]', claims)).toBe('other')
  })

  it('selects nothing → undefined', () => {
    expect(roleAt('$.missing', claims)).toBeUndefined()
    expect(roleAt('$.postgrest.roles[5]', claims)).toBeUndefined()
    expect(roleAt('$.role.deeper', claims)).toBeUndefined()
    expect(roleAt('$.role', {})).toBeUndefined()
  })
})

describe('deprecated JSPath (v14 syntax)', () => {
  it('keys, quoted keys, indices', () => {
    expect(parseRoleClaimKey('.role')).toMatchObject({ ok: true, value: { kind: 'deprecated' } })
    expect(roleAt('.role', claims)).toBe('top')
    expect(roleAt('.postgrest.roles[1]', claims)).toBe('author')
    expect(roleAt('."https://www.example.com/role".key', claims)).toBe('namespaced')
  })

  it('a final filter picks the first matching string', () => {
    expect(roleAt('.postgrest.roles[?(@ == "author")]', claims)).toBe('author')
    expect(roleAt('.app_metadata.roles[?(@ ^== "ad")]', claims)).toBe('admin')
    expect(roleAt('.app_metadata.roles[?(@ ==^ "hor")]', claims)).toBe('author')
    expect(roleAt('.app_metadata.roles[?(@ *== "the")]', claims)).toBe('other')
    expect(roleAt('.app_metadata.roles[?(@ != "other")]', claims)).toBe('author')
  })
})

describe('parse errors', () => {
  it('text neither syntax accepts is refused with the reason', () => {
    for (const bad of ['role', '$.', '$[', "$['unterminated]", '$.a[?(@ == ]', '$.a[?nope(@)]', '.a[?(@ == "x")].b', '']) {
      const r = parseRoleClaimKey(bad)
      expect(r.ok, bad).toBe(false)
      if (!r.ok) expect(r.error).toContain(`failed to parse role-claim-key value (${bad})`)
    }
  })
})

describe('roleText', () => {
  it('strings as they are, other JSON values as their JSON text (as PostgREST)', () => {
    expect(roleText('author')).toBe('author')
    expect(roleText(7)).toBe('7')
    expect(roleText(null)).toBe('null')
    expect(roleText(['a'])).toBe('["a"]')
  })
})
