/**
 * Residual-driven collocation points. Both keep a population of N points (row-major
 * Float64Array [N * d]) and take the fitness |residual| at those points (or at
 * candidates) from the trainer.
 *
 * - R3, retain-resample-release (Daw, Bu, Wang, Perdikaris & Karpatne, ICML 2023;
 *   official code arkadaw9/r3_sampling_icml2023, `R3Sampler.update`): applied every
 *   iteration; the points whose fitness is strictly above the mean fitness of the
 *   population are retained (in their order), the others are released and replaced by
 *   fresh uniform samples appended after them, so N stays fixed.
 * - RAD, residual-based adaptive distribution (Wu, Zhu, Tan, Kartha & Lu, CMAME 2023):
 *   from a dense candidate set S, draw N points without replacement with probability
 *   proportional to eps(x)^k / mean(eps^k) + c (defaults k = 1, c = 1, as DeepXDE's
 *   example does).
 */
import { resolveRng, type Rng } from '../../backend/random.js';

/** Draws `count` new points (row-major [count * d]). */
export type PointSource = (count: number) => Float64Array;

function checkFitness(owner: string, fitness: ArrayLike<number>, n: number): void {
  if (fitness.length !== n) throw new Error(`${owner}: fitness has ${fitness.length} values for ${n} points`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(fitness[i])) throw new Error(`${owner}: fitness[${i}] is ${fitness[i]}; residuals must be finite`);
  }
}

export interface R3Result {
  /** The new population [N * d]: retained points first, then fresh ones. */
  points: Float64Array;
  /** Which old points were retained. */
  retained: Uint8Array;
  /** How many were retained. */
  retainedCount: number;
}

/** One R3 update: retain points with fitness > mean(fitness), resample the rest from `source`. */
export function r3Update(points: Float64Array, d: number, fitness: ArrayLike<number>, source: PointSource): R3Result {
  const n = points.length / d;
  if (!Number.isInteger(n)) throw new Error(`r3Update: ${points.length} coordinates are not a whole number of ${d}-dimensional points`);
  checkFitness('r3Update', fitness, n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += fitness[i];
  mean /= n;
  const retained = new Uint8Array(n);
  let kept = 0;
  for (let i = 0; i < n; i++) if (fitness[i] > mean) { retained[i] = 1; kept++; }
  const out = new Float64Array(n * d);
  let r = 0;
  for (let i = 0; i < n; i++) {
    if (!retained[i]) continue;
    for (let j = 0; j < d; j++) out[r * d + j] = points[i * d + j];
    r++;
  }
  const fresh = source(n - kept);
  if (fresh.length !== (n - kept) * d) throw new Error(`r3Update: the source returned ${fresh.length} coordinates for ${n - kept} points of dimension ${d}`);
  out.set(fresh, kept * d);
  return { points: out, retained, retainedCount: kept };
}

/** R3 as an object holding its population (see the module comment). */
export class R3Sampler {
  points: Float64Array;
  /** Retained fraction at each update, for plots. */
  readonly history: number[] = [];

  constructor(readonly d: number, readonly n: number, private readonly source: PointSource) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`R3Sampler: n must be a positive integer, got ${n}`);
    this.points = source(n);
    if (this.points.length !== n * d) throw new Error(`R3Sampler: the source returned ${this.points.length} coordinates for ${n} points of dimension ${d}`);
  }

  /** Retain-resample-release with the fitness |r| of the current points; returns the new points. */
  update(fitness: ArrayLike<number>): Float64Array {
    const r = r3Update(this.points, this.d, fitness, this.source);
    this.points = r.points;
    this.history.push(r.retainedCount / this.n);
    return this.points;
  }
}

export interface RadOptions {
  /** Exponent k (default 1). */
  k?: number;
  /** Offset c (default 1). */
  c?: number;
  seed?: number | Rng;
}

/** RAD: n points drawn without replacement from `candidates` with p ∝ eps^k / mean(eps^k) + c. */
export function radSample(candidates: Float64Array, d: number, fitness: ArrayLike<number>, n: number, options: RadOptions = {}): Float64Array {
  const total = candidates.length / d;
  checkFitness('radSample', fitness, total);
  if (!Number.isInteger(n) || n < 0 || n > total) throw new Error(`radSample: n must be an integer in [0, ${total}] (the candidates), got ${n}`);
  const k = options.k ?? 1;
  const c = options.c ?? 1;
  if (!(k >= 0) || !(c >= 0)) throw new Error(`radSample: k and c must be non-negative, got k = ${k}, c = ${c}`);
  const rng = resolveRng(options.seed);
  const powered = Float64Array.from({ length: total }, (_, i) => Math.abs(fitness[i]) ** k);
  const mean = powered.reduce((a, b) => a + b, 0) / total;
  const weight = powered.map((e) => (mean > 0 ? e / mean : 0) + c);
  // Weighted sampling without replacement (Efraimidis & Spirakis): the n largest u^(1/w).
  const keys = Array.from({ length: total }, (_, i) => ({ i, key: weight[i] > 0 ? Math.log(rng.uniform() || Number.MIN_VALUE) / weight[i] : -Infinity }));
  keys.sort((a, b) => b.key - a.key);
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) out[r * d + j] = candidates[keys[r].i * d + j];
  return out;
}
