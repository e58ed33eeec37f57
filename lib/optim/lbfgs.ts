/**
 * L-BFGS (Nocedal 1980; Liu & Nocedal 1989) with an optional strong-Wolfe line
 * search, ported from torch.optim.LBFGS (torch 2.13, itself after minFunc):
 * same options (camelCase), defaults and stopping rules, so trajectories match
 * torch's. Typical PINN use: train with Adam, then refine with
 *
 *   const opt = optim.lbfgs({ lr: 1, maxIter: 50, historySize: 50, lineSearchFn: 'strong_wolfe' });
 *   for (let i = 0; i < 20; i++) opt.step(() => pinnLoss());   // the closure returns the loss tensor
 *
 * `step(closure)` re-evaluates the closure as often as the line search needs and
 * computes gradients itself (tf.variableGrads); `minimize(f)` and
 * `LayersModel.fit` work too (one `step` per batch). It cannot run from
 * precomputed gradients: `applyGradients` throws.
 */
import * as tf from '../backend/tf.js';
import { type CommonOptions, type NamedTensor, OptilabOptimizer, decodeNumber, encodeNumber } from './adapter.js';
import { stateEntries } from './transform.js';
import { isTensor } from './tree.js';
import { checkKnownKeys, checkNonNegative, checkOneOf, checkPositiveInt } from './validate.js';

export interface LBFGSConfig extends CommonOptions {
  lr?: number;
  /** Iterations per `step` (default 20). */
  maxIter?: number;
  /** Function evaluations per `step` (default floor(maxIter * 5 / 4)). */
  maxEval?: number;
  /** Stop when max |gradient| <= toleranceGrad (default 1e-7). */
  toleranceGrad?: number;
  /** Stop when the loss or the step changes by less (default 1e-9). */
  toleranceChange?: number;
  /** Number of (s, y) pairs kept (default 100). */
  historySize?: number;
  /** null (fixed step lr) or 'strong_wolfe'. */
  lineSearchFn?: null | 'strong_wolfe' | 'strongWolfe';
}

/** Minimiser of the cubic interpolating (x1, f1, g1), (x2, f2, g2), clamped to bounds (torch `_cubic_interpolate`). */
export function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, bounds?: [number, number]): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2sq = d1 * d1 - g1 * g2;
  if (d2sq >= 0) {
    const d2 = Math.sqrt(d2sq);
    const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return Math.min(Math.max(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

const dot = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.sum(tf.mul(a, b)).dataSync()[0]);
const absMax = (a: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(a)).dataSync()[0]);
const absSum = (a: tf.Tensor) => tf.tidy(() => tf.sum(tf.abs(a)).dataSync()[0]);

type Objective = (t: number) => { f: number; g: tf.Tensor };

/**
 * Strong-Wolfe line search along d from x (torch `_strong_wolfe`): returns the
 * accepted step t with its loss and gradient and the number of evaluations.
 */
export function strongWolfe(
  obj: Objective,
  t: number,
  d: tf.Tensor,
  f: number,
  g: tf.Tensor,
  gtd: number,
  { c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25 } = {},
): { f: number; g: tf.Tensor; t: number; evals: number } {
  const dNorm = absMax(d);
  let { f: fNew, g: gNew } = obj(t);
  let evals = 1;
  let gtdNew = dot(gNew, d);
  let tPrev = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bracketF: number[] = [];
  let bracketG: tf.Tensor[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      [bracket, bracketF, bracketG] = [[t], [fNew], [gNew]];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      [bracket, bracketF, bracketG, bracketGtd] = [[tPrev, t], [fPrev, fNew], [gPrev, gNew], [gtdPrev, gtdNew]];
      break;
    }
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = tmp;
    fPrev = fNew;
    gPrev = gNew;
    gtdPrev = gtdNew;
    ({ f: fNew, g: gNew } = obj(t));
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
  }
  if (lsIter === maxLs) {
    [bracket, bracketF, bracketG] = [[0, t], [f, fNew], [g, gNew]];
  }
  // zoom
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0] <= bracketF[bracketF.length - 1] ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
    const bMax = Math.max(...bracket);
    const bMin = Math.min(...bracket);
    const eps = 0.1 * (bMax - bMin);
    if (Math.min(bMax - t, t - bMin) < eps) {
      if (insufProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufProgress = false;
      } else insufProgress = true;
    } else insufProgress = false;
    ({ f: fNew, g: gNew } = obj(t));
    evals++;
    gtdNew = dot(gNew, d);
    lsIter++;
    if (fNew > f + c1 * t * gtd || fNew >= bracketF[lowPos]) {
      bracket[highPos] = t;
      bracketF[highPos] = fNew;
      bracketG[highPos] = gNew;
      bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0] <= bracketF[1] ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) done = true;
      else if (gtdNew * (bracket[highPos] - bracket[lowPos]) >= 0) {
        bracket[highPos] = bracket[lowPos];
        bracketF[highPos] = bracketF[lowPos];
        bracketG[highPos] = bracketG[lowPos];
        bracketGtd[highPos] = bracketGtd[lowPos];
      }
      bracket[lowPos] = t;
      bracketF[lowPos] = fNew;
      bracketG[lowPos] = gNew;
      bracketGtd[lowPos] = gtdNew;
    }
  }
  return { f: bracketF[lowPos], g: bracketG[lowPos], t: bracket[lowPos], evals };
}

