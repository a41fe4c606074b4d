/**
 * @module auth/signature: checks a token's signature with one key, through jose (WebCrypto on
 * every runtime). Keys are imported once per (key, algorithm) and kept with the key, so a key set
 * that lives for the isolate costs one import per algorithm it serves. Only public parts are
 * imported (a JWK that carries private members verifies with its public half), and the key's
 * `use`/`key_ops`/`ext` members are left out so WebCrypto's usage checks cannot refuse a verifying
 * key. A key that cannot be imported (say, an EC key whose curve is not the algorithm's) simply
 * verifies nothing.
 */
import { compactVerify, importJWK, type JWK } from 'jose'
import type { JwsAlg, VerifyKey } from './jwk.ts'

type Imported = CryptoKey | Uint8Array<ArrayBuffer> | null

const imports = new WeakMap<VerifyKey, Map<JwsAlg, Promise<Imported>>>()

const publicJwk = (key: VerifyKey): JWK | null => {
  const m = key.material
  switch (m.kty) {
    case 'oct':
      return null
    case 'RSA':
      return { kty: 'RSA', n: m.n, e: m.e }
    case 'EC':
      return { kty: 'EC', crv: m.crv, x: m.x, y: m.y }
    case 'OKP':
      return { kty: 'OKP', crv: m.crv, x: m.x }
    default: {
      const never: never = m
      throw new TypeError(`unknown key type ${String(never)}`)
    }
  }
}

const importKey = async (key: VerifyKey, alg: JwsAlg): Promise<Imported> => {
  try {
    if (key.material.kty === 'oct') {
      // An HMAC key of zero length cannot be imported; such a key verifies nothing.
      if (key.material.k.length === 0) return null
      return await crypto.subtle.importKey('raw', key.material.k, { name: 'HMAC', hash: `SHA-${alg.slice(2)}` }, false, ['verify'])
    }
    const jwk = publicJwk(key)
    return jwk === null ? null : ((await importJWK(jwk, alg)) as CryptoKey | Uint8Array<ArrayBuffer>)
  } catch {
    return null
  }
}

const importedKey = (key: VerifyKey, alg: JwsAlg): Promise<Imported> => {
  let byAlg = imports.get(key)
  if (byAlg === undefined) {
    byAlg = new Map()
    imports.set(key, byAlg)
  }
  let p = byAlg.get(alg)
  if (p === undefined) {
    p = importKey(key, alg)
    byAlg.set(alg, p)
  }
  return p
}

/** Whether `key` verifies the signature of `token` made with `alg`. */
export const verifiesWith = async (token: string, key: VerifyKey, alg: JwsAlg): Promise<boolean> => {
  const k = await importedKey(key, alg)
  if (k === null) return false
  try {
    await compactVerify(token, k, { algorithms: [alg] })
    return true
  } catch {
    return false
  }
}
