/**
 * @module respond/binary-body: a custom media handler's value as the bytes PostgREST sends.
 * PostgREST reads the body column in Postgres's binary format (the raw bytes of a bytea, jsonb's
 * version byte before its text, the UTF-8 text of text/json/xml); the main statement sends that
 * binary form as hex (see sql/main's handlerBody), decoded here.
 */

const hexValue = (c: number): number => {
  if (c >= 48 && c <= 57) return c - 48
  if (c >= 97 && c <= 102) return c - 87
  if (c >= 65 && c <= 70) return c - 55
  return 0
}

/** `6162…` → bytes. */
export const decodeHex = (hex: string): Uint8Array<ArrayBuffer> => {
  const out = new Uint8Array(hex.length >> 1)
  for (let i = 0; i < out.length; i++) out[i] = (hexValue(hex.charCodeAt(2 * i)) << 4) | hexValue(hex.charCodeAt(2 * i + 1))
  return out
}
