/**
 * Faults a notebook user causes, beyond those in kernel.test.ts: interrupts in long tensor
 * work, in a promise that never settles and in input(); errors thrown by asynchronous work;
 * the kernel's own formatting of hostile values; output floods on both streams; 1000 rapid
 * executions; restarts; and memory over 500 cells that create tensors. After each, the
 * kernel must answer and keep what it should.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelClient, KernelDiedError } from '../../kernel/client/index.js';
import { jupyterEnv, type JupyterEnv } from './jupyter-env.js';
import { outputSignal, printed, runCell } from './kernel-client.js';

let jenv: JupyterEnv;
let nbDir: string;
let k: KernelClient;

before(async () => {
  jenv = jupyterEnv();
  nbDir = mkdtempSync(join(tmpdir(), 'optilab-faults-'));
  k = await KernelClient.start({ cwd: nbDir, env: jenv.env, startupTimeoutMs: 120_000 });
});

after(async () => {
  if (process.env.KERNEL_LOG) (await import('node:fs')).writeFileSync(process.env.KERNEL_LOG, k?.logTail(200000) ?? '');
  await k?.shutdown();
  rmSync(nbDir, { recursive: true, force: true });
  jenv?.cleanup();
});

/** Runs `code`, interrupts it once it printed `marker`, and returns the run. */
async function interrupted(code: string, marker: string, onInput?: (p: string) => string | Promise<string>) {
  const signal = outputSignal(printed(marker));
  const running = runCell(k, code, { onOutput: signal.onOutput, onInput });
  // Interrupt once the cell printed its marker (or after 20 s, so a lost marker cannot leave the cell running for the next tests).
  await Promise.race([signal.seen, new Promise((resolve) => setTimeout(resolve, 20_000).unref())]);
  await k.interrupt();
  return running;
}

/** Forces a garbage collection in the executor and waits for the tensors it frees. */
const COLLECT = 'await (globalThis as any)[Symbol.for("optilab.collectTensors")]()';

/** The value of `expr` in the kernel, passed as JSON. */
async function json(expr: string): Promise<any> {
  const r = await runCell(k, `console.log(JSON.stringify(${expr}))`);
  assert.equal(r.status, 'ok', `${expr}: ${JSON.stringify(r.errors[0]?.content ?? r.reply.content).slice(0, 500)}`);
  return JSON.parse(r.stdout);
}

describe('interrupt', () => {
  test('a loop of large matrix products: interrupted, variables kept, TF.js usable', async () => {
    await runCell(k, 'let matrixKept = 7; const big = tf.randomNormal([400, 400]);');
    const r = await interrupted('console.log("products"); let prod = big; for (;;) { prod = tf.matMul(big, prod); }', 'products');
    assert.equal(r.reply.content.ename, 'Interrupted');
    assert.deepEqual(await json('[matrixKept, tf.matMul(big, big).shape, tf.engine().state.scopeStack.length]'), [7, [400, 400], 0]);
  });

  test('a long tf.tidy (a training loop inside one tidy): interrupted, the engine is left clean', async () => {
    const r = await interrupted(
      [
        'const w = tf.variable(tf.ones([64, 64]));',
        'console.log("training");',
        'tf.tidy(() => { for (;;) { const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, x))))(w); w.assign(tf.sub(w, tf.mul(g, 1e-6))); } });',
      ].join('\n'),
      'training',
    );
    assert.equal(r.reply.content.ename, 'Interrupted');
    const state = await json('[tf.engine().state.scopeStack.length, tf.engine().state.gradientDepth, w.isDisposed, tf.sum(w).dataSync()[0] > 0]');
    assert.deepEqual(state, [0, 0, false, true], 'the variable assigned inside the tidy survives and the scopes are closed');
  });

  test('an await on a promise that never settles', async () => {
    await runCell(k, 'let keptValue = 7;');
    const r = await interrupted('console.log("forever"); await new Promise(() => {});', 'forever');
    assert.equal(r.reply.content.ename, 'Interrupted');
    assert.equal(await json('keptValue'), 7);
  });

  test('input() waiting for an answer', async () => {
    const r = await interrupted('console.log("asking"); const answer = input("never answered? ")', 'asking', () => new Promise<string>(() => {}));
    assert.equal(r.reply.content.ename, 'Interrupted');
    assert.equal(await json('keptValue + 1'), 8);
  });

  test('an interrupt while idle changes nothing', async () => {
    await k.interrupt();
    assert.equal(await json('keptValue'), 7);
  });
});

