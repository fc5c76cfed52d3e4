import closeWithGrace from 'close-with-grace'
import { ConfigError, loadConfig } from './config'
import { createLogger } from './lib/logger'
import { startServer } from './server'

let config
try {
  config = loadConfig()
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`)
    process.exit(1)
  }
  throw err
}

const logger = createLogger(config.LOG_LEVEL)
try {
  const started = Date.now()
  const server = await startServer(config, logger)
  logger.info({ url: server.url, role: config.ROLE, ms: Date.now() - started }, 'ready')
  process.stdout.write(
    server.url
      ? `  Deskflow is running at ${server.url}  (API docs: ${server.url}/docs)${config.ROLE === 'api' ? ' — no delivery workers in this process' : ''}\n`
      : `  Deskflow delivery worker is running (ROLE=worker; health at ${server.healthUrl})\n`,
  )
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error')
    else logger.info({ signal }, 'shutting down')
    await server.close()
  })
} catch (err) {
  logger.fatal({ err }, 'could not start')
  process.exitCode = 1
}
