/**
 * A private Jupyter environment for one test file: temporary JUPYTER_* directories with
 * the optilab kernelspec installed, so tests never touch the user's Jupyter set-up and
 * never collide with each other. `cleanup()` removes everything.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { installKernelSpec } from '../../kernel/kernelspec/install.js';

export interface JupyterEnv {
  root: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export function jupyterEnv(): JupyterEnv {
  const root = mkdtempSync(join(tmpdir(), 'optilab-jupyter-'));
  installKernelSpec({ kind: 'prefix', prefix: join(root, 'prefix') });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: join(root, 'prefix', 'share', 'jupyter'),
    JUPYTER_DATA_DIR: join(root, 'data'),
    JUPYTER_RUNTIME_DIR: join(root, 'runtime'),
    JUPYTER_CONFIG_DIR: join(root, 'config'),
    IPYTHONDIR: join(root, 'ipython'),
  };
  return { root, env, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

export const SYSTEM_PYTHON = '/usr/bin/python3';

/** Why a Python module cannot be used with Debian's python, or undefined when it can. */
export function missingPython(module: string): string | undefined {
  const r = spawnSync(SYSTEM_PYTHON, ['-c', `import ${module}`], { encoding: 'utf8' });
  if (r.error) return `${SYSTEM_PYTHON} is not available (${r.error.message})`;
  if (r.status !== 0) return `${SYSTEM_PYTHON} cannot import ${module}: install Debian's package (see .ci/run)`;
  return undefined;
}

/** A Jupyter server (jupyter server, JupyterLab or Notebook 7) that a test started. */
export interface RunningJupyter {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:8123/ */
  url: string;
  token: string;
  /** Everything the server printed so far (for failure messages). */
  log(): string;
  /** Stops the server (its kernels are shut down with it) and waits for it to exit. */
  stop(): Promise<void>;
}

export interface StartJupyterOptions {
  /** The command and its first arguments: [jupyter, 'lab'], [jupyter, 'notebook'], [python, '-m', 'jupyter_server']. */
  command: string[];
  /** The folder the server serves. */
  root: string;
  /** The environment (a `jupyterEnv().env`, so the server finds the optilab kernelspec and nothing of the user's). */
  env: NodeJS.ProcessEnv;
  args?: string[];
  /**
   * For a launcher that picks the token itself (`optilab lab`, what `npm start` runs): it is
   * given only `--port` and `args`, and the token is read from its output with this pattern.
   */
  tokenFromOutput?: RegExp;
  startupTimeoutMs?: number;
}

/**
 * Starts a Jupyter server on a free port with a random token and waits until its REST API
 * answers. The command's own exit or a timeout throws with the server's output.
 */
export async function startJupyter(o: StartJupyterOptions): Promise<RunningJupyter> {
  const { spawn } = await import('node:child_process');
  const { randomBytes } = await import('node:crypto');
  const { freePort } = await import('../../kernel/protocol/connection.js');
  const token = randomBytes(16).toString('hex');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const [cmd, ...first] = o.command;
  const args = o.tokenFromOutput ? [...first, '--port', String(port), ...(o.args ?? [])] : [
    ...first,
    '--no-browser',
    '--ServerApp.ip=127.0.0.1',
    `--ServerApp.port=${port}`,
    '--ServerApp.port_retries=0',
    `--ServerApp.token=${token}`,
    `--ServerApp.root_dir=${o.root}`,
    ...(process.getuid?.() === 0 ? ['--allow-root'] : []),
    ...(o.args ?? []),
  ];
  // Its own process group, so that stop() reaches helpers the server started too.
  const child = spawn(cmd, args, { cwd: o.root, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));

  const stop = async () => {
    if (gone) return;
    try { process.kill(-child.pid!, 'SIGTERM'); } catch { /* already gone */ }
    const timer = new Promise<'late'>((r) => setTimeout(() => r('late'), 20_000).unref());
    if ((await Promise.race([exited, timer])) === 'late') {
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
      await exited;
    }
  };

  let served = token;
  const deadline = Date.now() + (o.startupTimeoutMs ?? 180_000);
  for (;;) {
    if (gone) throw new Error(`${o.command.join(' ')} exited before it served ${url}:\n${output}`);
    if (o.tokenFromOutput) served = o.tokenFromOutput.exec(output)?.[1] ?? '';
    if (served) try {
      const r = await fetch(`${url}api/status`, { headers: { Authorization: `token ${served}` }, signal: AbortSignal.timeout(5_000) });
      if (r.ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${o.command.join(' ')} did not serve ${url} within ${(o.startupTimeoutMs ?? 180_000) / 1000} s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, token: served, log: () => output, stop };
}
