/**
 * @module test/spec/cases/auth: authentication as the client sees it, with SPEC_SETTINGS (HS256
 * secret, anonymous role `anonymous`, no authenticated-role default), on every runtime:
 * - row-level security keyed on the token's claims (test/fixtures/50-auth.sql): a policy on `sub`,
 *   one on a nested claim through the helper `auth.org_id()`, the anonymous role's own policy;
 * - the claims and the role as SQL sees them;
 * - every way a token is refused, with PostgREST's status, body and `WWW-Authenticate`;
 * - CORS: the preflight and the headers of a cross-origin response.
 * Tokens are signed here (jose, WebCrypto), with fixed claims except where a time relative to now
 * is the point.
 */
import { SignJWT, base64url, generateKeyPair } from 'jose'
import { SPEC_SETTINGS, type SpecCase, type SpecExpect } from '../types.ts'
import { JSON_CT, get, pgrstError } from './common.ts'

const secret = new TextEncoder().encode(SPEC_SETTINGS['PGRST_JWT_SECRET'])

const hs256 = (claims: Record<string, unknown>, header: Record<string, unknown> = {}): Promise<string> =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...header }).sign(secret)

const now = Math.floor(Date.now() / 1000)
const rsa = await generateKeyPair('RS256')

const T = {
  user1: await hs256({ role: 'authenticated', sub: 'user-1', app_metadata: { org: 'acme' } }),
  user2Globex: await hs256({ role: 'authenticated', sub: 'user-2', app_metadata: { org: 'globex' } }),
  user3: await hs256({ role: 'authenticated', sub: 'user-3' }),
  noRole: await hs256({ sub: 'user-1', app_metadata: { org: 'acme' } }),
  bot: await hs256({ role: 'authenticated', sub: 'audit-bot', app_metadata: { org: 'acme', tier: 3 } }),
  anonymousRole: await hs256({ role: 'anonymous' }),
  expired: await hs256({ role: 'authenticated', exp: now - 3600 }),
  notExpired: await hs256({ role: 'authenticated', sub: 'user-3', exp: now + 24 * 3600 }),
  notYetValid: await hs256({ role: 'authenticated', nbf: now + 3600 }),
  issuedInFuture: await hs256({ role: 'authenticated', iat: now + 3600 }),
  expNotNumber: await hs256({ role: 'authenticated', exp: 'tomorrow' }),
  audObject: await hs256({ role: 'authenticated', aud: { invalid: 'value' } }),
  hs512: await new SignJWT({ role: 'authenticated' }).setProtectedHeader({ alg: 'HS512' }).sign(secret),
  withKid: await hs256({ role: 'authenticated' }, { kid: 'some-key' }),
  rs256: await new SignJWT({ role: 'authenticated' }).setProtectedHeader({ alg: 'RS256' }).sign(rsa.privateKey),
  otherSecret: await new SignJWT({ role: 'authenticated' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('not-the-configured-secret-at-all')),
  unknownRole: await hs256({ role: 'no_such_role' }),
}

/** user-1's token with the payload swapped for one naming user-3 (signature kept). */
const tampered = (() => {
  const [h, , s] = T.user1.split('.')
  return `${h}.${base64url.encode(JSON.stringify({ role: 'authenticated', sub: 'user-3' }))}.${s}`
})()

/** `{"alg":"none"}` with a forged payload. */
const unsecured = `${base64url.encode('{"alg":"none","typ":"JWT"}')}.${base64url.encode('{"role":"authenticated","sub":"user-1"}')}.`

/** Signed HS256 over a payload that is a JSON array, not an object. */
const arrayPayload = await (async () => {
  const input = `${base64url.encode('{"alg":"HS256"}')}.${base64url.encode('["role","authenticated"]')}`
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  return `${input}.${base64url.encode(new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(input))))}`
})()

const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` })

const notes = (ids: readonly number[]): SpecExpect => ({ status: 200, json: ids.map((id) => ({ id })), headers: { 'Content-Type': JSON_CT } })

const invalidToken = (status: number, code: string, message: string, details: string | null = null): SpecExpect =>
  pgrstError(status, code, message, details, null, { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="${message}"` })

