import closeWithGrace from 'close-with-grace'
import { ConfigError, loadConfig, unsafeSettings } from './config'
import { createProcessLogger } from './lib/logger'
import { startServer } from './server'

/** The first thing an operator needs to read when the server cannot start. */
function explainStartFailure(err: NodeJS.ErrnoException, dataDir: string): string {
  const text = `${err.code ?? ''} ${err.message}`
  if (/not writable|EROFS|read-only file system/i.test(text)) return `${err.message}. Point DATA_DIR at a writable folder.`
  if (/ENOSPC|No space left on device/i.test(text))
    return `no space left on the device holding DATA_DIR (${dataDir}); free some space or move DATA_DIR. (${err.message.split('\n')[0]})`
  if (/EACCES|permission denied/i.test(text)) return `no permission to write to DATA_DIR (${dataDir}). (${err.message.split('\n')[0]})`
  return err.message
}

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

const logger = createProcessLogger(config.LOG_LEVEL)
for (const warning of unsafeSettings(config)) logger.warn(warning)
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
  process.stderr.write(`\n  Deskflow could not start: ${explainStartFailure(err as NodeJS.ErrnoException, config.DATA_DIR)}\n\n`)
  process.exitCode = 1
}
