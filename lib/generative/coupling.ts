/**
 * Minibatch couplings for flow matching (Tong et al. / Pooladian et al.,
 * torchcfm's OTPlanSampler): pair a batch of source points with a batch of
 * data points independently, by the exact OT assignment, or by sampling pairs
 * from an entropic (Sinkhorn) plan.
 */
import * as tf from '../backend/tf.js';
import { sqDistMatrix, takeRows, toMatrix } from './points.js';
import { rng, type SeedLike } from './random.js';
import { linearAssignment, sinkhorn } from './transport.js';

export type Coupling =
  | { kind: 'independent' }
  | { kind: 'ot' }
  /** reg is relative to the batch's mean squared distance (scale-free; 0.05 by default). */
  | { kind: 'sinkhorn'; reg?: number };

export const COUPLINGS = ['independent', 'ot', 'sinkhorn'] as const;

/** Accepts 'independent' | 'ot' | 'sinkhorn' or a Coupling object. */
export function asCoupling(c: Coupling | (typeof COUPLINGS)[number]): Coupling {
  const obj = typeof c === 'string' ? ({ kind: c } as Coupling) : c;
  if (!COUPLINGS.includes(obj.kind)) throw new Error(`coupling: unknown kind '${obj.kind}'; expected one of ${COUPLINGS.join(', ')}`);
  return obj;
}

/**
 * Pairs rows of x0 with rows of x1 (same batch size). 'ot' permutes x1 by the
 * exact squared-distance assignment; 'sinkhorn' draws n index pairs with
 * replacement from the entropic plan, as torchcfm's OTPlanSampler, with the
 * regularisation given relative to the mean squared distance of the batch
 * (torchcfm uses an absolute 0.05). Returns new tensors; the inputs are left alone.
 */
export function couple(x0: tf.Tensor2D, x1: tf.Tensor2D, coupling: Coupling | (typeof COUPLINGS)[number] = 'independent', seed: SeedLike = 0): { x0: tf.Tensor2D; x1: tf.Tensor2D } {
  const c = asCoupling(coupling);
  const n = x0.shape[0];
  if (x1.shape[0] !== n) throw new Error(`couple: batch sizes differ (${n} vs ${x1.shape[0]})`);
  if (c.kind === 'independent') return { x0: x0.clone(), x1: x1.clone() };
  const cost = sqDistMatrix(toMatrix(x0, 'x0'), toMatrix(x1, 'x1'));
  if (c.kind === 'ot') {
    const perm = linearAssignment(cost, n, n);
    return { x0: x0.clone(), x1: takeRows(x1, perm) };
  }
  const rel = c.reg ?? 0.05;
  if (!(rel > 0)) throw new Error(`couple: sinkhorn reg must be positive, got ${rel}`);
  let mean = 0;
  for (const v of cost) mean += v / cost.length;
  const { plan } = sinkhorn(cost, n, n, { reg: rel * Math.max(mean, 1e-12), maxIters: 1000, tol: 1e-6 });
  const r = rng(seed);
  const cdf = new Float64Array(plan.length);
  let acc = 0;
  for (let k = 0; k < plan.length; k++) cdf[k] = acc += plan[k];
  const rows = new Int32Array(n);
  const cols = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const u = r.uniform() * acc;
    let lo = 0;
    let hi = plan.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    rows[s] = Math.floor(lo / n);
    cols[s] = lo % n;
  }
  return { x0: takeRows(x0, rows), x1: takeRows(x1, cols) };
}