interface LBFGSState {
  funcEvals: number;
  nIter: number;
  d?: tf.Tensor;
  t?: number;
  oldDirs: tf.Tensor[];
  oldStps: tf.Tensor[];
  ro: number[];
  hDiag?: number;
  prevFlatGrad?: tf.Tensor;
  prevLoss?: number;
}

export class LBFGS extends OptilabOptimizer {
  static get className(): string {
    return 'optilab.LBFGS';
  }

  readonly maxIter: number;
  readonly maxEval: number;
  readonly toleranceGrad: number;
  readonly toleranceChange: number;
  readonly historySize: number;
  readonly lineSearch: boolean;
  private vars: tf.Variable[] | undefined;
  private state: LBFGSState = { funcEvals: 0, nIter: 0, oldDirs: [], oldStps: [], ro: [] };

  constructor(config: LBFGSConfig = {}) {
    const o = 'lbfgs';
    checkKnownKeys(o, config, ['lr', 'maxIter', 'maxEval', 'toleranceGrad', 'toleranceChange', 'historySize', 'lineSearchFn', 'nonFinite']);
    const lr = checkNonNegative(o, 'lr', config.lr ?? 1);
    super(o, { ...config }, lr);
    this.maxIter = checkPositiveInt(o, 'maxIter', config.maxIter ?? 20);
    this.maxEval = checkPositiveInt(o, 'maxEval', config.maxEval ?? Math.floor((this.maxIter * 5) / 4));
    this.toleranceGrad = checkNonNegative(o, 'toleranceGrad', config.toleranceGrad ?? 1e-7);
    this.toleranceChange = checkNonNegative(o, 'toleranceChange', config.toleranceChange ?? 1e-9);
    this.historySize = checkPositiveInt(o, 'historySize', config.historySize ?? 100);
    const ls = checkOneOf(o, 'lineSearchFn', config.lineSearchFn ?? 'none', ['none', 'strong_wolfe', 'strongWolfe'] as const);
    this.lineSearch = ls !== 'none';
    if (config.nonFinite !== undefined && config.nonFinite !== 'error') {
      throw new RangeError(`${o}: nonFinite must be 'error' (a line search cannot skip a step), got '${config.nonFinite}'`);
    }
  }

  override applyGradients(_grads?: unknown): void {
    throw new Error("lbfgs: L-BFGS re-evaluates the loss during a step and cannot apply precomputed gradients; use opt.step(() => loss) or opt.minimize(() => loss)");
  }

  override minimize(f: () => tf.Scalar, returnCost = false, varList?: tf.Variable[]): tf.Scalar | null {
    const loss = this.run(f, varList);
    return returnCost ? tf.scalar(loss) : null;
  }

  override step(closure: () => tf.Scalar, varList?: tf.Variable[]): number {
    return this.run(closure, varList);
  }

  /** Loss and flat gradient at the current variables. */
  private evaluate(closure: () => tf.Scalar, varList?: tf.Variable[]): { loss: number; grad: tf.Tensor } {
    const { value, grads } = tf.variableGrads(closure, varList ?? this.vars);
    if (!this.vars) this.vars = (varList ?? Object.keys(grads).map((n) => tf.engine().registeredVariables[n])).filter((v) => v.trainable);
    const loss = value.dataSync()[0];
    if (!Number.isFinite(loss)) throw new Error(`lbfgs: the loss is ${loss} at iteration ${this.state.nIter}; L-BFGS cannot continue`);
    const grad = tf.concat(this.vars.map((v) => (grads[v.name] ? tf.reshape(grads[v.name], [-1]) : tf.zeros([v.size]))));
    return { loss, grad };
  }

  private addStep(t: number, d: tf.Tensor): void {
    let offset = 0;
    for (const v of this.vars!) {
      v.assign(tf.add(v, tf.mul(tf.reshape(tf.slice(d, offset, v.size), v.shape), t)));
      offset += v.size;
    }
  }