const NOTES = '/rls_notes?select=id&order=id'

export const cases: readonly SpecCase[] = [
  // Row-level security by claims.
  {
    name: 'auth: anonymous callers see only what the anonymous policy allows',
    request: get(NOTES),
    expect: notes([4]),
  },
  {
    name: 'auth: RLS by sub and by a nested claim (auth.org_id()): own note and the organisation’s',
    request: get(NOTES, bearer(T.user1)),
    expect: notes([1, 2]),
  },
  {
    name: 'auth: RLS by sub: user-3 sees its own notes only',
    request: get(NOTES, bearer(T.user3)),
    expect: notes([3, 4]),
  },
  {
    name: 'auth: RLS: another sub and org see other rows',
    request: get(NOTES, bearer(T.user2Globex)),
    expect: notes([2, 3]),
  },
  {
    name: 'auth: a valid token without a role claim runs as the anonymous role (PostgREST default)',
    request: get(NOTES, bearer(T.noRole)),
    expect: notes([4]),
  },
  {
    name: 'auth: SQL helpers read sub, the nested claim and the role from the token',
    request: get('/rls_whoami', bearer(T.bot)),
    expect: { status: 200, json: [{ uid: 'audit-bot', org: 'acme', role: 'authenticated', app_metadata: { org: 'acme', tier: 3 } }] },
  },
  {
    name: 'auth: request.jwt.claims for a role-less token is its claims plus the role it runs as',
    request: get('/request_context?select=claims,user', bearer(T.noRole)),
    expect: { status: 200, json: [{ claims: { app_metadata: { org: 'acme' }, role: 'anonymous', sub: 'user-1' }, user: 'anonymous' }] },
  },
  {
    name: 'auth: the scheme is case-insensitive',
    request: get(NOTES, { Authorization: `bearer ${T.user3}` }),
    expect: notes([3, 4]),
  },
  {
    name: 'auth: another scheme is no token: anonymous',
    request: get(NOTES, { Authorization: 'Basic dXNlcjpwYXNz' }),
    expect: notes([4]),
  },
  {
    // (The 30 s skew at the edges is unit-tested with a controlled clock: test/unit/auth.)
    name: 'auth: a token that has not expired yet',
    request: get(NOTES, bearer(T.notExpired)),
    expect: notes([3, 4]),
  },
  {
    name: 'auth: a token naming the anonymous role is not authenticated: 42501 is 401',
    request: get('/private_notes?select=id', bearer(T.anonymousRole)),
    expect: pgrstError(401, '42501', 'permission denied for table private_notes', null, null, { 'WWW-Authenticate': 'Bearer' }),
  },
  {
    name: 'auth: a role that does not exist',
    request: get(NOTES, bearer(T.unknownRole)),
    expect: pgrstError(401, '22023', 'role "no_such_role" does not exist'),
  },

  // Refused tokens.
  {
    name: 'auth: expired',
    request: get(NOTES, bearer(T.expired)),
    expect: invalidToken(401, 'PGRST303', 'JWT expired'),
  },
  {
    name: 'auth: not yet valid',
    request: get(NOTES, bearer(T.notYetValid)),
    expect: invalidToken(401, 'PGRST303', 'JWT not yet valid'),
  },
  {
    name: 'auth: issued in the future',
    request: get(NOTES, bearer(T.issuedInFuture)),
    expect: invalidToken(401, 'PGRST303', 'JWT issued at future'),
  },
  {
    name: 'auth: exp that is not a number',
    request: get(NOTES, bearer(T.expNotNumber)),
    expect: invalidToken(401, 'PGRST303', "The JWT 'exp' claim must be a number"),
  },
  {
    name: 'auth: aud that is neither a string nor an array of strings',
    request: get(NOTES, bearer(T.audObject)),
    expect: invalidToken(401, 'PGRST303', "The JWT 'aud' claim must be a string or an array of strings"),
  },
  {
    name: 'auth: tampered payload',
    request: get(NOTES, bearer(tampered)),
    expect: invalidToken(401, 'PGRST301', 'No suitable key or wrong key type', 'None of the keys was able to decode the JWT'),
  },
  {
    name: 'auth: signed with another secret',
    request: get(NOTES, bearer(T.otherSecret)),
    expect: invalidToken(401, 'PGRST301', 'No suitable key or wrong key type', 'None of the keys was able to decode the JWT'),
  },
  {
    name: 'auth: alg none',
    request: get(NOTES, bearer(unsecured)),
    expect: invalidToken(401, 'PGRST301', 'Wrong or unsupported encoding algorithm', "JWT is unsecured but expected 'alg' was not 'none'"),
  },
  {
    name: 'auth: an RS256 token against an HMAC secret (no algorithm confusion)',
    request: get(NOTES, bearer(T.rs256)),
    expect: invalidToken(401, 'PGRST301', 'No suitable key or wrong key type', 'No suitable key was found to decode the JWT'),
  },
  {
    name: 'auth: HS512 against a plain secret (HS256 only, as PostgREST)',
    request: get(NOTES, bearer(T.hs512)),
    expect: invalidToken(401, 'PGRST301', 'No suitable key or wrong key type', 'No suitable key was found to decode the JWT'),
  },
  {
    name: 'auth: a kid no configured key has',
    request: get(NOTES, bearer(T.withKid)),
    expect: invalidToken(401, 'PGRST301', 'No suitable key or wrong key type', 'No suitable key was found to decode the JWT'),
  },
  {
    name: 'auth: a payload that is not a JSON object',
    request: get(NOTES, bearer(arrayPayload)),
    expect: invalidToken(401, 'PGRST303', 'Parsing claims failed'),
  },
  {
    name: 'auth: empty token',
    request: get(NOTES, { Authorization: 'Bearer ' }),
    expect: invalidToken(401, 'PGRST301', 'Empty JWT is sent in Authorization header'),
  },
  {
    name: 'auth: not three segments',
    request: get(NOTES, bearer('eyJhbGciOiJIUzI1NiJ9.e30')),
    expect: invalidToken(401, 'PGRST301', 'Expected 3 parts in JWT; got 2'),
  },
  {
    name: 'auth: garbage in three segments',
    request: get(NOTES, bearer('quifquirndsjagnrgniur.fonvoienqhhdj.iuqvnvhojah')),
    expect: invalidToken(401, 'PGRST301', 'JWT cryptographic operation failed'),
  },

  // CORS.
  {
    name: 'cors: preflight answered without the database',
    request: {
      method: 'OPTIONS',
      path: '/rls_notes',
      headers: { Origin: 'https://app.example', 'Access-Control-Request-Method': 'PATCH', 'Access-Control-Request-Headers': 'Prefer, Content-Type' },
    },
    expect: {
      status: 200,
      text: '',
      headers: {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, POST, PATCH, PUT, DELETE, OPTIONS, HEAD',
        'Access-Control-Allow-Headers': 'Authorization, Prefer, Content-Type, Accept, Accept-Language, Content-Language',
        'Access-Control-Max-Age': '86400',
        'Access-Control-Allow-Credentials': null,
        Allow: null,
      },
    },
  },
  {
    name: 'cors: a cross-origin response exposes the headers clients read',
    request: get('/rls_notes?select=id&id=eq.4', { Origin: 'https://app.example', Prefer: 'count=exact' }),
    expect: {
      status: 200,
      json: [{ id: 4 }],
      headers: {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Expose-Headers': 'Content-Encoding, Content-Location, Content-Range, Content-Type, Date, Location, Server, Transfer-Encoding, Range-Unit',
        'Content-Range': '0-0/1',
      },
    },
  },
  {
    name: 'cors: error responses carry the CORS headers too',
    request: get(NOTES, { Origin: 'https://app.example', Authorization: `Bearer ${T.expired}` }),
    expect: { status: 401, headers: { 'Access-Control-Allow-Origin': '*', 'WWW-Authenticate': 'Bearer error="invalid_token", error_description="JWT expired"' } },
  },
]
