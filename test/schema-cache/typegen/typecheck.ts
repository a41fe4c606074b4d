/**
 * @module test/schema-cache/typegen/typecheck: type-checks in-memory TypeScript files with the TypeScript
 * compiler API, as a user's project would (strict, bundler resolution), with imports such as
 * `@supabase/supabase-js` resolved from this project's node_modules. The files are served from
 * memory at paths under test/schema-cache/typegen/__virtual__/ (a folder that does not exist), so nothing is
 * written to disk.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const here = dirname(fileURLToPath(import.meta.url))

export interface TypeError {
  readonly file: string
  /** 1-based. */
  readonly line: number
  /** 1-based. */
  readonly column: number
  readonly code: number
  readonly message: string
}

const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: [],
  // the libraries' own declarations are not under test; the user's files are
  skipLibCheck: true,
  allowImportingTsExtensions: true,
}

/** Every diagnostic of the program made of `files` (name → source, relative names). */
export function typecheck(files: Readonly<Record<string, string>>): TypeError[] {
  const root = join(here, '__virtual__')
  const virtual = new Map(Object.entries(files).map(([name, text]) => [join(root, name), text]))
  const host = ts.createCompilerHost(OPTIONS)
  const { getSourceFile, fileExists, readFile, directoryExists } = host
  host.fileExists = (f) => virtual.has(f) || fileExists.call(host, f)
  host.directoryExists = (d) => d === root || (directoryExists?.call(host, d) ?? true)
  host.readFile = (f) => virtual.get(f) ?? readFile.call(host, f)
  host.getSourceFile = (f, lang, onError, create) => {
    const text = virtual.get(f)
    return text !== undefined ? ts.createSourceFile(f, text, lang, true) : getSourceFile.call(host, f, lang, onError, create)
  }
  const program = ts.createProgram({ rootNames: [...virtual.keys()], options: OPTIONS, host })
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const file = d.file?.fileName ?? ''
    const at = d.file !== undefined && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: -1, character: -1 }
    return {
      file: file.startsWith(root) ? file.slice(root.length + 1) : file,
      line: at.line + 1,
      column: at.character + 1,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }
  })
}
