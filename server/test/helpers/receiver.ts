import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll } from 'vitest'
import { webhookBodyProblems } from './contract'

export interface Received {
  at: number
  headers: http.IncomingHttpHeaders
  body: string
}

export type Respond = (req: Received, count: number, res: http.ServerResponse) => void

/** A real HTTP receiver on 127.0.0.1 that records every request and answers as told. */
export async function startReceiver(respond: Respond = (_r, _n, res) => res.end('ok'), port = 0) {
  const received: Received[] = []
  let handler = respond
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const entry = { at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      received.push(entry)
      handler(entry, received.length, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const { port: bound } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${bound}/hook`,
    port: bound,
    received,
    respondWith(next: Respond) {
      handler = next
    },
    /** Resolves once `n` requests have arrived, or rejects after `timeoutMs`. */
    async waitFor(n: number, timeoutMs = 10_000): Promise<Received[]> {
      const deadline = Date.now() + timeoutMs
      while (received.length < n) {
        if (Date.now() > deadline) throw new Error(`receiver got ${received.length} of ${n} requests in ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, 20))
      }
      return received
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>

/**
 * Starts receivers for one test file (or describe block); every one of them is closed
 * after it. Given the app's OpenAPI document (`contract`), every body they got is then
 * checked against the document's webhook payloads: a body that is not what the document
 * promises fails the file.
 */
export function useReceivers(contract?: () => Promise<unknown>): (...args: Parameters<typeof startReceiver>) => Promise<Receiver> {
  const started: Receiver[] = []
  afterAll(async () => {
    for (const r of started) await r.close()
    const bodies = started.flatMap((r) => r.received.map((entry) => entry.body))
    if (contract && bodies.length > 0) {
      const problems = webhookBodyProblems(await contract(), bodies)
      if (problems.length > 0) throw new Error(`webhook bodies that do not match the OpenAPI document:\n${problems.join('\n')}`)
    }
  })
  return async (...args) => {
    const r = await startReceiver(...args)
    started.push(r)
    return r
  }
}
