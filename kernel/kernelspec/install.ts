/**
 * Installing the kernelspec: `kernels/optilab/kernel.json` (how Jupyter starts this
 * kernel) plus logos, in the data directory Jupyter searches, following jupyter_core's
 * rules (JUPYTER_DATA_DIR, XDG_DATA_HOME, --sys-prefix, --prefix). Files are private to
 * the user: the directory 0700, the files 0600.
 */
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { cliPath } from '../paths.js';
import { logoPng, logoSvg } from './logo.js';

export const KERNEL_NAME = 'optilab';
export const DISPLAY_NAME = 'TypeScript (optilab)';

export type InstallScope = { kind: 'user' } | { kind: 'sys-prefix' } | { kind: 'prefix'; prefix: string };

/** jupyter_core's user data directory. */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Jupyter');
  if (process.platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'jupyter');
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'jupyter');
}

/** The environment prefix Jupyter runs from: an active venv or conda env, else the one holding `jupyter` on PATH. */
export function sysPrefix(env: NodeJS.ProcessEnv = process.env): string {
  if (env.VIRTUAL_ENV) return env.VIRTUAL_ENV;
  if (env.CONDA_PREFIX) return env.CONDA_PREFIX;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, process.platform === 'win32' ? 'jupyter.exe' : 'jupyter'))) return dirname(dir);
  }
  throw new Error('--sys-prefix: no Python environment found (VIRTUAL_ENV and CONDA_PREFIX are unset and no jupyter is on PATH); use --user or --prefix PATH');
}

/** The `kernels/` directory for a scope. */
export function kernelsDir(scope: InstallScope, env: NodeJS.ProcessEnv = process.env): string {
  switch (scope.kind) {
    case 'user':
      return join(userDataDir(env), 'kernels');
    case 'sys-prefix':
      return join(sysPrefix(env), 'share', 'jupyter', 'kernels');
    case 'prefix':
      return join(scope.prefix, 'share', 'jupyter', 'kernels');
  }
}

export function kernelSpec(): Record<string, unknown> {
  return {
    argv: [process.execPath, cliPath, 'kernel', '--connection-file', '{connection_file}'],
    display_name: DISPLAY_NAME,
    language: 'typescript',
    // Interrupts arrive as interrupt_request on the control channel: this works for remote
    // kernels and on Windows, and never reaches other processes in the kernel's group.
    // SIGINT is handled the same way for terminals and managers that send it.
    interrupt_mode: 'message',
    env: {},
    metadata: { debugger: false },
  };
}

function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
}

function writePrivate(path: string, data: string | Buffer): void {
  writeFileSync(path, data, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** Writes the kernelspec; returns its directory. */
export function installKernelSpec(scope: InstallScope, env: NodeJS.ProcessEnv = process.env): string {
  const dir = join(kernelsDir(scope, env), KERNEL_NAME);
  ensurePrivateDir(dir);
  writePrivate(join(dir, 'kernel.json'), JSON.stringify(kernelSpec(), null, 2) + '\n');
  writePrivate(join(dir, 'logo-32x32.png'), logoPng(32));
  writePrivate(join(dir, 'logo-64x64.png'), logoPng(64));
  writePrivate(join(dir, 'logo-svg.svg'), logoSvg());
  return dir;
}

/** Removes the kernelspec; returns its directory, or undefined when it was not installed there. */
export function uninstallKernelSpec(scope: InstallScope, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dir = join(kernelsDir(scope, env), KERNEL_NAME);
  if (!existsSync(dir)) return undefined;
  rmSync(dir, { recursive: true, force: true });
  return dir;
}
