/**
 * `optilab lab` (what `npm start` runs): installs the kernelspec for the user, then
 * starts JupyterLab on notebooks/. A `jupyter lab` on PATH is used; otherwise JupyterLab
 * is installed with the machine's pip into a local venv, `.venv-jupyter`, and run from there.
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

/** True when `jupyter` (at `command`) can run JupyterLab. */
function hasLab(command: string): boolean {
  const r = spawnSync(command, ['lab', '--version'], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0;
}

function run(command: string, args: string[]): void {
  say(`$ ${command} ${args.join(' ')}`);
  const r = spawnSync(command, args, { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.error?.message ?? `exit code ${r.status}`})`);
}

/** The `jupyter` command to use, installing JupyterLab into .venv-jupyter when none is on PATH. */
function findOrInstallJupyter(venv: string): string {
  if (hasLab('jupyter')) return 'jupyter';
  const local = join(venv, process.platform === 'win32' ? 'Scripts' : 'bin', 'jupyter');
  if (existsSync(local) && hasLab(local)) return local;
  say(`no 'jupyter lab' on PATH: installing JupyterLab into ${venv} with pip`);
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version']).status === 0);
  if (!python) throw new Error('no python3 on PATH to create a venv for JupyterLab; install Python 3 or JupyterLab');
  run(python, ['-m', 'venv', venv]);
  const pip = join(venv, process.platform === 'win32' ? 'Scripts' : 'bin', 'pip');
  run(pip, ['install', '--quiet', 'jupyterlab']);
  if (!hasLab(local)) throw new Error(`JupyterLab was installed into ${venv} but '${local} lab' does not run`);
  return local;
}

export async function labCommand(argv: string[]): Promise<number> {
  const a = parseArgs(argv, { values: ['--port', '--notebook-dir'] });
  if (a.positionals.length) throw new UsageError(`lab: unexpected argument ${a.positionals[0]}`);
  const dir = installKernelSpec({ kind: 'user' });
  say(`kernelspec "TypeScript (optilab)" installed in ${dir}`);
  const jupyter = findOrInstallJupyter(join(packageRoot, '.venv-jupyter'));
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
