/**
 * `optilab lab` (what `npm start` runs): installs the kernelspec for the user, then
 * starts JupyterLab on notebooks/. A `jupyter lab` on PATH is used; otherwise JupyterLab
 * (and Notebook 7) is installed with the machine's pip into a local venv, `.venv-jupyter`,
 * and run from there. `optilab lab --install` only installs (CI and the browser tests use it).
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, UsageError } from './args.js';
import { installKernelSpec } from './kernelspec/install.js';
import { packageRoot } from './paths.js';
import { freePort } from './protocol/connection.js';

const say = (line: string) => process.stderr.write(`[optilab lab] ${line}\n`);

/** The venv `npm start` installs JupyterLab into when none is on PATH. */
export const LAB_VENV = join(packageRoot, '.venv-jupyter');
/** What goes into it: JupyterLab, and Notebook 7 for its single-document interface. */
const LAB_PACKAGES = ['jupyterlab', 'notebook'];

const venvBin = (venv: string, name: string) => join(venv, process.platform === 'win32' ? 'Scripts' : 'bin', name);

/** True when `jupyter` (at `command`) runs `jupyter <app> --version` (app: lab, notebook). */
function hasApp(command: string, app: 'lab' | 'notebook'): boolean {
  const r = spawnSync(command, [app, '--version'], { encoding: 'utf8', timeout: 120_000 });
  return r.status === 0;
}

/** The `jupyter` command that can run JupyterLab: one on PATH, else the one in `venv`; undefined when neither can. */
export function findJupyter(venv = LAB_VENV): string | undefined {
  if (hasApp('jupyter', 'lab')) return 'jupyter';
  const local = venvBin(venv, 'jupyter');
  return existsSync(local) && hasApp(local, 'lab') ? local : undefined;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): void {
  say(`$ ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { stdio: 'inherit', env });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.error?.message ?? `exit code ${r.status}`})`);
}

/** pip's effective settings (`pip config list`: environment first, then the install and global sections). */
function pipSetting(pip: string, key: string): string | undefined {
  const r = spawnSync(pip, ['config', 'list'], { encoding: 'utf8', timeout: 60_000 });
  const found = new Map<string, string>();
  for (const line of (r.stdout ?? '').split('\n')) {
    const m = line.match(/^(:env:|install|global)\.([\w-]+)='(.*)'$/);
    if (m && m[2] === key && !found.has(m[1])) found.set(m[1], m[3]);
  }
  return found.get(':env:') ?? found.get('install') ?? found.get('global');
}

/**
 * The environment for `pip install`. A machine without internet may have pip read local
 * wheel indexes as extra indexes while its main index stays pypi.org; pip then retries
 * pypi.org for every package (minutes for JupyterLab). When the main index does not answer,
 * the extra indexes are used alone.
 */
export async function pipEnvironment(pip: string, env: NodeJS.ProcessEnv = process.env): Promise<NodeJS.ProcessEnv> {
  const index = pipSetting(pip, 'index-url') ?? 'https://pypi.org/simple';
  const extras = (pipSetting(pip, 'extra-index-url') ?? '').split(/\s+/).filter(Boolean);
  if (!/^https?:/.test(index) || extras.length === 0) return env;
  try {
    await fetch(index, { method: 'HEAD', signal: AbortSignal.timeout(15_000) });
    return env;
  } catch {
    say(`${index} does not answer: installing from the extra indexes ${extras.join(', ')}`);
    return { ...env, PIP_INDEX_URL: extras[0], PIP_EXTRA_INDEX_URL: (extras.length > 1 ? extras.slice(1) : extras).join(' ') };
  }
}

/** The `jupyter` command to use, installing JupyterLab and Notebook 7 into `venv` when none is found. */
export async function findOrInstallJupyter(venv = LAB_VENV): Promise<string> {
  const found = findJupyter(venv);
  if (found) return found;
  const local = venvBin(venv, 'jupyter');
  say(`no 'jupyter lab' on PATH: installing JupyterLab into ${venv} with pip`);
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
  if (!python) throw new Error('no python3 on PATH to create a venv for JupyterLab; install Python 3 or JupyterLab');
  run(python, ['-m', 'venv', venv]);
  const pip = venvBin(venv, 'pip');
  run(pip, ['install', '--quiet', ...LAB_PACKAGES], await pipEnvironment(pip));
  if (!hasApp(local, 'lab')) throw new Error(`JupyterLab was installed into ${venv} but '${local} lab' does not run`);
  return local;
}

export async function labCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { flags: ['--install'], values: ['--port', '--notebook-dir'] });
  if (a.positionals.length) throw new UsageError(`lab: unexpected argument ${a.positionals[0]}`);
  const dir = installKernelSpec({ kind: 'user' });
  say(`kernelspec "TypeScript (optilab)" installed in ${dir}`);
  const jupyter = await findOrInstallJupyter();
  if (a.flags.has('--install')) {
    say(`JupyterLab: ${jupyter}`);
    return 0;
  }
  const port = a.values.has('--port') ? Number(a.values.get('--port')) : await freePort();
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new UsageError(`--port ${a.values.get('--port')}: expected a TCP port number`);
  const token = randomBytes(24).toString('hex');
  const root = a.values.get('--notebook-dir') ?? join(packageRoot, 'notebooks');
  const args = ['lab', `--ServerApp.root_dir=${root}`, '--ServerApp.ip=127.0.0.1', `--ServerApp.port=${port}`, `--IdentityProvider.token=${token}`, '--ServerApp.port_retries=0'];
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY && process.platform === 'linux') args.push('--no-browser');
  if (process.getuid?.() === 0) args.push('--allow-root');
  const child = spawn(jupyter, args, { stdio: 'inherit' });
  say(`JupyterLab on ${root}: http://127.0.0.1:${port}/lab?token=${token}`);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}
