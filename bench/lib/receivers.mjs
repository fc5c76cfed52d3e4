// Local webhook receivers on 127.0.0.1: each answers 204 at once and records what
// arrived (order id, event timestamp, arrival time, webhook-id). One told to hang
// records requests and never answers them (the sender gives up at its timeout).
import http from 'node:http'
import { onCleanup } from './cleanup.mjs'

const wallNow = () => performance.timeOrigin + performance.now()

export async function startReceiver(name) {
  const deliveries = []
  let other = 0
  let hanging = false
  const server = http.createServer((req, res) => {
    const chunks = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const receivedAt = wallNow()
      if (!hanging) res.writeHead(204).end()
      if (!req.headers['webhook-id']) {
        other++
        return
      }
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
        deliveries.push({
          messageId: req.headers['webhook-id'],
          type: body.type,
          id: body.data?.id,
          eventAt: Date.parse(body.timestamp),
          receivedAt,
        })
      } catch {
        other++
      }
    })
  })
  server.keepAliveTimeout = 65_000
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  const close = onCleanup(`receiver ${name}`, async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return {
    name,
    url: `http://127.0.0.1:${port}/hooks/${name}`,
    deliveries,
    get other() {
      return other
    },
    reset() {
      deliveries.length = 0
      other = 0
    },
    hang(on) {
      hanging = on
    },
    close,
  }
}