  private run(closure: () => tf.Scalar, varList?: tf.Variable[]): number {
    const old = this.state;
    let origLoss = NaN;
    const next = tf.tidy((): tf.TensorContainer => {
      const s: LBFGSState = { ...old, oldDirs: [...old.oldDirs], oldStps: [...old.oldStps], ro: [...old.ro] };
      let { loss, grad: flatGrad } = this.evaluate(closure, varList);
      origLoss = loss;
      let currentEvals = 1;
      s.funcEvals++;
      if (absMax(flatGrad) <= this.toleranceGrad) return s as unknown as tf.TensorContainer;
      let { d, t, hDiag, prevFlatGrad } = s;
      let nIter = 0;
      while (nIter < this.maxIter) {
        nIter++;
        s.nIter++;
        if (s.nIter === 1) {
          d = tf.neg(flatGrad);
          s.oldDirs = [];
          s.oldStps = [];
          s.ro = [];
          hDiag = 1;
        } else {
          const y = tf.sub(flatGrad, prevFlatGrad!);
          const sv = tf.mul(d!, t!);
          const ys = dot(y, sv);
          if (ys > 1e-10) {
            if (s.oldDirs.length === this.historySize) {
              s.oldDirs.shift();
              s.oldStps.shift();
              s.ro.shift();
            }
            s.oldDirs.push(y);
            s.oldStps.push(sv);
            s.ro.push(1 / ys);
            hDiag = ys / dot(y, y);
          }
          const num = s.oldDirs.length;
          const al = new Array<number>(num);
          let q = tf.neg(flatGrad);
          for (let i = num - 1; i >= 0; i--) {
            al[i] = dot(s.oldStps[i], q) * s.ro[i];
            q = tf.sub(q, tf.mul(s.oldDirs[i], al[i]));
          }
          let r = tf.mul(q, hDiag!);
          for (let i = 0; i < num; i++) {
            const be = dot(s.oldDirs[i], r) * s.ro[i];
            r = tf.add(r, tf.mul(s.oldStps[i], al[i] - be));
          }
          d = r;
        }
        prevFlatGrad = tf.clone(flatGrad);
        const prevLoss = loss;
        s.prevLoss = prevLoss;
        t = s.nIter === 1 ? Math.min(1, 1 / absSum(flatGrad)) * (this.lr as number) : (this.lr as number);
        const gtd = dot(flatGrad, d!);
        if (gtd > -this.toleranceChange) break;
        let lsEvals = 0;
        if (this.lineSearch) {
          const x0 = this.vars!.map((v) => tf.clone(v));
          const dir = d!;
          const obj: Objective = (step) => {
            this.addStep(step, dir);
            const e = this.evaluate(closure);
            this.vars!.forEach((v, i) => v.assign(x0[i]));
            return { f: e.loss, g: e.grad };
          };
          const r = strongWolfe(obj, t, dir, loss, flatGrad, gtd, { maxLs: this.maxEval - currentEvals });
          loss = r.f;
          flatGrad = r.g;
          t = r.t;
          lsEvals = r.evals;
          this.addStep(t, dir);
        } else {
          this.addStep(t, d!);
          if (nIter !== this.maxIter) {
            ({ loss, grad: flatGrad } = this.evaluate(closure));
            lsEvals = 1;
          }
        }
        currentEvals += lsEvals;
        s.funcEvals += lsEvals;
        if (nIter === this.maxIter) break;
        if (currentEvals >= this.maxEval) break;
        if (absMax(flatGrad) <= this.toleranceGrad) break;
        if (absMax(d!) * Math.abs(t) <= this.toleranceChange) break;
        if (Math.abs(loss - prevLoss) < this.toleranceChange) break;
      }
      Object.assign(s, { d, t, hDiag, prevFlatGrad });
      return s as unknown as tf.TensorContainer;
    }) as unknown as LBFGSState;
    for (const [, x] of stateEntries(next)) if (isTensor(x)) tf.keep(x);
    const live = new Set(stateEntries(next).map((e) => e[1]));
    for (const [, x] of stateEntries(old)) if (isTensor(x) && !live.has(x)) x.dispose();
    this.state = next;
    this.incrementIterations();
    return origLoss;
  }

  /** Function evaluations so far (torch's state['func_evals']). */
  get functionEvaluations(): number {
    return this.state.funcEvals;
  }

  override dispose(): void {
    for (const [, x] of stateEntries(this.state)) if (isTensor(x)) x.dispose();
    this.state = { funcEvals: 0, nIter: 0, oldDirs: [], oldStps: [], ro: [] };
    this.vars = undefined;
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const out: NamedTensor[] = [await this.saveIterations()];
    for (const [name, x] of stateEntries(this.state)) {
      out.push({ name, tensor: isTensor(x) ? tf.clone(x) : encodeNumber(Number(x)) });
    }
    return out;
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    const s: LBFGSState = { funcEvals: 0, nIter: 0, oldDirs: [], oldStps: [], ro: [] };
    for (const { name, tensor } of rest) {
      const [key, index] = name.split('/');
      if (key === 'd' || key === 'prevFlatGrad') s[key] = tf.keep(tf.clone(tensor));
      else if (key === 'oldDirs' || key === 'oldStps') s[key][Number(index)] = tf.keep(tf.clone(tensor));
      else if (key === 'ro') s.ro[Number(index)] = decodeNumber(tensor);
      else if (key === 'funcEvals' || key === 'nIter' || key === 't' || key === 'hDiag' || key === 'prevLoss') s[key] = decodeNumber(tensor);
      else throw new Error(`lbfgs: setWeights got an unknown entry '${name}'`);
    }
    this.dispose();
    this.state = s;
  }
}

tf.serialization.registerClass(LBFGS);

/** torch.optim.LBFGS with camelCase options. */
export function lbfgs(config: LBFGSConfig = {}): LBFGS {
  return new LBFGS(config);
}
