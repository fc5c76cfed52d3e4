import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { freePort, waitForPort } from './process'

/** Debian installs nginx in /usr/sbin, which is not on every user's PATH. */
function findNginx(): string {
  const candidates = process.env.NGINX_PATH
    ? [process.env.NGINX_PATH]
    : [...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/sbin', '/usr/local/sbin'].map((dir) =>
        path.join(dir, 'nginx'),
      )
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK)
      return file
    } catch {
      // try the next one
    }
  }
  throw new Error(
    'This test needs nginx (Debian: apt-get install nginx; `npm test` installs it when run as root). ' +
      `Looked for ${candidates.join(', ')}; set NGINX_PATH to use another binary.`,
  )
}

export interface Nginx {
  port: number
  stop(): Promise<void>
}

/**
 * nginx as a plain-http reverse proxy on 127.0.0.1 in front of `upstreamPort`, configured the
 * way the README tells operators to: it appends the peer to X-Forwarded-For and sets
 * X-Forwarded-Proto. Everything it writes stays in a temporary directory.
 */
export async function startNginx(upstreamPort: number): Promise<Nginx> {
  const binary = findNginx()
  const dir = await mkdtemp(path.join(os.tmpdir(), 'deskflow-nginx-'))
  // Workers drop to an unprivileged user when started as root; they must reach the temp paths.
  await chmod(dir, 0o755)
  const port = await freePort()
  const conf = `
worker_processes 1;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://127.0.0.1:${upstreamPort};
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`
  await writeFile(path.join(dir, 'nginx.conf'), conf)
  const child = spawn(
    binary,
    ['-e', `${dir}/error.log`, '-p', `${dir}/`, '-c', `${dir}/nginx.conf`, '-g', `daemon off; pid ${dir}/nginx.pid;`],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  child.stdout.on('data', (d) => (output += d))
  child.stderr.on('data', (d) => (output += d))
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  let running = true
  void exited.then(() => (running = false))
  const errorLog = async () => readFile(path.join(dir, 'error.log'), 'utf8').catch(() => '')

  if (!(await waitForPort(port, 10_000, () => !running))) {
    child.kill('SIGTERM')
    await rm(dir, { recursive: true, force: true })
    throw new Error(`nginx did not start on 127.0.0.1:${port}:\n${output}\n${await errorLog()}`)
  }

  return {
    port,
    async stop() {
      if (running) {
        // SIGQUIT: graceful shutdown of master and workers.
        child.kill('SIGQUIT')
        await exited
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}
