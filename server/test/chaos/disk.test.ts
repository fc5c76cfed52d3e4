import { execFileSync } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort, startServerProcess } from '../helpers/process'

/**
 * The embedded database's folder on a read-only file system, or on a full one:
 * the server stops with a clear message instead of hanging. Needs permission to
 * mount a small tmpfs (root, as in CI); elsewhere these two tests are skipped.
 */
function canMount(): boolean {
  if (process.getuid?.() !== 0) return false
  const probe = path.join(os.tmpdir(), `deskflow-mount-probe-${process.pid}`)
  try {
    execFileSync('mkdir', ['-p', probe])
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', probe], { stdio: 'ignore' })
    execFileSync('umount', [probe], { stdio: 'ignore' })
    return true
  } catch {
    return false
  } finally {
    execFileSync('rm', ['-rf', probe])
  }
}

const mounts: string[] = []

async function tmpfs(sizeMb: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'deskflow-disk-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=755`, 'tmpfs', dir])
  mounts.push(dir)
  await chmod(dir, 0o755)
  return dir
}

afterEach(async () => {
  for (const dir of mounts.splice(0)) {
    execFileSync('umount', ['-l', dir])
    await rm(dir, { recursive: true, force: true })
  }
})

async function startAndWaitForExit(dataDir: string) {
  const server = startServerProcess({ DATA_DIR: dataDir, PORT: String(await freePort()) })
  const code = await Promise.race([server.exited, new Promise<'hang'>((r) => setTimeout(() => r('hang'), 60_000))])
  if (code === 'hang') server.child.kill('SIGKILL')
  return { code, output: server.output() }
}

describe.skipIf(!canMount())('embedded database on a bad disk', () => {
  it('a read-only DATA_DIR: exits with a message naming the problem', async () => {
    const dir = await tmpfs(64)
    execFileSync('mount', ['-o', 'remount,ro', dir])
    const { code, output } = await startAndWaitForExit(dir)
    expect(code).toBe(1)
    expect(output).toContain(`Deskflow could not start: DATA_DIR (${dir}) is not writable`)
    expect(output).toContain('Point DATA_DIR at a writable folder.')
  })

  it('a full disk: exits with a message naming the problem, without hanging', async () => {
    const dir = await tmpfs(8)
    const { code, output } = await startAndWaitForExit(path.join(dir, 'data'))
    expect(code).toBe(1)
    expect(output).toMatch(/Deskflow could not start: no space left on the device holding DATA_DIR/)
  })
})
