// Figure 7: the JavaScript the first page loads (index.html's module script and its
// modulepreload links), as the server sends it to a browser: the brotli files written at
// build (`.br`, served by @fastify/static's preCompressed). The JSON also has raw and gzip.
// `pnpm check:bundle` (in `pnpm check`) fails the build when it is over the budget.
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import zlib from 'node:zlib'
import { ROOT } from '../lib/procs.mjs'
import { figure } from '../lib/verdict.mjs'

export const FIRST_PAGE_BUDGET_KB = 150

export async function webBundle() {
  const dist = path.join(ROOT, 'web/dist')
  let built = false
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    process.stdout.write('  web/dist missing: building the web app (pnpm --filter @deskflow/web build)…\n')
    execFileSync('pnpm', ['--filter', '@deskflow/web', 'build'], { cwd: ROOT, stdio: 'inherit' })
    built = true
  }
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8')
  const urls = new Set()
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const attr = (name) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1]
    if (/^<script/i.test(tag) && attr('src')) urls.add(attr('src'))
    if (/^<link/i.test(tag) && /modulepreload/i.test(attr('rel') ?? '') && attr('href')) urls.add(attr('href'))
  }
  const files = [...urls].map((u) => {
    const file = path.join(dist, u.replace(/^\//, '').split('?')[0])
    const raw = fs.readFileSync(file)
    const br = fs.existsSync(`${file}.br`) ? fs.readFileSync(`${file}.br`) : zlib.brotliCompressSync(raw)
    return {
      file: path.relative(ROOT, file),
      rawBytes: raw.length,
      gzipBytes: zlib.gzipSync(raw, { level: 6 }).length,
      gzip9Bytes: zlib.gzipSync(raw, { level: 9 }).length,
      brotliBytes: br.length,
    }
  })
  if (files.length === 0) throw new Error('web/dist/index.html loads no JavaScript: cannot measure figure 7')
  const sum = (k) => files.reduce((s, f) => s + f[k], 0)
  const kb = sum('brotliBytes') / 1024
  const mtime = fs.statSync(path.join(dist, 'index.html')).mtime.toISOString()
  return figure({
    id: 7,
    name: 'web first-page JS, brotli',
    value: kb,
    unit: 'KB',
    target: { op: '<=', value: FIRST_PAGE_BUDGET_KB, unit: 'KB' },
    details: {
      files,
      rawKB: sum('rawBytes') / 1024,
      gzipKB: sum('gzipBytes') / 1024,
      gzip9KB: sum('gzip9Bytes') / 1024,
      builtNow: built,
      distBuiltAt: mtime,
    },
  })
}

/** The body of `url` as sent on the wire to a browser (which accepts brotli and gzip), and its headers. */
function wire(url) {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { 'accept-encoding': 'br, gzip, deflate' } }, (res) => {
        const chunks = []
        res.on('data', (c) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }))
      })
      .on('error', reject)
  })
}

const decoded = (r) =>
  r.headers['content-encoding'] === 'br'
    ? zlib.brotliDecompressSync(r.body)
    : r.headers['content-encoding'] === 'gzip'
      ? zlib.gunzipSync(r.body)
      : r.body

// Figure 7b: the first visit of the API reference (`/docs`): the page, every script it
// loads and the OpenAPI document the renderer fetches, as sent to a browser.
export async function docsFirstLoad(baseUrl) {
  const page = await wire(`${baseUrl}/docs`)
  if (page.status !== 200) throw new Error(`/docs answered ${page.status}`)
  const html = decoded(page).toString('utf8')
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1])
  const spec = /\bspec-url="([^"]+)"/.exec(html)?.[1]
  if (scripts.length === 0 || !spec) throw new Error('/docs loads no script or names no document: cannot measure figure 7b')
  const parts = [{ url: '/docs', ...page }]
  for (const url of [...scripts, spec]) parts.push({ url, ...(await wire(`${baseUrl}${url}`)) })
  const files = parts.map((p) => ({
    url: p.url,
    status: p.status,
    encoding: p.headers['content-encoding'] ?? null,
    cacheControl: p.headers['cache-control'] ?? null,
    wireBytes: p.body.length,
    rawBytes: decoded(p).length,
  }))
  const kb = files.reduce((s, f) => s + f.wireBytes, 0) / 1024
  return figure({
    id: '7b',
    name: 'API reference (/docs) first load, on the wire',
    value: kb,
    unit: 'KB',
    target: { op: '<=', value: 500, unit: 'KB' },
    details: { files, rawKB: files.reduce((s, f) => s + f.rawBytes, 0) / 1024 },
  })
}