describe('asynchronous errors', () => {
  /** The text of a cell's error and stderr, and of the next cell's stderr: where a late error may be reported. */
  async function reported(code: string, waitMs = 150): Promise<{ cell: string; next: string; nextOk: boolean }> {
    const r = await runCell(k, code);
    await new Promise((resolve) => setTimeout(resolve, waitMs));
    const n = await runCell(k, '"next"');
    return { cell: [r.reply.content.evalue ?? '', r.stderr].join('\n'), next: n.stderr, nextOk: n.result === "'next'" };
  }

  test('a promise rejected after the cell finished is reported on the next cell', async () => {
    const r = await reported('setTimeout(() => { Promise.reject(new Error("rejected later")); }, 20); 1');
    assert.ok(r.nextOk);
    assert.match(r.next, /Error in asynchronous work of an earlier cell[\s\S]*rejected later/);
  });

  test('a throw in a then() the cell did not await is reported on the cell or the next', async () => {
    const r = await reported('Promise.resolve().then(() => { throw new Error("thrown in then") }); 2');
    assert.ok(r.nextOk);
    assert.match(r.cell + r.next, /thrown in then/);
  });

  test('a non-Error thrown by a timer, and an emitter error nobody listens to', async () => {
    const thrown = await reported('setTimeout(() => { throw 42; }, 10); 3');
    assert.ok(thrown.nextOk);
    assert.match(thrown.next, /42/);
    const emitted = await reported('import { EventEmitter } from "node:events"; setTimeout(() => new EventEmitter().emit("error", new Error("emitter failed")), 10); 4');
    assert.ok(emitted.nextOk);
    assert.match(emitted.next, /emitter failed/);
  });

  test('an interval that throws every time is reported and can be cleared', async () => {
    await runCell(k, 'let ticks = 0; const timer = setInterval(() => { ticks++; throw new Error("tick " + ticks); }, 30);');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const r = await runCell(k, 'clearInterval(timer); ticks > 1');
    assert.equal(r.result, 'true');
    assert.match(r.stderr, /tick \d+/);
    assert.equal(await json('"alive"'), 'alive');
  });
});

describe('recursion and hostile values', () => {
  test('endless async recursion is a RangeError', async () => {
    const r = await runCell(k, 'async function deeper(n: number): Promise<number> { return (await deeper(n + 1)) + 1; } await deeper(0)');
    assert.equal(r.reply.content.ename, 'RangeError');
    assert.equal(await json('1 + 1'), 2);
  });

  test('a result nested 100,000 levels deep, a cyclic result, and a result whose getter throws are shown', async () => {
    const deep = await runCell(k, 'let nested: any = 0; for (let i = 0; i < 100000; i++) nested = { nested }; nested');
    assert.equal(deep.status, 'ok', JSON.stringify(deep.reply.content).slice(0, 300));
    assert.match(deep.result!, /nested/);
    const cyclic = await runCell(k, 'const loop: any = { name: "loop" }; loop.self = loop; loop');
    assert.match(cyclic.result!, /Circular/);
    const getter = await runCell(k, '({ get broken(): number { throw new Error("getter") }, fine: 1 })');
    assert.equal(getter.status, 'ok');
    assert.match(getter.result!, /fine: 1/);
  });

  test('a display method that throws, and a bundle that cannot be sent, fail their cell only', async () => {
    const throws = await runCell(k, '({ [Symbol.for("Jupyter.display")]: () => { throw new Error("cannot show myself") } })');
    assert.equal(throws.status, 'error');
    assert.match(throws.reply.content.evalue, /cannot show myself/);
    for (const code of ['display.mime({ "application/json": { n: 10n } as any, "text/plain": "n" })', 'await display(display.mime({ "application/json": { n: 10n } as any }))']) {
      const bigint = await runCell(k, code);
      assert.equal(bigint.status, 'error', code);
      assert.match(bigint.reply.content.evalue, /cannot be sent to the frontend as JSON: .*BigInt/);
    }
    assert.equal(await json('"alive"'), 'alive');
  });
});

