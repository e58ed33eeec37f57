/**
 * Samplers specialised to Gaussian paths, driven by a denoiser D(x, t):
 *  - DDIM (Song et al. 2021), with eta in [0, 1] (eta = 1 is ancestral DDPM);
 *  - DPM-Solver++(2M) (Lu et al. 2022), the multistep data-prediction solver,
 *    with optional heavy-ball momentum on its update (Wizadwongsa et al. 2023);
 *  - PLMS / Adams-Bashforth on the eps-prediction in (x / alpha, sigma / alpha)
 *    coordinates with Polyak heavy-ball (HB) or generalised heavy-ball (GHVB)
 *    momentum, following the official momentum-diffusion code.
 * All work on any path in paths.ts and any grid from noise to data.
 */
import * as tf from '../backend/tf.js';
import { checkGrid, StateKeeper, type Denoiser, type Labels, type SampleResult } from './model.js';
import type { GaussianPath } from './paths.js';
import { rng, type SeedLike } from './random.js';

interface DiffusionOptions {
  labels?: Labels;
  record?: boolean;
}

function counted(den: Denoiser, labels: Labels | undefined) {
  const c = { nfe: 0, D: (x: tf.Tensor2D, t: number) => (c.nfe++, den(x, t, labels ?? null)) };
  return c;
}

/**
 * DDIM: x_s = alpha_s D + sqrt(sigma_s^2 - c^2) eps_hat + c xi, with
 * c = eta sigma_s sqrt(1 - (alpha_t sigma_s / (alpha_s sigma_t))^2) (the DDPM
 * posterior standard deviation at eta = 1). eta = 0 is deterministic and first order.
 */
export function ddim(den: Denoiser, path: GaussianPath, x: tf.Tensor2D, grid: readonly number[], { eta = 0, seed = 0, labels, record = false }: DiffusionOptions & { eta?: number; seed?: SeedLike } = {}): SampleResult {
  checkGrid(grid);
  if (!(eta >= 0 && eta <= 1)) throw new Error(`ddim: eta must be in [0, 1], got ${eta}`);
  const r = rng(seed);
  const m = counted(den, labels);
  const keeper = new StateKeeper(x, record);
  let cur = x;
  for (let i = 0; i + 1 < grid.length; i++) {
    const t = grid[i];
    const s = grid[i + 1];
    const [at, st, as, ss] = [path.alpha(t), path.sigma(t), path.alpha(s), path.sigma(s)];
    const ratio = st > 0 && as > 0 ? (at * ss) / (as * st) : 0;
    const c = eta * ss * Math.sqrt(Math.max(0, 1 - ratio * ratio));
    const noise = c > 0 ? r.normalTensor<tf.Rank.R2>(cur.shape) : null;
    const next = tf.tidy(() => {
      const D = m.D(cur, t);
      const epsHat = tf.div(tf.sub(cur, tf.mul(D, at)), st);
      let y = tf.add(tf.mul(D, as), tf.mul(epsHat, Math.sqrt(Math.max(0, ss * ss - c * c))));
      if (noise) y = tf.add(y, tf.mul(noise, c));
      return y as tf.Tensor2D;
    });
    noise?.dispose();
    cur = keeper.advance(cur, next);
  }
  return { x: keeper.finish(cur), nfe: m.nfe, times: [...grid], trajectory: keeper.trajectory };
}

/**
 * DPM-Solver++(2M) in lambda = log(alpha / sigma):
 *   x_s = (sigma_s / sigma_t) x - alpha_s (e^{-h} - 1) D',  D' = (1 + 1/(2r)) D_i - 1/(2r) D_{i-1},
 * r = h_{i-1} / h_i, first order on the first step and on a final step to
 * sigma = 0 (as k-diffusion). `momentum` beta < 1 replaces D' by the heavy-ball
 * average vel = (1 - beta) vel + beta D' on second-order steps (the official
 * momentum-diffusion DPM-Solver++ 2M); beta = 1 is the plain solver.
 */
export function dpmSolverPP2M(den: Denoiser, path: GaussianPath, x: tf.Tensor2D, grid: readonly number[], { momentum = 1, labels, record = false }: DiffusionOptions & { momentum?: number } = {}): SampleResult {
  checkGrid(grid);
  if (!(momentum > 0 && momentum <= 1)) throw new Error(`dpmSolverPP2M: momentum (beta) must be in (0, 1], got ${momentum}`);
  const m = counted(den, labels);
  const keeper = new StateKeeper(x, record);
  let cur = x;
  let prevD: tf.Tensor2D | null = null;
  let vel: tf.Tensor2D | null = null;
  let hPrev = NaN;
  for (let i = 0; i + 1 < grid.length; i++) {
    const t = grid[i];
    const s = grid[i + 1];
    const [at, st, as, ss] = [path.alpha(t), path.sigma(t), path.alpha(s), path.sigma(s)];
    // e^{-h} = (alpha_t sigma_s) / (sigma_t alpha_s), finite even where lambda is infinite
    const expNegH = at === 0 || ss === 0 ? 0 : (at * ss) / (st * as);
    const h = Math.log(as / ss) - Math.log(at / st);
    const D = m.D(cur, t);
    const secondOrder = prevD !== null && ss > 0 && Number.isFinite(hPrev) && Number.isFinite(h);
    let update: tf.Tensor2D;
    if (secondOrder) {
      const r = hPrev / h;
      const dPrime = tf.tidy(() => tf.sub(tf.mul(D, 1 + 1 / (2 * r)), tf.mul(prevD!, 1 / (2 * r)))) as tf.Tensor2D;
      if (momentum < 1) {
        vel = heavyBall(vel, dPrime, momentum);
        update = vel;
      } else update = dPrime;
    } else update = D;
    const next = tf.tidy(() => tf.add(tf.mul(cur, st > 0 ? ss / st : 0), tf.mul(update, as * (1 - expNegH)))) as tf.Tensor2D;
    if (update !== D && update !== vel) update.dispose();
    prevD?.dispose();
    prevD = D;
    hPrev = h;
    cur = keeper.advance(cur, next);
  }
  prevD?.dispose();
  (vel as tf.Tensor2D | null)?.dispose();
  return { x: keeper.finish(cur), nfe: m.nfe, times: [...grid], trajectory: keeper.trajectory };
}

