/**
 * End to end through the wire protocol: every message type the kernel handles, the
 * executor's semantics (persistence, errors, imports, display, interrupt) and faults
 * that must leave the kernel alive.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelClient } from '../../kernel/client/index.js';
import { Signer } from '../../kernel/protocol/wire.js';
import { jupyterEnv, type JupyterEnv } from './jupyter-env.js';
import { outputSignal, printed, runCell } from './kernel-client.js';

let jenv: JupyterEnv;
let nbDir: string;
let k: KernelClient;

before(async () => {
  jenv = jupyterEnv();
  nbDir = mkdtempSync(join(tmpdir(), 'optilab-nb-'));
  writeFileSync(join(nbDir, 'helper.mjs'), 'export const answer = 42;\n');
  k = await KernelClient.start({ cwd: nbDir, env: jenv.env });
});

after(async () => {
  if (process.env.KERNEL_LOG) console.error(k?.logTail(20000));
  await k?.shutdown();
  rmSync(nbDir, { recursive: true, force: true });
  jenv?.cleanup();
});

describe('execute', () => {
  test('the last expression is the execute_result; stdout is a stream; counts increase', async () => {
    const a = await runCell(k, 'console.log("hello"); 20 + 22');
    assert.equal(a.status, 'ok');
    assert.equal(a.stdout, 'hello\n');
    assert.equal(a.result, '42');
    const b = await runCell(k, 'const q = 1;');
    assert.equal(b.result, undefined, 'a declaration has no result');
    assert.equal(b.reply.content.execution_count, a.reply.content.execution_count + 1);
    const input = (await k.execute('1')).iopub.find((m) => m.header.msg_type === 'execute_input');
    assert.equal(input?.content.code, '1');
  });

  test('top-level declarations persist and can be re-declared by re-running a cell', async () => {
    await runCell(k, 'const x = 1; let y: string = "a"; function f(n: number) { return n + x } class P { v = 2 }');
    const again = await runCell(k, 'const x = 10; f(1)');
    assert.equal(again.status, 'ok', JSON.stringify(again.errors[0]?.content));
    assert.equal(again.result, '11', 'functions see the current value of a re-declared global');
    const changed = await runCell(k, 'const y = 2; y + new P().v');
    assert.equal(changed.result, '4', 'y was re-declared with another type');
  });

  test('destructuring, imports and class declarations become globals', async () => {
    await runCell(k, 'const { a1, b1: [c1, ...rest1] } = { a1: 1, b1: [2, 3, 4] };');
    assert.equal((await runCell(k, 'a1 + c1 + rest1.length')).result, '5');
  });

  test('top-level await works and promises in the last expression are awaited', async () => {
    const r = await runCell(k, 'const waited = await new Promise<number>((r) => setTimeout(() => r(7), 20)); waited * 2');
    assert.equal(r.result, '14');
    assert.equal((await runCell(k, 'Promise.resolve("later")')).result, "'later'");
  });

  test('ESM-only packages import: vega, vega-lite, arquero, a local module and optilab itself', async () => {
    const r = await runCell(
      k,
      [
        'import * as aq from "arquero";',
        'import { version } from "vega";',
        'import * as vl from "vega-lite";',
        'import { answer } from "./helper.mjs";',
        'import { display as shown } from "optilab";',
        '[aq.table({ a: [1, 2, 3] }).numRows(), typeof version, typeof vl.compile, answer, shown === display]',
      ].join('\n'),
    );
    assert.equal(r.status, 'ok', JSON.stringify(r.errors[0]?.content));
    assert.equal(r.result, "[ 3, 'string', 'function', 42, true ]");
    assert.equal((await runCell(k, 'const m = await import("arquero"); typeof m.table')).result, "'function'");
  });

  test('the preloaded globals are typed: tf and the library namespaces', async () => {
    const r = await runCell(k, 'const t = tf.add(tf.scalar(2), tf.scalar(3)); [t.shape, t.dataSync()[0], typeof comm.open]');
    assert.equal(r.status, 'ok', JSON.stringify(r.errors[0]?.content));
    assert.equal(r.result, "[ [], 5, 'function' ]");
    const wrong = await runCell(k, 'const bad: string = tf.scalar(1);');
    assert.equal(wrong.reply.content.ename, 'TypeScriptError');
  });
});

describe('errors', () => {
  test('a runtime error gives one error output pointing at the cell line and column', async () => {
    const code = ['function bad(n: number) {', '  const o: any = undefined;', '  return o.field + n;', '}', 'bad(1)'].join('\n');
    const r = await runCell(k, code);
    assert.equal(r.status, 'error');
    assert.equal(r.errors.length, 1);
    const { ename, evalue, traceback } = r.errors[0].content;
    assert.equal(ename, 'TypeError');
    assert.match(evalue, /Cannot read properties of undefined \(reading 'field'\)/);
    const label = `In [${r.reply.content.execution_count}]`;
    const tb = traceback.join('\n');
    assert.match(tb, new RegExp(`at bad \\(${label.replace(/[[\]]/g, '\\$&')}:3:12\\)`));
    assert.ok(tb.includes(`${label}, line 3, column 12:`), tb);
    assert.ok(tb.includes('-> 3 |   return o.field + n;'), tb);
    assert.ok(tb.includes('  |            ^'), tb);
    assert.deepEqual(
      { ename: r.reply.content.ename, evalue: r.reply.content.evalue },
      { ename, evalue },
      'the reply carries the same error',
    );
  });

  test('a type error is reported with a caret and the cell does not run', async () => {
    const r = await runCell(k, '(globalThis as any).ranAnyway = true;\nconst s: string = 5;');
    assert.equal(r.status, 'error');
    assert.equal(r.errors.length, 1);
    const { ename, evalue, traceback } = r.errors[0].content;
    assert.equal(ename, 'TypeScriptError');
    assert.match(evalue, /Type 'number' is not assignable to type 'string'.*line 2, column 7/);
    assert.ok(traceback.includes('-> 2 | const s: string = 5;'), traceback.join('\n'));
    assert.ok(traceback.some((l: string) => /^\s+\|       \^$/.test(l)), traceback.join('\n'));
    assert.equal((await runCell(k, 'typeof (globalThis as any).ranAnyway')).result, "'undefined'");
  });

  test('a syntax error is a SyntaxError', async () => {
    const r = await runCell(k, 'const = 1');
    assert.equal(r.reply.content.ename, 'SyntaxError');
  });

  test('stop_on_error aborts the executions queued behind a failing one', async () => {
    const first = k.execute('throw new Error("first fails")', { stopOnError: true });
    const second = k.execute('(globalThis as any).secondRan = true');
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.reply.content.status, 'error');
    assert.equal(b.reply.content.status, 'error');
    assert.equal(b.reply.content.ename, 'ExecutionAborted');
    assert.equal((await runCell(k, 'typeof (globalThis as any).secondRan')).result, "'undefined'");
  });

  test('an asynchronous throw after the cell finished is reported on the next cell; the kernel lives', async () => {
    await runCell(k, 'setTimeout(() => { throw new Error("thrown later") }, 5); 1');
    await new Promise((r) => setTimeout(r, 100));
    const next = await runCell(k, '"still alive"');
    assert.equal(next.result, "'still alive'");
    assert.match(next.stderr, /Error: thrown later/);
  });

  test('an unhandled rejection inside a running cell fails that cell', async () => {
    const r = await runCell(k, 'Promise.reject(new Error("nobody catches me")); await new Promise((r) => setTimeout(r, 50)); 1');
    assert.equal(r.status, 'error');
    assert.match(r.reply.content.evalue, /nobody catches me/);
  });

  test('endless recursion is a RangeError and the kernel stays responsive', async () => {
    const r = await runCell(k, 'function down(n: number): number { return down(n + 1) + 1 } down(0)');
    assert.equal(r.reply.content.ename, 'RangeError');
    assert.equal((await runCell(k, '1 + 1')).result, '2');
  });

  test('200,000 printed lines all arrive, coalesced into few messages', async () => {
    const r = await runCell(k, 'for (let i = 0; i < 200000; i++) console.log(i); "printed"');
    assert.equal(r.result, "'printed'");
    const lines = r.stdout.split('\n');
    assert.equal(lines.length, 200001);
    assert.equal(lines[0], '0');
    assert.equal(lines[199999], '199999');
    assert.ok(r.ofType('stream').length < 2000, `${r.ofType('stream').length} stream messages`);
  });

  test('process.exit() in a cell loses the state but not the kernel', async () => {
    await runCell(k, 'const keep = 1;');
    const r = await runCell(k, 'process.exit(3)');
    assert.equal(r.reply.content.ename, 'ExecutorExited');
    assert.match(r.reply.content.evalue, /process\.exit\(3\).*variables were lost/);
    assert.equal((await runCell(k, '"fresh"')).result, "'fresh'");
    assert.equal((await runCell(k, 'keep')).reply.content.ename, 'TypeScriptError', 'declarations are reset with the state');
  });
});

describe('interrupt', () => {
  async function interrupted(code: string, marker: string) {
    const signal = outputSignal(printed(marker));
    const running = runCell(k, code, { onOutput: signal.onOutput });
    await signal.seen;
    await k.interrupt();
    return running;
  }

  test('a synchronous endless loop is interrupted and earlier variables are kept', async () => {
    await runCell(k, 'let kept = 41;');
    const r = await interrupted('kept++; console.log("looping"); while (true) {}', 'looping');
    assert.equal(r.status, 'error');
    assert.equal(r.reply.content.ename, 'Interrupted');
    assert.equal(r.errors.length, 1);
    assert.equal((await runCell(k, 'kept')).result, '42');
  });

  test('a pending await is abandoned', async () => {
    const r = await interrupted('console.log("waiting"); await new Promise((r) => setTimeout(r, 100000)); (globalThis as any).after = 1', 'waiting');
    assert.equal(r.reply.content.ename, 'Interrupted');
    assert.equal((await runCell(k, 'kept + 1')).result, '43');
  });

  test('a loop after an await is interrupted', async () => {
    const r = await interrupted('await new Promise((r) => setTimeout(r, 10)); console.log("spinning"); for (;;) {}', 'spinning');
    assert.equal(r.reply.content.ename, 'Interrupted');
    assert.equal((await runCell(k, 'kept')).result, '42');
  });

  test('SIGINT interrupts too', async () => {
    const signal = outputSignal(printed('sig'));
    const running = runCell(k, 'console.log("sig"); while (true) {}', { onOutput: signal.onOutput });
    await signal.seen;
    k.process.kill('SIGINT');
    assert.equal((await running).reply.content.ename, 'Interrupted');
    assert.equal((await runCell(k, 'kept')).result, '42');
  });

  test('TF.js works after interrupting a long tensor loop inside tidy and grad', async () => {
    const code = [
      'console.log("tensors");',
      'tf.tidy(() => tf.grad((x: tf.Tensor) => { let a = tf.mul(x, tf.ones([64, 64])); for (;;) { a = tf.add(tf.mul(a, tf.scalar(0.5)), tf.scalar(0.5)); } })(tf.scalar(1)));',
    ].join('\n');
    const r = await interrupted(code, 'tensors');
    assert.equal(r.reply.content.ename, 'Interrupted');
    const state = await runCell(k, 'const st = tf.engine().state; [st.scopeStack.length, st.gradientDepth, st.kernelDepth, st.activeScope === null]');
    assert.equal(state.result, '[ 0, 0, 0, true ]', 'the engine left the dead scope and tape');
    const after = await runCell(
      k,
      [
        'const before = tf.memory().numTensors;',
        'const total = tf.tidy(() => tf.sum(tf.ones([3, 3])));',
        'const three = tf.scalar(3);',
        'const slope = tf.grad((x: tf.Tensor) => tf.square(x))(three);',
        'const out = [total.dataSync()[0], slope.dataSync()[0]];',
        'tf.dispose([total, three, slope]);',
        '[...out, tf.memory().numTensors - before]',
      ].join('\n'),
    );
    assert.equal(after.status, 'ok', JSON.stringify(after.errors[0]?.content));
    assert.equal(after.result, '[ 9, 6, 0 ]', 'tidy and grad work and free their intermediates');
  });
});

describe('display, input, comms', () => {
  test('display() publishes display_data with a display_id that updates in place', async () => {
    const r = await runCell(k, 'const h = await display("first"); await h.update("second"); h.displayId');
    const shown = r.ofType('display_data');
    const updated = r.ofType('update_display_data');
    assert.equal(shown.length, 1);
    assert.equal(updated.length, 1);
    assert.equal(shown[0].content.data['text/plain'], 'first');
    assert.equal(updated[0].content.data['text/plain'], 'second');
    const id = shown[0].content.transient.display_id;
    assert.equal(updated[0].content.transient.display_id, id);
    assert.equal(r.result, `'${id}'`);
  });

  test('a display whose rendering is not awaited still finishes before the cell', async () => {
    const r = await runCell(
      k,
      'display({ [Symbol.for("Jupyter.display")]: async () => { await new Promise((r) => setTimeout(r, 50)); return { "text/plain": "slow", "text/html": "<i>slow</i>" }; } }); 1',
    );
    assert.equal(r.ofType('display_data')[0]?.content.data['text/html'], '<i>slow</i>');
  });

  test('objects with a display method become a rich execute_result', async () => {
    const r = await runCell(k, '({ [Symbol.for("Jupyter.display")]: () => ({ "text/plain": "rich", "text/markdown": "**rich**" }) })');
    assert.equal(r.ofType('execute_result')[0].content.data['text/markdown'], '**rich**');
  });

  test('input() sends input_request on stdin and returns the answer', async () => {
    const prompts: string[] = [];
    const r = await runCell(k, 'const name = input("Name? "); `hello ${name}`', { onInput: (p) => (prompts.push(p), 'Ada') });
    assert.deepEqual(prompts, ['Name? ']);
    assert.equal(r.result, "'hello Ada'");
    const refused = await runCell(k, 'input("x")', { allowStdin: false });
    assert.match(refused.reply.content.evalue, /allow_stdin=false/);
  });

  test('comms: a target registered in a cell answers the frontend; unknown targets are closed', async () => {
    await runCell(k, 'comm.registerTarget("echo", (c) => { c.onMsg((m) => c.send({ echo: m.data.value })); });');
    const opened = await k.request('comm_open', { comm_id: 'c1', target_name: 'echo', data: {} });
    assert.equal(opened.iopub.filter((m) => m.header.msg_type === 'comm_close').length, 0);
    const info = await k.request('comm_info_request', { target_name: 'echo' });
    assert.deepEqual(info.reply.content.comms, { c1: { target_name: 'echo' } });
    const echoed = await k.request('comm_msg', { comm_id: 'c1', data: { value: 7 } });
    const reply = echoed.iopub.find((m) => m.header.msg_type === 'comm_msg');
    assert.deepEqual(reply?.content, { comm_id: 'c1', data: { echo: 7 } });
    await k.request('comm_close', { comm_id: 'c1', data: {} });
    assert.deepEqual((await k.request('comm_info_request', {})).reply.content.comms, {});
    const unknown = await k.request('comm_open', { comm_id: 'c2', target_name: 'nobody', data: {} });
    assert.equal(unknown.iopub.find((m) => m.header.msg_type === 'comm_close')?.content.comm_id, 'c2');
  });

  test('comms opened by notebook code reach the frontend', async () => {
    const r = await runCell(k, 'const ch = comm.open("frontend.target", { hi: 1 }); ch.send({ n: 2 }); ch.close(); ch.commId');
    const types = r.outputs.map((m) => m.header.msg_type).filter((t) => t.startsWith('comm_'));
    assert.deepEqual(types, ['comm_open', 'comm_msg', 'comm_close']);
    assert.equal(r.ofType('comm_open')[0].content.target_name, 'frontend.target');
  });
});

describe('introspection', () => {
  test('complete: members of a library namespace, type-aware members, names in scope', async () => {
    const complete = async (code: string) => (await k.request('complete_request', { code, cursor_pos: [...code].length })).reply.content;
    const ns = await complete('comm.reg');
    assert.deepEqual(ns.matches, ['registerTarget']);
    assert.equal(ns.cursor_start, 5);
    assert.ok((await complete('tf.sca')).matches.includes('scalar'));
    assert.deepEqual((await complete('"x".toUpper')).matches, ['toUpperCase']);
    await runCell(k, 'const myLongVariable = { alpha: 1, beta: 2 };');
    assert.deepEqual((await complete('myLongVar')).matches, ['myLongVariable']);
    assert.deepEqual((await complete('myLongVariable.al')).matches, ['alpha']);
    // cursor positions count code points: an emoji before the cursor is one position
    const withEmoji = await complete('const e = "🎉"; myLongVariable.be');
    assert.equal(withEmoji.cursor_start, [...'const e = "🎉"; myLongVariable.'].length);
  });

  test('inspect: type and documentation', async () => {
    const r = (await k.request('inspect_request', { code: 'tf.scalar', cursor_pos: 9, detail_level: 0 })).reply.content;
    assert.equal(r.found, true);
    assert.match(r.data['text/plain'], /function tf\.scalar\(value:/);
    assert.match(r.data['text/plain'], /Creates rank-0/);
    assert.ok(r.data['text/markdown'].startsWith('```typescript'));
    const none = (await k.request('inspect_request', { code: '1 + ', cursor_pos: 4, detail_level: 0 })).reply.content;
    assert.equal(none.found, false);
  });

  test('is_complete: complete, incomplete (with indent), invalid', async () => {
    const ask = async (code: string) => (await k.request('is_complete_request', { code })).reply.content;
    assert.equal((await ask('const a = 1;')).status, 'complete');
    assert.deepEqual(await ask('for (;;) {'), { status: 'incomplete', indent: '  ' });
    assert.equal((await ask('const s = `open')).status, 'incomplete');
    assert.equal((await ask('let = ;')).status, 'invalid');
  });

  test('history: tail, range and search over this session', async () => {
    await runCell(k, '"history-marker-1"');
    await runCell(k, '"history-marker-2"');
    const tail = (await k.request('history_request', { hist_access_type: 'tail', n: 2, output: false, raw: true })).reply.content.history;
    assert.deepEqual(tail.map((h: unknown[]) => h[2]), ['"history-marker-1"', '"history-marker-2"']);
    const [session, line] = tail[0];
    const range = (await k.request('history_request', { hist_access_type: 'range', session, start: line, stop: line + 1, output: true, raw: true })).reply.content.history;
    assert.deepEqual(range, [[session, line, ['"history-marker-1"', "'history-marker-1'"]]]);
    const search = (await k.request('history_request', { hist_access_type: 'search', pattern: '"history-marker-*"', unique: true, output: false, raw: true })).reply.content.history;
    assert.equal(search.length, 2);
  });

  test('kernel_info answers on shell and control with status and language_info', async () => {
    for (const channel of ['shell', 'control'] as const) {
      const r = (await k.request('kernel_info_request', {}, { channel })).reply;
      assert.equal(r.header.version, '5.3');
      assert.equal(r.content.status, 'ok');
      assert.equal(r.content.language_info.name, 'typescript');
      assert.equal(r.content.language_info.file_extension, '.ts');
    }
  });
});

describe('security and restart', () => {
  test('a badly signed execute_request is never executed; the kernel stays up', async () => {
    const marker = join(nbDir, 'must-not-exist.txt');
    const code = `import { writeFileSync } from "node:fs"; writeFileSync(${JSON.stringify(marker)}, "x");`;
    const good = k.message('execute_request', { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    const forged = [...good.frames];
    forged[1] = Buffer.from('0'.repeat(64));
    k.sendRaw('shell', forged);
    const unsigned = [...good.frames];
    unsigned[1] = Buffer.from('');
    k.sendRaw('shell', unsigned);
    // Same body signed with another key.
    const other = [...good.frames];
    other[1] = Buffer.from(new Signer('not-the-key').sign(good.frames.slice(2, 6)));
    k.sendRaw('shell', other);
    const alive = await runCell(k, '"alive"');
    assert.equal(alive.result, "'alive'");
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(existsSync(marker), false, 'a badly signed request was executed');
    // A replay of a correctly signed request is refused as well.
    const once = k.message('execute_request', { code: '(globalThis as any).replays = ((globalThis as any).replays ?? 0) + 1', silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true });
    k.sendRaw('shell', once.frames);
    k.sendRaw('shell', once.frames);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await runCell(k, '(globalThis as any).replays')).result, '1');
  });

  test('restart: a fresh kernel process with no variables', async () => {
    await runCell(k, 'const beforeRestart = 1;');
    const pid = k.process.pid;
    await k.restart();
    assert.notEqual(k.process.pid, pid);
    assert.equal((await runCell(k, 'typeof (globalThis as any).beforeRestart')).result, "'undefined'");
    assert.equal((await runCell(k, '2 * 21')).result, '42');
  });
});