describe('output', () => {
  test('50,000 lines on each of stdout and stderr, interleaved: every line arrives, in order', async () => {
    const r = await runCell(k, 'for (let i = 0; i < 50000; i++) { console.log("o" + i); console.error("e" + i); } "done"');
    assert.equal(r.result, "'done'");
    for (const [name, text] of [['o', r.stdout], ['e', r.stderr]] as const) {
      const lines = text.split('\n');
      assert.equal(lines.length, 50001, `${name}: ${lines.length - 1} lines`);
      assert.ok(lines.slice(0, 50000).every((l, i) => l === `${name}${i}`), `${name}: a line is missing or out of order`);
    }
    assert.ok(r.ofType('stream').length < 4000, `${r.ofType('stream').length} stream messages for 100,000 lines`);
  });

  test('one line of 5 MB arrives whole', async () => {
    const r = await runCell(k, 'console.log("y".repeat(5_000_000))');
    assert.equal(r.stdout.length, 5_000_001);
  });
});

describe('load', () => {
  test('1000 executions sent at once are all answered, in order, with consecutive counts', async () => {
    const first = (await runCell(k, '0')).reply.content.execution_count as number;
    const runs = Array.from({ length: 1000 }, (_, i) => k.execute(`${i} * 2`, { timeoutMs: 600_000 }));
    const done = await Promise.all(runs);
    done.forEach((r, i) => {
      assert.equal(r.reply.content.status, 'ok', `execution ${i}`);
      assert.equal(r.reply.content.execution_count, first + 1 + i);
      assert.equal(r.iopub.find((m) => m.header.msg_type === 'execute_result')?.content.data['text/plain'], String(i * 2));
    });
    assert.equal(await json('"alive"'), 'alive');
  });

  test('several input() calls in one cell, one with a password', async () => {
    const asked: [string, boolean][] = [];
    const r = await runCell(k, 'const user = input("user? "); const pass = input("password? ", { password: true }); const again = prompt("again? ", "dflt"); [user, pass.length, again]', {
      onInput: (p, password) => {
        asked.push([p, password]);
        return p === 'user? ' ? 'ada' : p === 'password? ' ? 'secret' : '';
      },
    });
    assert.deepEqual(asked, [['user? ', false], ['password? ', true], ['again? ', false]]);
    assert.equal(r.result, "[ 'ada', 6, 'dflt' ]");
  });
});

