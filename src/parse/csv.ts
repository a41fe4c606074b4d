/**
 * @module parse/csv: CSV request bodies decoded as cassava's `decodeByName` does for PostgREST
 * (RFC 4180 plus: blank lines skipped, `\r`, `\n` or `\r\n` line ends, the header line must end
 * with a line break, rows shorter or longer than the header are zipped against it), including
 * cassava's `parse error (…) at "…"` texts for malformed input.
 */
import { showHsString } from './parsec.ts'
import { bytesToLatin1, utf8DecodeLenient } from './url-encoding.ts'

const COMMA = 44
const QUOTE = 34
const LF = 10
const CR = 13

export type CsvRow = ReadonlyMap<string, Uint8Array>

class CsvFailure {
  constructor(
    readonly message: string,
    readonly at: number,
  ) {}
}

/** cassava's escaped-field scan: stops after a quote that is not followed by another quote. */
const escapedField = (b: Uint8Array, start: number): [Uint8Array, number] => {
  let i = start + 1 // opening quote
  let prevQuote = false
  const scanStart = i
  while (i < b.length) {
    const c = b[i] as number
    if (c === QUOTE) prevQuote = !prevQuote
    else if (prevQuote) break
    else prevQuote = false
    i++
  }
  const scanned = b.subarray(scanStart, i)
  if (scanned.length === 0) throw new CsvFailure('Failed reading: trailing double quote', i)
  // the scan keeps the closing quote (or, at end of input, whatever byte came last)
  const s = scanned.subarray(0, scanned.length - 1)
  if (!s.includes(QUOTE)) return [s, i]
  const out: number[] = []
  for (let k = 0; k < s.length; k++) {
    const c = s[k] as number
    if (c !== QUOTE) {
      out.push(c)
      continue
    }
    if (s[k + 1] === QUOTE) {
      out.push(QUOTE)
      k++
      continue
    }
    throw new CsvFailure(k + 1 >= s.length ? 'Failed reading: insufficient input' : 'Failed reading: invalid CSV escape sequence', i)
  }
  return [Uint8Array.from(out), i]
}

const field = (b: Uint8Array, start: number): [Uint8Array, number] => {
  if (b[start] === QUOTE) return escapedField(b, start)
  let i = start
  while (i < b.length) {
    const c = b[i] as number
    if (c === QUOTE || c === LF || c === COMMA || c === CR) break
    i++
  }
  return [b.subarray(start, i), i]
}

const record = (b: Uint8Array, start: number): [Uint8Array[], number] => {
  const fields: Uint8Array[] = []
  let [f, i] = field(b, start)
  fields.push(f)
  while (b[i] === COMMA) {
    ;[f, i] = field(b, i + 1)
    fields.push(f)
  }
  return [fields, i]
}

/** endOfLine: `\n`, `\r\n` or `\r`; returns the index after it, or null. */
const endOfLine = (b: Uint8Array, i: number): number | null => {
  if (b[i] === LF) return i + 1
  if (b[i] === CR) return b[i + 1] === LF ? i + 2 : i + 1
  return null
}

const isBlank = (r: readonly Uint8Array[]): boolean => r.length === 1 && (r[0] as Uint8Array).length === 0

const failureText = (b: Uint8Array, f: CsvFailure): string => {
  const left = b.subarray(f.at)
  const shown = left.length > 100 ? `${bytesToLatin1(left.subarray(0, 100))} (truncated)` : showHsString(bytesToLatin1(left))
  return `parse error (${f.message}) at ${shown}`
}

export type CsvResult =
  | { readonly ok: true; readonly header: readonly string[]; readonly rows: readonly CsvRow[] }
  | { readonly ok: false; readonly message: string }

/** Decodes a CSV body with a header line into rows keyed by header name. */
export const decodeCsvByName = (b: Uint8Array): CsvResult => {
  try {
    const [hdrBytes, afterHeader] = record(b, 0)
    const bodyStart = endOfLine(b, afterHeader)
    if (bodyStart === null) {
      throw new CsvFailure(afterHeader >= b.length ? 'not enough input' : 'Failed reading: satisfy', afterHeader)
    }
    const header = hdrBytes.map(utf8DecodeLenient)
    const rows: CsvRow[] = []
    let i = bodyStart
    for (;;) {
      const [r, end] = record(b, i)
      if (!isBlank(r)) {
        // toNamedRecord: zip header with fields (extra fields dropped, missing ones absent), last duplicate wins
        const row = new Map<string, Uint8Array>()
        const n = Math.min(header.length, r.length)
        for (let k = 0; k < n; k++) row.set(header[k] as string, r[k] as Uint8Array)
        rows.push(row)
      }
      if (end >= b.length) break
      const next = endOfLine(b, end)
      if (next === null) throw new CsvFailure('Failed reading: satisfy', end)
      i = next
    }
    return { ok: true, header, rows }
  } catch (e) {
    if (e instanceof CsvFailure) return { ok: false, message: failureText(b, e) }
    throw e
  }
}
