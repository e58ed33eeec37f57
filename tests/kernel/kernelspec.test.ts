/** `optilab kernel install / uninstall`: where the kernelspec goes, what it holds, who may read it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from '../../kernel/paths.js';
import { kernelsDir, userDataDir } from '../../kernel/kernelspec/install.js';
import { missingPython, SYSTEM_PYTHON } from './jupyter-env.js';

function optilab(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [cliPath, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

function withTemp(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'optilab-spec-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('--prefix installs kernel.json and logos, private to the user, and uninstall removes them', () =>
  withTemp((dir) => {
    const r = optilab(['kernel', 'install', '--prefix', dir]);
    assert.equal(r.status, 0, r.stderr);
    const spec = join(dir, 'share', 'jupyter', 'kernels', 'optilab');
    const kernel = JSON.parse(readFileSync(join(spec, 'kernel.json'), 'utf8'));
    assert.equal(kernel.display_name, 'TypeScript (optilab)');
    assert.equal(kernel.language, 'typescript');
    assert.equal(kernel.interrupt_mode, 'message');
    assert.deepEqual(kernel.argv, [process.execPath, cliPath, 'kernel', '--connection-file', '{connection_file}']);
    assert.equal(statSync(spec).mode & 0o777, 0o700);
    for (const [file, size] of [['logo-32x32.png', 32], ['logo-64x64.png', 64]] as const) {
      const png = readFileSync(join(spec, file));
      assert.equal(png.subarray(1, 4).toString(), 'PNG');
      assert.equal(png.readUInt32BE(16), size, `${file} width`);
      assert.equal(png.readUInt32BE(20), size, `${file} height`);
      assert.equal(statSync(join(spec, file)).mode & 0o777, 0o600);
    }
    assert.equal(statSync(join(spec, 'kernel.json')).mode & 0o777, 0o600);
    assert.match(readFileSync(join(spec, 'logo-svg.svg'), 'utf8'), /^<svg /);
    assert.equal(optilab(['kernel', 'uninstall', '--prefix', dir]).status, 0);
    assert.equal(existsSync(spec), false);
  }));

test('--user follows JUPYTER_DATA_DIR, then XDG_DATA_HOME', () =>
  withTemp((dir) => {
    const data = join(dir, 'data');
    assert.equal(optilab(['kernel', 'install', '--user'], { JUPYTER_DATA_DIR: data }).status, 0);
    assert.ok(existsSync(join(data, 'kernels', 'optilab', 'kernel.json')));
    if (process.platform === 'linux') {
      assert.equal(userDataDir({ XDG_DATA_HOME: join(dir, 'xdg') }), join(dir, 'xdg', 'jupyter'));
      assert.equal(kernelsDir({ kind: 'sys-prefix' }, { VIRTUAL_ENV: join(dir, 'venv'), PATH: '' }), join(dir, 'venv', 'share', 'jupyter', 'kernels'));
    }
  }));

test('Jupyter finds the installed kernelspec through JUPYTER_PATH', { skip: missingPython('jupyter_client') }, () =>
  withTemp((dir) => {
    optilab(['kernel', 'install', '--prefix', dir]);
    const r = spawnSync(SYSTEM_PYTHON, ['-c', 'from jupyter_client.kernelspec import KernelSpecManager as K; s = K().get_kernel_spec("optilab"); print(s.display_name, s.interrupt_mode)'], {
      env: { ...process.env, JUPYTER_PATH: join(dir, 'share', 'jupyter'), JUPYTER_DATA_DIR: join(dir, 'data') },
      encoding: 'utf8',
    });
    assert.equal(r.stdout.trim(), 'TypeScript (optilab) message', r.stderr);
  }));

test('bad command lines get a usage error naming the problem', () => {
  const both = optilab(['kernel', 'install', '--user', '--prefix', '/tmp/x']);
  assert.equal(both.status, 2);
  assert.match(both.stderr, /choose one of --user, --sys-prefix, --prefix PATH/);
  const unknown = optilab(['kernel', 'install', '--everywhere']);
  assert.match(unknown.stderr, /unknown option --everywhere; expected one of --user, --sys-prefix, --prefix/);
  assert.match(optilab(['frobnicate']).stderr, /unknown command 'frobnicate'/);
  assert.match(optilab(['kernel']).stderr, /--connection-file FILE is required/);
  assert.equal(optilab(['--help']).status, 0);
});
