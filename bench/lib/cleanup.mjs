// Everything the bench starts registers how to stop it here. Cleanup runs in reverse
// order exactly once: at the end of the run, on an exception, or on SIGINT/SIGTERM/SIGHUP.

const tasks = []
let running = null

/** Registers a cleanup step; returns a function that runs it early (and unregisters it). */
export function onCleanup(name, fn) {
  const task = { name, fn, done: false }
  tasks.push(task)
  return async () => {
    if (task.done) return
    task.done = true
    await fn()
  }
}

export function cleanupAll() {
  running ??= (async () => {
    for (const task of tasks.reverse()) {
      if (task.done) continue
      task.done = true
      try {
        await task.fn()
      } catch (err) {
        process.stderr.write(`  cleanup "${task.name}" failed: ${err?.message ?? err}\n`)
      }
    }
  })()
  return running
}

export function installSignalHandlers() {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(signal, () => {
      process.stderr.write(`\n  ${signal}: stopping everything the bench started…\n`)
      const force = setTimeout(() => process.exit(1), 30_000)
      force.unref()
      cleanupAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
    })
  }
}