/** The heavy-ball average (1 - beta) vel + beta value, starting at value; takes ownership of both inputs. */
function heavyBall(vel: tf.Tensor2D | null, value: tf.Tensor2D, beta: number): tf.Tensor2D {
  if (vel === null) return value;
  const next = tf.tidy(() => tf.add(tf.mul(vel, 1 - beta), tf.mul(value, beta))) as tf.Tensor2D;
  vel.dispose();
  value.dispose();
  return next;
}

/** Adams-Bashforth combination of the last `order` slopes (newest last), with the momentum-diffusion b-modification (b = 1: plain AB). */
export function adamsBashforthCoefficients(order: number, b = 1): number[] {
  switch (order) {
    case 1:
      return [1];
    case 2:
      return [(2 + b) / 2 / b, -(2 - b) / 2 / b];
    case 3:
      return [(18 + 5 * b) / 12 / b, -(24 - 8 * b) / 12 / b, (6 - b) / 12 / b];
    case 4:
      return [(46 + 9 * b) / 24 / b, -(78 - 19 * b) / 24 / b, (42 - 5 * b) / 24 / b, -(10 - b) / 24 / b];
    default:
      throw new Error(`adamsBashforthCoefficients: order must be 1..4, got ${order}`);
  }
}

export interface PlmsOptions extends DiffusionOptions {
  /** Adams-Bashforth order 1..4 (1 = DDIM). */
  order?: number;
  /** Momentum beta in (0, 1]; 1 = no momentum. */
  momentum?: number;
  /** 'hb': heavy ball on the AB combination; 'ghvb': generalised heavy ball (AB over the momentum states). */
  variant?: 'hb' | 'ghvb';
}

/**
 * PLMS with heavy-ball momentum: in xbar = x / alpha and gbar = sigma / alpha the
 * probability-flow ODE is d xbar / d gbar = eps_hat, integrated by Adams-Bashforth;
 * HB: vel = (1 - beta) vel + beta AB(eps history); GHVB: vel = (1 - beta) vel + beta eps,
 * then AB_beta over the vel history. Each step: xbar += (gbar_s - gbar_t) * update.
 */
export function plms(den: Denoiser, path: GaussianPath, x: tf.Tensor2D, grid: readonly number[], { order = 2, momentum = 1, variant = 'hb', labels, record = false }: PlmsOptions = {}): SampleResult {
  checkGrid(grid);
  if (!(momentum > 0 && momentum <= 1)) throw new Error(`plms: momentum (beta) must be in (0, 1], got ${momentum}`);
  if (variant !== 'hb' && variant !== 'ghvb') throw new Error(`plms: variant must be 'hb' or 'ghvb', got '${variant}'`);
  adamsBashforthCoefficients(order);
  const m = counted(den, labels);
  const keeper = new StateKeeper(x, record);
  const history: tf.Tensor2D[] = [];
  let vel: tf.Tensor2D | null = null;
  let cur = x;
  const combine = (hist: tf.Tensor2D[], b: number) => {
    const c = adamsBashforthCoefficients(hist.length, b);
    return tf.tidy(() => tf.addN(c.map((ci, k) => tf.mul(hist[hist.length - 1 - k], ci)))) as tf.Tensor2D;
  };
  const push = (v: tf.Tensor2D) => {
    history.push(v);
    if (history.length > order) history.shift()!.dispose();
  };
  for (let i = 0; i + 1 < grid.length; i++) {
    const t = grid[i];
    const s = grid[i + 1];
    const [at, st, as, ss] = [path.alpha(t), path.sigma(t), path.alpha(s), path.sigma(s)];
    const eps = tf.tidy(() => tf.div(tf.sub(cur, tf.mul(m.D(cur, t), at)), st)) as tf.Tensor2D;
    let update: tf.Tensor2D;
    if (variant === 'hb') {
      push(eps);
      vel = heavyBall(vel, combine(history, 1), momentum);
      update = vel;
    } else {
      vel = heavyBall(vel, eps, momentum);
      push(vel.clone());
      update = combine(history, momentum);
    }
    const next = tf.tidy(() => tf.mul(tf.add(tf.div(cur, at), tf.mul(update, ss / as - st / at)), as)) as tf.Tensor2D;
    if (update !== vel) update.dispose();
    cur = keeper.advance(cur, next);
  }
  tf.dispose(history);
  (vel as tf.Tensor2D | null)?.dispose();
  return { x: keeper.finish(cur), nfe: m.nfe, times: [...grid], trajectory: keeper.trajectory };
}
