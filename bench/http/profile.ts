/**
 * @module bench/http/profile: CPU profiles of a server under load and their summary — where the
 * process spent its own (self) time, by function and by module or package, within the measured
 * window only (startup and shutdown left out) — what the later optimisation work starts from.
 *
 * Why the profiled server is an esbuild bundle: under tsx every module is one minified line and
 * arrow functions lose their names (`__name(() => …)`), so a profile of `tsx src/entry/node.ts`
 * says only "(anonymous) src/pipeline.ts:1". The bundle is the same code, unminified, with
 * packages left external (so it is written under node_modules/.cache, where they resolve); V8
 * names every function, and esbuild's `// src/…` markers say which source file a line came from.
 */
import { mkdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import { build } from 'esbuild'
import { PROJECT_ROOT } from './procs.ts'

/** Bundle a TypeScript entry (project-relative) for profiling; returns the bundle's path. */
export const bundleForProfile = async (entry: string): Promise<string> => {
  const dir = join(PROJECT_ROOT, 'node_modules/.cache/edgerest-bench')
  mkdirSync(dir, { recursive: true })
  const outfile = join(dir, `${basename(entry, '.ts')}.profiled.mjs`)
  await build({
    entryPoints: [join(PROJECT_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  })
  return outfile
}

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[]
  /** µs on the monotonic clock (process.hrtime's, on Linux). */
  readonly startTime: number
  readonly samples: readonly number[]
  /** µs since the previous sample; sample i's time is attributed to samples[i]. */
  readonly timeDeltas: readonly number[]
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)'])

/** A source URL as a short module name: project files relative, packages by name, node internals by area. */
const moduleOfUrl = (url: string): string => {
  if (url === '') return '(V8/native)'
  const path = url.replace(/^file:\/\//, '')
  const nm = path.lastIndexOf('/node_modules/')
  if (nm >= 0 && !path.includes('/node_modules/.cache/')) {
    const rest = path.slice(nm + '/node_modules/'.length).split('/')
    return `npm:${rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`
  }
  if (path.startsWith(PROJECT_ROOT)) return path.slice(PROJECT_ROOT.length)
  if (path.startsWith('node:internal/')) return path.split('/').slice(0, 2).join('/')
  return path
}

/** esbuild's `// path/to/file.ts` lines of a bundle: [line index, source file], ascending. */
const bundleMarkers = (url: string): [number, string][] => {
  try {
    const lines = readFileSync(url.replace(/^file:\/\//, ''), 'utf8').split('\n')
    const out: [number, string][] = []
    lines.forEach((l, i) => {
      const m = /^\/\/ ((?:src|schema-cache|dev|bench)\/\S+\.(?:ts|json))$/.exec(l)
      if (m) out.push([i, m[1] as string])
    })
    return out
  } catch {
    return []
  }
}

const ms = (us: number): string => (us / 1000).toFixed(0).padStart(7)
const pct = (part: number, total: number): string => `${((100 * part) / total).toFixed(1).padStart(5)}%`

/** Top self-time functions and modules of a `.cpuprofile`, counting samples in [fromUs, toUs] only. */
export const summariseProfile = (file: string, window: { readonly fromUs: number; readonly toUs: number }, top = 25): string => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  let t = profile.startTime
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0
    t += dt
    if (t >= window.fromUs && t <= window.toUs) self.set(id, (self.get(id) ?? 0) + dt)
  })
  const markers = new Map<string, [number, string][]>()
  const moduleOf = (url: string, line: number): string => {
    if (!url.includes('/node_modules/.cache/')) return moduleOfUrl(url)
    if (!markers.has(url)) markers.set(url, bundleMarkers(url))
    const found = (markers.get(url) as [number, string][]).filter(([at]) => at <= line).pop()
    return found ? found[1] : moduleOfUrl(url)
  }
  const byFunction = new Map<string, number>()
  const byModule = new Map<string, number>()
  const special = new Map<string, number>()
  let total = 0
  for (const [id, us] of self) {
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame
    total += us
    if (SPECIAL.has(functionName)) {
      special.set(functionName, (special.get(functionName) ?? 0) + us)
      continue
    }
    const mod = moduleOf(url, lineNumber)
    const key = `${functionName || '(anonymous)'}  ${mod}${url && !url.includes('/node_modules/.cache/') ? `:${lineNumber + 1}` : ''}`
    byFunction.set(key, (byFunction.get(key) ?? 0) + us)
    byModule.set(mod, (byModule.get(mod) ?? 0) + us)
  }
  const busy = total - (special.get('(idle)') ?? 0)
  const sorted = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => b[1] - a[1])
  return [
    `profile ${file}`,
    `measured window ${ms(total).trim()} ms, busy (not idle) ${ms(busy).trim()} ms; ` +
      [...special]
        .filter(([k]) => k !== '(idle)')
        .map(([k, v]) => `${k} ${ms(v).trim()} ms (${pct(v, busy).trim()} of busy)`)
        .join(', '),
    'Samples are wall-clock: a thread descheduled inside a syscall (writev/writeBuffer waking the peer',
    'on a busy machine) counts as that function\'s self time, so native socket writes look larger than',
    'their CPU cost; compare the JavaScript functions with each other.',
    '',
    `top ${top} functions by self time (ms, % of busy):`,
    ...sorted(byFunction)
      .slice(0, top)
      .map(([k, v]) => `${ms(v)} ${pct(v, busy)}  ${k}`),
    '',
    'self time by module / package:',
    ...sorted(byModule)
      .slice(0, top)
      .map(([k, v]) => `${ms(v)} ${pct(v, busy)}  ${k}`),
  ].join('\n')
}