describe('memory', () => {
  test('tensors a cell does not keep are freed; what code can still reach is kept', async () => {
    await runCell(k, COLLECT);
    const before = await json('tf.memory().numTensors');
    const kept = await runCell(
      k,
      [
        'const holder = { inner: { t: tf.fill([7], 1) } };',
        'const list = [tf.fill([7], 2), [tf.fill([7], 3)]];',
        'const byName = new Map([["k", tf.fill([7], 4)]]);',
        'const hiddenSum = (() => { const hidden = tf.fill([7], 5); return () => hidden.sum().dataSync()[0]; })();',
        'class Box { constructor(readonly t: tf.Tensor) {} }',
        'const boxed = new Box(tf.fill([7], 6));',
        'const base = tf.fill([4], 7); base.reshape([2, 2]);', // the reshape shares base's data
        'let later = 0;',
        '{ const forTimer = tf.fill([7], 8); setTimeout(() => { later = forTimer.sum().dataSync()[0]; }, 400); }',
        '{ tf.variable(tf.fill([3], 9), true, "unreferencedVariable"); }',
        'const disposedEarly = tf.fill([3], 10); disposedEarly.dispose();',
        'for (let i = 0; i < 50; i++) tf.add(tf.fill([100], i), 1);', // 150 tensors nobody keeps
      ].join('\n'),
    );
    assert.equal(kept.status, 'ok', JSON.stringify(kept.errors[0]?.content));
    await runCell(k, COLLECT);
    const values = await json(
      '[holder.inner.t, list[0] as tf.Tensor, (list[1] as tf.Tensor[])[0], byName.get("k")!, boxed.t, base].map((t) => t.sum().dataSync()[0]).concat([hiddenSum(), tf.engine().state.registeredVariables.unreferencedVariable.sum().dataSync()[0]])',
    );
    assert.deepEqual(values, [7, 14, 21, 28, 42, 28, 35, 27]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await json('later'), 56, 'the tensor a timer still needed was kept');
    await runCell(k, COLLECT);
    // Kept: 6 named tensors, the closure's, the timer's (now unreachable, freed), the variable.
    const after = await json('tf.memory().numTensors');
    assert.ok(after - before <= 9, `${after - before} more tensors than before`);
    assert.ok(after - before >= 8, `${after - before}: something reachable was freed`);
  });

  test('an optimizer keeps its state across cells and collections', async () => {
    await runCell(k, 'const p = tf.variable(tf.tensor1d([3, -2])); const opt = optim.adam({ lr: 0.1 }); for (let i = 0; i < 5; i++) opt.minimize(() => tf.sum(tf.square(p)));');
    await runCell(k, COLLECT);
    const r = await runCell(k, 'for (let i = 0; i < 5; i++) opt.minimize(() => tf.sum(tf.square(p))); Array.from(p.dataSync()).map((x) => +x.toFixed(3))');
    assert.equal(r.status, 'ok', JSON.stringify(r.errors[0]?.content));
    // The same ten steps of Adam (torch defaults, lr 0.1) on sum(p^2), computed here: a reset moment estimate would differ by about 0.01.
    const p = [3, -2];
    const m = [0, 0];
    const v = [0, 0];
    for (let t = 1; t <= 10; t++) {
      for (let i = 0; i < 2; i++) {
        const g = 2 * p[i];
        m[i] = 0.9 * m[i] + 0.1 * g;
        v[i] = 0.999 * v[i] + 0.001 * g * g;
        p[i] -= (0.1 * (m[i] / (1 - 0.9 ** t))) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8);
      }
    }
    assert.equal(r.result, `[ ${p.map((x) => +x.toFixed(3)).join(', ')} ]`);
  });

  test('500 cells that create tensors: the tensor count and bytes stay bounded', async () => {
    await runCell(k, `${COLLECT}; const startMemory = tf.memory();`);
    const cells = (i: number) =>
      [
        `tf.matMul(tf.randomNormal([64, 64]), tf.randomNormal([64, 64])).mean()`,
        `const reassigned = tf.randomNormal([64, 64]);`,
        `const summary = { m: tf.mean(reassigned), v: tf.moments(reassigned).variance };`,
        `console.log(tf.square(reassigned).sum().dataSync()[0] > 0)`,
      ][i % 4];
    const runs = Array.from({ length: 500 }, (_, i) => k.execute(cells(i), { timeoutMs: 600_000 }));
    for (const [i, r] of (await Promise.all(runs)).entries()) assert.equal(r.reply.content.status, 'ok', `cell ${i}: ${r.reply.content.evalue}`);
    const [tensors, bytes] = await json(`(${COLLECT}, [tf.memory().numTensors - startMemory.numTensors, tf.memory().numBytes - startMemory.numBytes])`);
    // Without freeing: 5 tensors per 4 cells kept forever (625 tensors, about 10 MB).
    assert.ok(tensors <= 5, `${tensors} more tensors after 500 cells`);
    assert.ok(bytes <= 64 * 64 * 4 * 2, `${bytes} more bytes after 500 cells`);
  });
});

describe('restart', () => {
  test('restart during a busy cell: state cleared, execution count back to 1, the kernel answers', async () => {
    await runCell(k, 'const beforeRestart = 1;');
    const busy = runCell(k, 'while (true) {}');
    busy.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await k.restart(120_000);
    // The busy cell is answered as interrupted, or its request fails with the process: it never hangs.
    const outcome = await busy.then((r) => r.reply.content.ename, (e: Error) => (e instanceof KernelDiedError ? 'KernelDiedError' : String(e)));
    assert.ok(['Interrupted', 'KernelDiedError'].includes(outcome), outcome);
    const first = await runCell(k, 'typeof (globalThis as any).beforeRestart');
    assert.equal(first.result, "'undefined'");
    assert.equal(first.reply.content.execution_count, 1);
    assert.equal((await runCell(k, 'tf.sum(tf.ones([2, 2])).dataSync()[0]')).result, '4');
  });
});
