/**
 * Fuzzing the wire protocol. The committed corpus (fuzz-corpus.json: the cases that
 * mattered, each with the answer the kernel owes) runs against the decoder and a live
 * kernel; then seeded random and mutated messages do, and an independent oracle says which
 * of them a correct kernel may accept. Every message that would run code records its
 * number in the kernel when it runs: a message that is not correctly signed must never
 * get there, and a replayed one only once.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Request } from 'zeromq';
import { KernelClient, TimeoutError } from '../../kernel/client/index.js';
import { endpoint } from '../../kernel/protocol/connection.js';
import { decode, encode, makeHeader, Signer, WireError } from '../../kernel/protocol/wire.js';
import { jupyterEnv, type JupyterEnv } from './jupyter-env.js';
import { runCell } from './kernel-client.js';
import { corpusFrames, Fuzzer, mustAccept, readCorpus, seededRandom, type CorpusCase } from './fuzz-frames.js';

const corpus = readCorpus();
const KEY = 'fuzz-key';
const SEED = 20240611;

describe('decode', () => {
  test('the corpus: each case is dropped with its reason, or accepted', () => {
    const signer = new Signer(KEY);
    for (const [i, c] of corpus.entries()) {
      const { frames, replay } = corpusFrames(c, signer, i);
      const receiver = new Signer(KEY);
      if (c.expect === 'dropped') {
        assert.throws(() => decode(frames, receiver), (e: unknown) => e instanceof WireError && (!c.log || e.message.includes(c.log)), c.name);
      } else {
        assert.doesNotThrow(() => decode(frames, receiver), c.name);
        if (replay) assert.throws(() => decode(replay, receiver), WireError, `${c.name}: the replay was accepted`);
      }
    }
  });

  test('5000 seeded random and mutated messages: decode agrees with the oracle and throws nothing but WireError', () => {
    const fuzzer = new Fuzzer(seededRandom(SEED), KEY);
    const receiver = new Signer(KEY);
    const seen = new Set<string>();
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const { frames } = fuzzer.message(i);
      const expected = mustAccept(frames, KEY, seen);
      let got: boolean;
      try {
        decode(frames, receiver);
        got = true;
      } catch (e) {
        assert.ok(e instanceof WireError, `message ${i}: ${(e as Error)?.stack ?? e}`);
        got = false;
      }
      assert.equal(got, expected, `message ${i} (${frames.map((f) => f.toString('latin1').slice(0, 40)).join(' | ')})`);
      if (got) accepted++;
    }
    // Both outcomes occur often enough for the comparison to mean something.
    assert.ok(accepted > 300 && accepted < 4700, `${accepted} of 5000 accepted`);
  });
});

describe('a live kernel', () => {
  let jenv: JupyterEnv;
  let dir: string;
  let k: KernelClient;

  before(async () => {
    jenv = jupyterEnv();
    dir = mkdtempSync(join(tmpdir(), 'optilab-fuzz-'));
    k = await KernelClient.start({ cwd: dir, env: { ...jenv.env, OPTILAB_MAX_MESSAGE_MB: '8' }, startupTimeoutMs: 120_000 });
    assert.equal((await runCell(k, '(globalThis as any).fuzzHits = [] as number[]; 0')).result, '0');
  });

  after(async () => {
    if (process.env.KERNEL_LOG) console.error(k?.logTail(50000));
    await k?.shutdown();
    rmSync(dir, { recursive: true, force: true });
    jenv?.cleanup();
  });

  const hits = async (): Promise<number[]> => JSON.parse((await runCell(k, 'JSON.stringify((globalThis as any).fuzzHits)')).result!.slice(1, -1));

  /** Every request sent earlier on `channel` has been read once this is answered (zeromq keeps a connection's order). */
  const barrier = async (channel: 'shell' | 'control') => {
    const r = await k.request('kernel_info_request', {}, { channel, timeoutMs: 60_000 });
    assert.equal(r.reply.content.status, 'ok');
  };

  async function runCase(c: CorpusCase, hit: number): Promise<void> {
    const { header, frames, replay } = corpusFrames(c, k.signer, hit);
    const opts = { channel: c.channel, timeoutMs: 60_000 };
    switch (c.expect) {
      case 'dropped':
        k.sendRaw(c.channel, frames);
        return;
      case 'executed':
      case 'executed-once': {
        const done = k.exchange(header, frames, opts);
        if (replay) k.sendRaw(c.channel, replay);
        assert.equal((await done).reply.content.status, 'ok', c.name);
        return;
      }
      case 'reply-ok':
      case 'reply-error': {
        const r = await k.exchange(header, frames, opts);
        assert.equal(r.reply.content.status, c.expect === 'reply-ok' ? 'ok' : 'error', `${c.name}: ${JSON.stringify(r.reply.content).slice(0, 300)}`);
        if (c.expect === 'reply-ok') assert.equal(r.reply.header.version, '5.3');
        if (c.evalue) assert.match(r.reply.content.evalue, new RegExp(c.evalue), c.name);
        if (c.expect === 'reply-error') assert.equal(r.reply.content.ename, 'InvalidRequest');
        return;
      }
      case 'ignored': {
        const r = await k.exchange(header, frames, { ...opts, expectsReply: false });
        assert.equal(r.reply, undefined, `${c.name}: got a ${r.reply?.header.msg_type}`);
        return;
      }
      case 'disconnected': {
        await assert.rejects(k.exchange(header, frames, { ...opts, timeoutMs: 3000 }), TimeoutError, `${c.name}: the oversized message was answered`);
        // zeromq dropped the connection; the client's socket reconnects by itself.
        let answered = false;
        for (let i = 0; i < 30 && !answered; i++) {
          answered = await k.request('kernel_info_request', {}, { channel: c.channel, timeoutMs: 2000 }).then(
            () => true,
            () => false,
          );
        }
        assert.ok(answered, 'the kernel did not answer after an oversized message');
        return;
      }
    }
  }

  test('the corpus: every case gets the answer it should, none badly signed runs, replays run once', async () => {
    for (const [i, c] of corpus.entries()) {
      if (process.env.FUZZ_TRACE) console.error(`case ${i}: ${c.name}`);
      await runCase(c, i);
    }
    await barrier('shell');
    await barrier('control');
    const seen = await hits();
    for (const [i, c] of corpus.entries()) {
      const times = seen.filter((h) => h === i).length;
      const expected = c.expect === 'executed' || c.expect === 'executed-once' ? 1 : 0;
      assert.equal(times, expected, `case ${i} "${c.name}" ran ${times} times`);
    }
    const log = k.logTail(1_000_000);
    for (const c of corpus) if (c.log) assert.ok(log.includes(c.log), `the kernel's log does not say "${c.log}" for "${c.name}"`);
    assert.ok(k.alive);
  });

  test('400 seeded random and mutated messages: the kernel survives and runs only correctly signed code, once', async () => {
    const fuzzer = new Fuzzer(seededRandom(SEED + 1), k.connection.key);
    const valid = new Set<number>();
    for (let i = 0; i < 400; i++) {
      const hit = 100_000 + i;
      const { frames } = fuzzer.message(hit);
      if (mustAccept(frames, k.connection.key, new Set())) valid.add(hit);
      k.sendRaw(i % 5 === 0 ? 'control' : 'shell', frames);
    }
    await barrier('control');
    await barrier('shell');
    const seen = (await hits()).filter((h) => h >= 100_000);
    for (const h of seen) assert.ok(valid.has(h), `message ${h - 100_000} was not correctly signed, yet it ran`);
    assert.equal(new Set(seen).size, seen.length, 'a message ran twice');
    assert.ok(valid.size > 20, `only ${valid.size} random messages were valid`);
    assert.ok(k.alive);
    assert.equal((await runCell(k, '6 * 7')).result, '42');
  });

  test('the heartbeat echoes whatever it is sent', async () => {
    const hb = new Request({ linger: 0, receiveTimeout: 30_000 });
    hb.connect(endpoint(k.connection, 'hb'));
    try {
      const rand = seededRandom(SEED + 2);
      for (let i = 0; i < 20; i++) {
        const frames = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => Buffer.from(Array.from({ length: Math.floor(rand() * 100) }, () => Math.floor(rand() * 256))));
        await hb.send(frames);
        assert.deepEqual(await hb.receive(), frames);
      }
    } finally {
      hb.close();
    }
    assert.ok(k.alive);
  });

  test('stdin: an input_reply of the wrong type fails input() with the reason; an unsigned one is ignored', async () => {
    const answer = (content: Record<string, unknown>, sign: boolean) => {
      const frames = encode({ header: makeHeader('input_reply', 'fuzz'), parent_header: {}, metadata: {}, content }, k.signer);
      if (!sign) frames[1] = Buffer.from('');
      k.sendRaw('stdin', frames);
    };
    const wrong = await runCell(k, 'input("number? ")', {
      onInput: () => {
        answer({ status: 'ok', value: 42 }, true);
        return 'too late';
      },
    });
    assert.equal(wrong.status, 'error');
    assert.match(wrong.reply.content.evalue, /invalid answer.*content\.value must be a string, got 42/);
    const unsigned = await runCell(k, 'input("name? ")', {
      onInput: () => {
        answer({ status: 'ok', value: 'forged' }, false);
        return 'Ada';
      },
    });
    assert.equal(unsigned.result, "'Ada'");
    // An input_reply nobody asked for changes nothing.
    answer({ status: 'ok', value: 'stray' }, true);
    assert.equal((await runCell(k, '"still here"')).result, "'still here'");
  });
});
