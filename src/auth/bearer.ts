/**
 * @module auth/bearer: the token of an `Authorization` header, read as PostgREST reads it
 * (wai-extra's extractBearerAuth): the scheme is everything before the first whitespace and must
 * be `bearer` in any letter case; the token is the rest with its leading whitespace removed. So
 * `Bearer` alone yields an empty token (PGRST301 "Empty JWT …"), while another scheme such as
 * `Basic …` yields none and the request is anonymous.
 */

/** Data.Word8's isSpace: space, \t \n \v \f \r, and no-break space (0xA0). */
const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0

/** The bearer token, '' when the scheme has no token, null when there is no bearer credential. */
export const bearerToken = (authorization: string | null): string | null => {
  if (authorization === null) return null
  let i = 0
  while (i < authorization.length && !isSpace(authorization.charCodeAt(i))) i++
  if (authorization.slice(0, i).toLowerCase() !== 'bearer') return null
  while (i < authorization.length && isSpace(authorization.charCodeAt(i))) i++
  return authorization.slice(i)
}
