/** Framing and signing of the Jupyter wire format. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { decode, encode, makeHeader, Signer, WireError, DELIMITER } from '../../kernel/protocol/wire.js';

const KEY = 'a0436f6c-1916-498b-8eb9-e81ab9368e84';

function sample(signer: Signer, identities: Buffer[] = [Buffer.from('peer')]) {
  const header = makeHeader('execute_request', 'session-1');
  return { header, frames: encode({ identities, header, parent_header: {}, metadata: { m: 1 }, content: { code: '1 + 1' } }, signer) };
}

test('encode signs the four JSON frames with HMAC-SHA256 of the key, as jupyter_client does', () => {
  const signer = new Signer(KEY);
  const { frames } = sample(signer);
  assert.equal(frames[1].toString(), DELIMITER);
  const h = createHmac('sha256', KEY);
  for (const f of frames.slice(3, 7)) h.update(f);
  assert.equal(frames[2].toString(), h.digest('hex'));
});

test('decode round-trips a message with any number of identity frames', () => {
  for (const ids of [[], [Buffer.from('a')], [Buffer.from('a'), Buffer.from('b'), Buffer.from([0, 1, 2])]]) {
    const signer = new Signer(KEY);
    const { header, frames } = sample(signer, ids);
    const m = decode([...frames, Buffer.from('buffer-0')], new Signer(KEY));
    assert.deepEqual(m.identities, ids);
    assert.deepEqual(m.header, header);
    assert.deepEqual(m.content, { code: '1 + 1' });
    assert.deepEqual(m.metadata, { m: 1 });
    assert.deepEqual(m.buffers.map(String), ['buffer-0']);
  }
});

test('a wrong, missing, truncated or non-hex signature is refused', () => {
  const { frames } = sample(new Signer(KEY));
  const withSig = (sig: string) => [...frames.slice(0, 2), Buffer.from(sig), ...frames.slice(3)];
  const good = frames[2].toString();
  const flipped = (good[0] === 'a' ? 'b' : 'a') + good.slice(1);
  for (const sig of [flipped, '', good.slice(0, 10), 'zz' + good.slice(2), good + '00']) {
    assert.throws(() => decode(withSig(sig), new Signer(KEY)), WireError, `signature ${JSON.stringify(sig)} was accepted`);
  }
  assert.throws(() => decode(frames, new Signer('another key')), /invalid signature/);
});

test('a tampered body fails verification', () => {
  const { frames } = sample(new Signer(KEY));
  const tampered = [...frames];
  tampered[6] = Buffer.from(JSON.stringify({ code: 'process.exit(1)' }));
  assert.throws(() => decode(tampered, new Signer(KEY)), /invalid signature/);
});

test('a replayed message (same signature twice) is refused', () => {
  const receiver = new Signer(KEY);
  const { frames } = sample(new Signer(KEY));
  decode(frames, receiver);
  assert.throws(() => decode(frames, receiver), /replayed/);
});

test('malformed framing is refused with a reason', () => {
  const signer = new Signer(KEY);
  const { frames } = sample(signer);
  assert.throws(() => decode(frames.filter((f) => f.toString() !== DELIMITER), signer), /delimiter/);
  assert.throws(() => decode(frames.slice(0, 5), signer), /too few frames/);
  const notJson = [...frames.slice(0, 3), Buffer.from('{'), ...frames.slice(4)];
  const resigned = [...notJson.slice(0, 2), Buffer.from(new Signer(KEY).sign(notJson.slice(3, 7))), ...notJson.slice(3)];
  assert.throws(() => decode(resigned, new Signer(KEY)), /header frame is not valid JSON/);
});

test('an empty key disables signing, as in jupyter_client', () => {
  const signer = new Signer('');
  const { frames } = sample(signer);
  assert.equal(frames[2].toString(), '');
  assert.equal(decode(frames, new Signer('')).content.code, '1 + 1');
});

test('an unsupported signature scheme is named in the error', () => {
  assert.throws(() => new Signer(KEY, 'hmac-md5'), /signature_scheme: 'hmac-md5' is not supported; expected 'hmac-sha256'/);
});

test('headers carry protocol version 5.3 and an ISO date', () => {
  const h = makeHeader('kernel_info_request', 's');
  assert.equal(h.version, '5.3');
  assert.ok(!Number.isNaN(Date.parse(h.date)));
  assert.match(h.msg_id, /^[0-9a-f-]{36}$/);
});
