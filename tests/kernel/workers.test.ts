/**
 * The protocol thread interrupts a cell by sending V8's termination to the executor's
 * inspector session, found by thread id: the session must be the executor's, whatever
 * order the workers attached in.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import inspector from 'node:inspector';
import { Worker } from 'node:worker_threads';
import { workerThreadId } from '../../kernel/server/workers.js';

test('workerThreadId reads the thread id of each attached worker, not its attach order', async () => {
  // Two workers that end before the inspector watches use up thread ids 1 and 2, so that the attach-order
  // ids (1, 2) and the thread ids (3, 4) of the two workers below disagree, as they can in the kernel.
  for (let i = 0; i < 2; i++) await new Promise((r) => new Worker('', { eval: true }).once('exit', r));
  const session = new inspector.Session();
  session.connect();
  const attached: { title: string; workerId: string }[] = [];
  session.on('NodeWorker.attachedToWorker', (e: any) => attached.push(e.params.workerInfo));
  session.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
  const idle = 'setInterval(() => {}, 1000)';
  const workers = new Map(['executor', 'checker'].map((name) => [name, new Worker(idle, { eval: true, name })]));
  try {
    for (let waited = 0; attached.length < 2 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    assert.equal(attached.length, 2, 'both workers attached');
    for (const info of attached) {
      const worker = workers.get(info.title.slice(info.title.indexOf('] ') + 2));
      assert.ok(worker, `a worker matches the title ${info.title}`);
      assert.notEqual(Number(info.workerId), worker.threadId, 'the attach-order id is not the thread id');
      assert.equal(workerThreadId(info.title), worker.threadId, `thread id of ${info.title}`);
    }
  } finally {
    await Promise.all([...workers.values()].map((w) => w.terminate()));
    session.disconnect();
  }
});

test('workerThreadId refuses titles that name no thread', () => {
  assert.equal(workerThreadId('optilab-executor'), undefined);
});
