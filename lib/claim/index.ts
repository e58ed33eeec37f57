/**
 * Claims: the checked statements of a reproduction notebook.
 *
 *   const holds = finalLoss.adam < finalLoss.sgd;
 *   claim('Adam reaches a lower loss than SGD after 500 steps', { adam: finalLoss.adam, sgd: finalLoss.sgd }, holds);
 *
 * prints `✔ holds: Adam reaches ... — measured: adam=0.0123, sgd=0.0456` (or
 * `✘ does not hold: ...`) as text and markdown, and emits
 * `application/vnd.optilab.claim+json` `{text, measured, holds}` in the same
 * bundle for the notebook runner. The verdict and the numbers are computed by
 * the caller; this only validates, shows and records them. `claim.all()` lists
 * the claims made in this process.
 */
import { formatNumber } from '../display/format.js';
import { publishBundle, type MimeBundle } from '../display/index.js';

export const CLAIM_MIME = 'application/vnd.optilab.claim+json';

/** A measured value: a finite number, or a string (e.g. a method name or 'n/a'). */
export type Measured = Record<string, number | string>;

export interface ClaimRecord {
  text: string;
  measured: Measured;
  holds: boolean;
}

const made: ClaimRecord[] = [];

function describe(x: unknown): string {
  if (typeof x === 'string') return JSON.stringify(x);
  if (typeof x === 'number' || typeof x === 'boolean' || x === null || x === undefined) return String(x);
  return Array.isArray(x) ? 'an array' : typeof x;
}

/** Validates and normalises the arguments; a bare number becomes `{value: n}`. */
function validate(text: unknown, measured: unknown, holds: unknown): ClaimRecord {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new TypeError(`claim: text must be a non-empty string stating the claim, got ${describe(text)}`);
  }
  if (typeof holds !== 'boolean') {
    throw new TypeError(`claim: holds must be a boolean computed from the measured values (e.g. a < b), got ${describe(holds)}`);
  }
  let record: Measured;
  if (typeof measured === 'number') record = { value: measured };
  else if (typeof measured === 'object' && measured !== null && !Array.isArray(measured)) record = { ...(measured as Measured) };
  else {
    throw new TypeError(`claim: measured must be a number or a record of named numbers such as {adam: 0.01, sgd: 0.05}, got ${describe(measured)}`);
  }
  if (Object.keys(record).length === 0) throw new TypeError('claim: measured is empty; pass the numbers the verdict was computed from');
  for (const [name, v] of Object.entries(record)) {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new RangeError(`claim: measured.${name} is ${v}; measured values must be finite numbers (a run that diverged should say so in a string, e.g. 'diverged')`);
    }
    if (typeof v !== 'number' && typeof v !== 'string') {
      throw new TypeError(`claim: measured.${name} must be a finite number or a string, got ${describe(v)}`);
    }
  }
  return { text: text.trim(), measured: record, holds };
}

function formatMeasured(m: Measured, sep: string): string {
  return Object.entries(m)
    .map(([k, v]) => `${k}${sep}${typeof v === 'number' ? formatNumber(v) : v}`)
    .join(', ');
}

/** The display bundle of a claim. */
export function claimBundle(c: ClaimRecord): MimeBundle {
  const verdict = c.holds ? '✔ holds' : '✘ does not hold';
  return {
    'text/plain': `${verdict}: ${c.text} — measured: ${formatMeasured(c.measured, '=')}`,
    'text/markdown': `**${verdict}:** ${c.text} — measured: ${formatMeasured(c.measured, ' = ')}`,
    [CLAIM_MIME]: { text: c.text, measured: c.measured, holds: c.holds },
  };
}

function makeClaim(text: string, measured: Measured | number, holds: boolean): void {
  const record = validate(text, measured, holds);
  made.push(record);
  publishBundle(claimBundle(record));
}

/**
 * Shows a claim with its measured values but no verdict, saying why (e.g. a QUICK run trains too
 * little for the comparison to mean anything). It carries no claim record, so runners and
 * `claim.all()` do not count it.
 */
function pendingClaim(text: string, measured: Measured | number, reason: string): void {
  const record = validate(text, measured, false);
  if (typeof reason !== 'string' || reason.trim() === '') throw new TypeError(`claim.pending: reason must say why there is no verdict, got ${describe(reason)}`);
  publishBundle({
    'text/plain': `… not verdicted (${reason.trim()}): ${record.text} — measured: ${formatMeasured(record.measured, '=')}`,
    'text/markdown': `**… not verdicted** (${reason.trim()})**:** ${record.text} — measured: ${formatMeasured(record.measured, ' = ')}`,
  });
}

/**
 * States a claim with the numbers behind it and the verdict computed from them:
 * `claim(text, measured, holds)`. Shows it and records it (`claim.all()`).
 */
export const claim = Object.assign(makeClaim, {
  /** The claims made so far in this process (copies). */
  all(): ClaimRecord[] {
    return made.map((c) => ({ ...c, measured: { ...c.measured } }));
  },
  /** Forgets the recorded claims. */
  clear(): void {
    made.length = 0;
  },
  /** `claim.pending(text, measured, reason)`: the measured values of a claim this run cannot decide, and why. */
  pending: pendingClaim,
  /** The MIME type of the machine-readable claim. */
  mime: CLAIM_MIME,
});
