/**
 * What a kernel exposes to other users and other machines: it listens on the connection
 * file's address only, the connection file (which holds the signing key) is private to
 * the user, and an address the file does not name gets no answer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';
import { KernelClient } from '../../kernel/client/index.js';
import { jupyterEnv, type JupyterEnv } from './jupyter-env.js';

let jenv: JupyterEnv;
let k: KernelClient;
// Any 127.x.y.z address is the loopback device on Linux: a kernel bound to 127.0.0.1 (or to every address) would answer on 127.0.0.1 too.
const IP = '127.0.0.2';

before(async () => {
  jenv = jupyterEnv();
  k = await KernelClient.start({ env: jenv.env, ip: IP, startupTimeoutMs: 120_000 });
});

after(async () => {
  await k?.shutdown();
  jenv?.cleanup();
});

const PORTS = () => ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port'].map((p) => (k.connection as any)[p] as number);

/** The local addresses at which TCP `port` is listening, from /proc/net/tcp and tcp6 (as hex as the kernel writes them). */
function listening(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const out: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length > 3 && f[3] === '0A' && f[1].endsWith(`:${hexPort}`)) out.push(f[1].split(':')[0]);
    }
  }
  return out;
}

test("each of the five sockets listens on the connection file's address only", { skip: process.platform !== 'linux' }, () => {
  for (const port of PORTS()) assert.deepEqual(listening(port), ['0200007F'], `port ${port}`);
});

test('an address the connection file does not name is refused', async () => {
  for (const port of PORTS()) {
    const outcome = await new Promise<string>((resolve) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve('connected');
      });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? String(e)));
    });
    assert.equal(outcome, 'ECONNREFUSED', `port ${port} on 127.0.0.1`);
  }
});

test('the connection file holding the key is readable by the user only, in a private folder', () => {
  assert.equal(statSync(k.connectionFile).mode & 0o777, 0o600);
  assert.equal(statSync(dirname(k.connectionFile)).mode & 0o777, 0o700);
  assert.equal(JSON.parse(readFileSync(k.connectionFile, 'utf8')).ip, IP);
});

test('the kernel works at that address', async () => {
  const { reply } = await k.execute('1 + 1', { timeoutMs: 60_000 });
  assert.equal(reply.content.status, 'ok');
});
