// The audit gate against a local registry that answers the bulk advisory
// endpoint: a high advisory fails it, a moderate one does not, and a registry
// without the endpoint is reported as "not checked" (or fails with --require).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import http from 'node:http'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('./audit.mjs', import.meta.url))

async function registry(answer) {
  const requests = []
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, body })
      answer(req, res)
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}/`, requests, close: () => new Promise((r) => server.close(r)) }
}

function audit(...args) {
  return new Promise((resolve) => {
    execFile(process.execPath, [script, ...args], { encoding: 'utf8' }, (error, stdout, stderr) =>
      resolve({ code: error ? error.code : 0, output: stdout + stderr }),
    )
  })
}

const advisory = (severity) => (req, res) => {
  res.setHeader('content-type', 'application/json')
  if (req.method !== 'POST') return res.end('{}')
  res.end(
    JSON.stringify({
      fastify: [{ id: 7, url: 'https://advisories.example/7', title: 'Example flaw', severity, vulnerable_versions: '<999.0.0', cwe: [] }],
    }),
  )
}

test('a high advisory on an installed package fails the gate and is named', async () => {
  const r = await registry(advisory('high'))
  const { code, output } = await audit('--registry', r.url)
  await r.close()
  assert.equal(code, 1, output)
  assert.match(output, /high: fastify <999\.0\.0 — Example flaw/)
  const bulk = r.requests.find((q) => q.url === '/-/npm/v1/security/advisories/bulk')
  assert.ok(bulk, 'the bulk advisory endpoint was asked')
  assert.ok(Object.keys(JSON.parse(bulk.body)).includes('fastify'), 'the installed packages were sent')
})

test('a moderate advisory is reported but passes', async () => {
  const r = await registry(advisory('moderate'))
  const { code, output } = await audit('--registry', r.url)
  await r.close()
  assert.equal(code, 0, output)
  assert.match(output, /0 critical, 0 high, 1 moderate/)
})

test('a registry without the audit endpoint: "NOT checked", exit 0, or 3 with --require', async () => {
  const r = await registry((_req, res) => {
    res.statusCode = 405
    res.end()
  })
  const plain = await audit('--registry', r.url)
  const required = await audit('--registry', r.url, '--require')
  await r.close()
  assert.equal(plain.code, 0, plain.output)
  assert.match(plain.output, /responded with 405\); dependencies were NOT checked/)
  assert.equal(required.code, 3, required.output)
})
