#!/usr/bin/env node
// Summarizes a V8 .cpuprofile (node --cpu-prof): self time per function and per
// package. Locations in server/dist/main.js are mapped back to server/src through
// the bundle's source map.
//   node bench/profile-summary.mjs bench/results/profiles/<run>/<file>.cpuprofile [top]
import fs from 'node:fs'
import { SourceMap } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const maps = new Map()

function sourceMapFor(file) {
  if (!maps.has(file)) {
    let map = null
    try {
      map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')))
    } catch {
      // no source map: locations stay in the bundle
    }
    maps.set(file, map)
  }
  return maps.get(file)
}

/** The package a file under node_modules belongs to, and where in it (`line` counted from 0). */
function inPackage(file, line) {
  const nm = file.lastIndexOf('/node_modules/')
  if (nm < 0) return undefined
  const rest = file.slice(nm + '/node_modules/'.length).split('/')
  const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
  return { where: `${pkg}/${rest.slice(pkg.includes('/') ? 2 : 1).join('/')}:${line + 1}`, pkg }
}

function locate(frame) {
  const url = frame.url || ''
  if (!url) return { where: '', pkg: frame.functionName.startsWith('(') ? frame.functionName : 'node (native)' }
  if (url.startsWith('node:')) return { where: `${url}:${frame.lineNumber + 1}`, pkg: 'node internals' }
  const file = url.startsWith('file://') ? fileURLToPath(url) : url
  const dependency = inPackage(file, frame.lineNumber)
  if (dependency) return dependency
  if (file.endsWith('server/dist/main.js')) {
    const entry = sourceMapFor(file)?.findEntry(frame.lineNumber, frame.columnNumber)
    if (entry?.originalSource) {
      const original = entry.originalSource.startsWith('file://')
        ? fileURLToPath(entry.originalSource)
        : path.resolve(path.dirname(file), entry.originalSource)
      // The packages bundled into main.js (server/build.mjs) are theirs, not the server's.
      return (
        inPackage(original, entry.originalLine) ?? {
          where: `${path.relative(ROOT, original)}:${entry.originalLine + 1}`,
          pkg: 'deskflow server',
        }
      )
    }
    return { where: `server/dist/main.js:${frame.lineNumber + 1}`, pkg: 'deskflow server' }
  }
  return { where: `${path.relative(ROOT, file)}:${frame.lineNumber + 1}`, pkg: path.relative(ROOT, file) }
}

export function summarizeProfile(file, top = 30) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'))
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const self = new Map()
  // Sample i lasted timeDeltas[i + 1] (the delta to the next sample); μs.
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i + 1] ?? 0
    self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt)
  }
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  let idle = 0
  const fns = new Map()
  const pkgs = new Map()
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id)
    if (callFrame.functionName === '(idle)') idle += us
    const { where, pkg } = locate(callFrame)
    const name = callFrame.functionName || '(anonymous)'
    const key = `${name}\u0000${where}`
    fns.set(key, { name, where, pkg, us: (fns.get(key)?.us ?? 0) + us })
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us)
  }
  const busy = total - idle
  const pct = (us) => (busy > 0 ? (100 * us) / busy : 0)
  return {
    totalSeconds: total / 1e6,
    busySeconds: busy / 1e6,
    note: 'percentages are of busy (non-idle) time of the process',
    functions: [...fns.values()]
      .filter((f) => f.name !== '(idle)')
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, package: f.pkg, selfMs: Math.round(f.us / 1000), selfPct: pct(f.us) })),
    packages: [...pkgs.entries()]
      .filter(([name]) => name !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 1000), selfPct: pct(us) })),
  }
}

process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0)
})
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file, top = '30'] = process.argv.slice(2)
  if (!file) {
    process.stderr.write('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]\n')
    process.exit(1)
  }
  const s = summarizeProfile(file, Number(top))
  process.stdout.write(
    `${file}: ${s.busySeconds.toFixed(1)} s busy of ${s.totalSeconds.toFixed(1)} s (${s.note})\n\nself time by function:\n`,
  )
  for (const f of s.functions)
    process.stdout.write(`  ${f.selfPct.toFixed(1).padStart(5)}%  ${String(f.selfMs).padStart(6)} ms  ${f.name}  ${f.where}\n`)
  process.stdout.write('\nself time by package:\n')
  for (const p of s.packages)
    process.stdout.write(`  ${p.selfPct.toFixed(1).padStart(5)}%  ${String(p.selfMs).padStart(6)} ms  ${p.name}\n`)
}
