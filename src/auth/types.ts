/** @module auth/types: the outcome of authentication, consumed by the SQL stage. */

export interface AuthResult {
  /** The database role the request runs as. */
  readonly role: string
  /** The verified claims (empty for anonymous requests); `role` is added when the GUC is set. */
  readonly claims: Readonly<Record<string, unknown>>
  /** True when a valid token was presented (42501 then maps to 403 instead of 401). */
  readonly authenticated: boolean
}
