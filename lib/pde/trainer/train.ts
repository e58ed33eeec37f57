/**
 * `pde.train(problem, options)`: a PINN for any problem of the zoo (or any
 * `definePde` spec). An MLP (optionally with Fourier features or an exactly periodic
 * embedding, optionally behind the problem's exact output transform), one loss term per
 * condition, Adam then L-BFGS, per-term loss history and the error against the
 * reference every few steps, a progress bar and a live chart in the notebook.
 *
 * Multi-loss training: `method` picks how the per-term gradients are combined:
 * 'adam' (the weighted sum, one backward pass), any `multiloss` combiner by name or
 * object ('config', 'pcgrad', 'imtlg', 'mgda', 'upgrad', 'lra', 'gradnorm', 'ntk'; the
 * combined direction goes to Adam), 'mconfig' (one term per step, round-robin, SGD on
 * M-ConFIG's direction) or 'multiadam' (per-group Adam moments).
 *
 * Speed: the default path is one `minimize` per step with the fused Adam kernel; the
 * per-term losses are read back only every `logEvery` steps. A non-finite loss or
 * gradient stops the run with a message naming the step and the term.
 */
import * as tf from '../../backend/tf.js';
import { Rng, resolveRng } from '../../backend/random.js';
import { mlp, type Mlp } from '../../nn/mlp.js';
import type { ActivationName } from '../../nn/activations.js';
import type { FourierFeatures, PeriodicEmbedding } from '../../nn/embedding.js';
import { adam } from '../../optim/adam.js';
import { lbfgs as makeLbfgs } from '../../optim/lbfgs.js';
import { NonFiniteGradientError } from '../../optim/adapter.js';
import type { Schedule } from '../../optim/schedules.js';
import { progress as makeProgress, type Progress } from '../../progress/index.js';
import { live as makeLive, type LiveChart } from '../../plot/live.js';
import { type Aggregator, type AggregatorName, aggregator, AGGREGATOR_NAMES, mconfig, multiAdam, type CombineContext } from '../../multiloss/index.js';
import { type SamplingMethod, SAMPLING_METHODS } from '../sampling/unit.js';
import { R3Sampler, radSample } from '../sampling/adaptive.js';
import type { HardConstraint, PdeProblem } from '../zoo/problem.js';
import { ConditionTerm, type LossTerm, ResidualTerm, type TermContext } from './terms.js';
import { type Divergence, type LogRecord, TrainResult, predictFields, relativeErrors } from './result.js';

export type TrainMethod = 'adam' | 'mconfig' | 'multiadam' | AggregatorName | Aggregator;

export interface TrainOptions {
  /** Seed for the initial weights and every point set (default: the library generator, see `seed(n)`). */
  seed?: number | Rng;
  /** Hidden widths (default the problem's hint). */
  hidden?: number[];
  activation?: ActivationName;
  /** Fourier features, an exactly periodic embedding, or false to drop the problem's hint. */
  fourier?: FourierFeatures | false;
  periodic?: PeriodicEmbedding | false;
  /** Use the problem's exact output transform (true), a given one, or none (default false). */
  hard?: boolean | HardConstraint;
  /** Points of the residual (a number) or per term ({pde: 2000, ic: 200, bc: 200}). */
  points?: number | Record<string, number>;
  /** Point sampler: 'uniform' (default), 'lhs' or 'sobol'. */
  sampling?: SamplingMethod;
  /** Resample every term's points every this many Adam steps (default 0: fixed points). */
  resampleEvery?: number;
  /** Adaptive residual points: R3 every step, or RAD every `every` steps. */
  adaptive?: { method: 'r3' } | { method: 'rad'; every: number; candidates?: number; k?: number; c?: number };
  /** Adam phase (the direction for combiners): steps and learning rate (number or schedule). */
  adam?: { steps?: number; lr?: number | Schedule; betas?: [number, number] };
  /** L-BFGS phase after Adam (weighted-sum loss, strong Wolfe); false or steps 0 to skip. */
  lbfgs?: false | { steps?: number; historySize?: number; chunk?: number };
  /** Fixed weight of each term (default 1, or the problem's hint). */
  weights?: Record<string, number>;
  /** How per-term gradients are combined (see the module comment). Default 'adam'. */
  method?: TrainMethod;
  /** Options of the method (e.g. {method: 'exact'} for MGDA, {betas} for MultiAdam). */
  methodOptions?: object;
  /** MultiAdam's groups of term names (default [['pde'], all conditions]). */
  groups?: string[][];
  /** NTK weighting: estimate the traces every this many steps (default 100) with this many probes (default 2). */
  ntkEvery?: number;
  ntkProbes?: number;
  /** Read the losses back every this many steps (default 100). */
  logEvery?: number;
  /** Measure the error against the reference every this many steps (default 500; 0: only at the end). */
  errorEvery?: number;
  /** Show a progress bar (default true). */
  progress?: boolean;
  /** A live loss chart (default true; cheap outside a notebook), or an existing chart to push to. */
  live?: boolean | LiveChart;
  /** Label of the bar and the chart's series (default the problem and method). */
  label?: string;
  /** Called with every logged record. */
  onLog?: (record: LogRecord) => void;
}

const KNOWN = ['seed', 'hidden', 'activation', 'fourier', 'periodic', 'hard', 'points', 'sampling', 'resampleEvery', 'adaptive', 'adam', 'lbfgs', 'weights', 'method', 'methodOptions', 'groups', 'ntkEvery', 'ntkProbes', 'logEvery', 'errorEvery', 'progress', 'live', 'label', 'onLog'];

function count(owner: string, name: string, v: unknown, min = 0): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new Error(`${owner}: ${name} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}

/** Flattens per-variable gradients into one row. */
function flatten(grads: tf.NamedTensorMap, vars: tf.Variable[]): tf.Tensor1D {
  // a variable a term does not depend on (the output bias under u_xx) has no gradient: zeros
  return tf.concat(vars.map((v) => (grads[v.name] ? tf.reshape(grads[v.name], [-1]) : tf.zeros([v.size])))) as tf.Tensor1D;
}

/** Splits a flat vector back into tensors shaped like the variables. */
function unflatten(flat: tf.Tensor1D, vars: tf.Variable[]): tf.Tensor[] {
  const parts = tf.split(flat, vars.map((v) => v.size));
  return parts.map((p, i) => tf.reshape(p, vars[i].shape));
}

export function train(problem: PdeProblem, options: TrainOptions = {}): TrainResult {
  const owner = `pde.train(${problem?.name})`;
  if (!problem || typeof problem.pde?.residual !== 'function' || !Array.isArray(problem.inputs)) {
    throw new TypeError('pde.train: problem must be a PDE problem (pde.zoo.burgers(), pde.zoo.definePde({...}))');
  }
  for (const k of Object.keys(options)) if (!KNOWN.includes(k)) throw new Error(`${owner}: unknown option '${k}'; accepted: ${KNOWN.join(', ')}`);
  const hints = problem.hints;
  const rng = options.seed === undefined ? resolveRng() : resolveRng(options.seed);
  const sampling = options.sampling ?? 'uniform';
  if (!SAMPLING_METHODS.includes(sampling)) throw new Error(`${owner}: sampling must be one of ${SAMPLING_METHODS.join(', ')}, got '${sampling}'`);
  const methodSpec = options.method ?? 'adam';
  const methodName = typeof methodSpec === 'string' ? methodSpec : methodSpec.name;
  if (typeof methodSpec === 'string' && !['adam', 'mconfig', 'multiadam', ...AGGREGATOR_NAMES].includes(methodSpec)) {
    throw new Error(`${owner}: method must be 'adam', 'mconfig', 'multiadam', one of ${AGGREGATOR_NAMES.join(', ')} or an aggregator object, got '${methodSpec}'`);
  }
  const adamSteps = count(owner, 'adam.steps', options.adam?.steps ?? hints.adamSteps);
  const lbfgsSteps = options.lbfgs === false ? 0 : count(owner, 'lbfgs.steps', options.lbfgs?.steps ?? hints.lbfgsSteps ?? 0);
  const logEvery = count(owner, 'logEvery', options.logEvery ?? 100, 1);
  const errorEvery = count(owner, 'errorEvery', options.errorEvery ?? 500);
  const resampleEvery = count(owner, 'resampleEvery', options.resampleEvery ?? 0);

  // --- network and transform
  const hard = options.hard === true ? (problem.hard ?? null) : options.hard ? options.hard : null;
  if (options.hard === true && !problem.hard) throw new Error(`${owner}: hard: true, but the problem defines no exact output transform; pass one ({offset, factor, replaces})`);
  const periodic = options.periodic === false ? undefined : options.periodic ?? (options.fourier ? undefined : hints.periodic);
  const fourier = options.fourier === false ? undefined : options.fourier ?? hints.fourier;
  const net: Mlp = mlp({
    sizes: [problem.inputs.length, ...(options.hidden ?? hints.hidden), problem.outputs.length],
    activation: options.activation ?? hints.activation ?? 'tanh',
    seed: rng.fork(),
    ...(fourier ? { fourier } : periodic ? { periodic } : {}),
  });
  const vars = net.variables;

  // --- loss terms (conditions enforced by the transform are dropped)
  const ctx: TermContext = { problem, net, hard, method: sampling, rng };
  const pointsFor = (name: string, fallback: number) => (typeof options.points === 'number' ? (name === 'pde' ? options.points : fallback) : options.points?.[name] ?? fallback);
  const residual = new ResidualTerm(pointsFor('pde', hints.points), ctx);
  const terms: LossTerm[] = [residual];
  problem.conditions.forEach((c, i) => {
    const name = problem.conditionNames[i];
    if (hard?.replaces.includes(name)) return;
    terms.push(new ConditionTerm(c, name, pointsFor(name, c.points ?? 100), ctx));
  });
  const names = terms.map((t) => t.name);
  for (const k of Object.keys(typeof options.points === 'object' ? options.points : {})) {
    if (!names.includes(k) && !problem.conditionNames.includes(k)) throw new Error(`${owner}: points names '${k}', not a term (terms: ${names.join(', ')})`);
  }
  const weightsSpec = { ...(hints.weights ?? {}), ...(options.weights ?? {}) };
  for (const k of Object.keys(options.weights ?? {})) {
    if (!names.includes(k)) throw new Error(`${owner}: weights names '${k}', not a term (terms: ${names.join(', ')})`);
  }
  const weights = names.map((n) => weightsSpec[n] ?? 1);
  const r3 = options.adaptive?.method === 'r3' ? new R3Sampler(problem.inputs.length, residual.count, (k) => problem.domain.sample('interior', k, { method: 'uniform', seed: rng })) : null;
  for (const t of terms) {
    if (t === residual && r3) t.setPoints(r3.points);
    else t.resample();
  }
  residual.trackResidual = r3 !== null;

  // --- reference points for the error
  const reference = problem.reference();
  const refX = tf.keep(tf.tensor2d(Float32Array.from(reference.points), [reference.points.length / problem.inputs.length, problem.inputs.length]));
  const measure = () => relativeErrors(predictFields(net, hard, problem, refX), reference.fields, problem.errorOn);

  // --- display
  const label = options.label ?? `${problem.name} (${methodName})`;
  const total = adamSteps + lbfgsSteps;
  const bar: Progress | null = options.progress === false ? null : makeProgress({ label, total });
  const chart: LiveChart | null = options.live === false ? null : options.live instanceof Object ? options.live : makeLive({ logY: true, title: `${problem.name}: loss and relative L2 error`, y: ['loss', 'error'] });
  const history: LogRecord[] = [];
  const start = performance.now();
  let diverged: Divergence | null = null;

  const weightedSum = (losses: tf.Scalar[]) => tf.addN(losses.map((l, i) => (weights[i] === 1 ? l : tf.mul(weights[i], l)))) as tf.Scalar;

  /** Records a step; `values` are the unweighted term losses. */
  const log = (step: number, phase: 'adam' | 'lbfgs', values: number[], withError: boolean) => {
    const rec: LogRecord = { step, phase, loss: values.reduce((s, v, i) => s + weights[i] * v, 0), seconds: (performance.now() - start) / 1000 };
    names.forEach((n, i) => { rec[`loss_${n}`] = values[i]; });
    if (withError) rec.error = measure().error;
    history.push(rec);
    bar?.postfix({ loss: rec.loss, ...(rec.error !== undefined ? { error: rec.error } : {}) });
    chart?.push({ step, loss: rec.loss, ...(rec.error !== undefined ? { error: rec.error } : {}) }, options.live instanceof Object ? label : undefined);
    options.onLog?.(rec);
    const bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) stop(step, names[bad], values[bad]);
  };

  /** Term values at the current parameters (for logs and diagnosis). */
  const termValues = () => tf.tidy(() => terms.map((t) => t.loss().dataSync()[0]));

  const stop = (step: number, term: string, value: number) => {
    if (diverged) return;
    const message = `${owner}: the loss became ${value} at step ${step} in term '${term}'; training stopped (lower the learning rate, check the term's targets, or normalise the inputs)`;
    diverged = { step, term, value, message };
    process.stderr.write(message + '\n');
  };

  /** After a non-finite gradient: find the term whose loss or gradient is not finite. */
  const diagnose = (step: number) => {
    const values = termValues();
    let bad = values.findIndex((v) => !Number.isFinite(v));
    if (bad < 0) {
      bad = terms.findIndex((t) => tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => t.loss(), vars);
        const finite = [value, ...Object.values(grads)].every((g) => tf.all(tf.isFinite(g)).dataSync()[0] === 1);
        return !finite;
      }));
    }
    stop(step, names[Math.max(bad, 0)], bad >= 0 ? values[bad] : NaN);
  };

  // --- the Adam phase
  const lrSpec = options.adam?.lr ?? hints.lr;
  const lrAt = (step: number) => (typeof lrSpec === 'function' ? lrSpec(step) : lrSpec);
  const optimizer = adam({ lr: lrSpec, betas: options.adam?.betas ?? [0.9, 0.999], nonFinite: 'error' });
  const agg = typeof methodSpec === 'object' || !['adam', 'mconfig', 'multiadam'].includes(methodSpec) ? aggregator(methodSpec as AggregatorName | Aggregator, options.methodOptions) : null;
  const mc = methodName === 'mconfig' ? mconfig({ losses: terms.length, ...(options.methodOptions ?? {}) }) : null;
  const ma = methodName === 'multiadam' ? multiAdam({ lr: lrSpec, ...(options.methodOptions ?? {}) }) : null;
  const groups = (options.groups ?? [['pde'], names.filter((n) => n !== 'pde')]).filter((g) => g.length > 0);
  if (ma) {
    const seen = groups.flat();
    seen.forEach((n) => { if (!names.includes(n)) throw new Error(`${owner}: groups name '${n}', not a term (terms: ${names.join(', ')})`); });
    if (seen.length !== names.length || new Set(seen).size !== names.length) throw new Error(`${owner}: groups must list every term exactly once (terms: ${names.join(', ')})`);
  }
  const needs = agg?.needs ?? [];
  const ntkEvery = count(owner, 'ntkEvery', options.ntkEvery ?? 100, 1);
  const ntkProbes = count(owner, 'ntkProbes', options.ntkProbes ?? 2, 1);

  /** Mean NTK diagonal of each term by Hutchinson: E |J^T v|^2 / rows, Rademacher v. */
  const ntkTraces = () => terms.map((t, i) => tf.tidy(() => {
    let acc = 0;
    let rows = 1;
    for (let p = 0; p < ntkProbes; p++) {
      const { grads } = tf.variableGrads(() => {
        const r = t.pointwise();
        rows = r.shape[0];
        const v = tf.tensor2d(Float32Array.from(rng.rademacherArray(rows)), [rows, 1]);
        return tf.mul(weights[i], tf.sum(tf.mul(r, v))) as tf.Scalar;
      }, vars);
      acc += tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))).dataSync()[0];
    }
    return acc / ntkProbes / rows;
  }));

  /** Per-term gradient rows (weighted), as G [terms, parameters], and the term values when asked. */
  const gradientMatrix = (indices: number[], keepValues: boolean): { G: tf.Tensor2D; values: tf.Scalar[] } => {
    const values: tf.Scalar[] = [];
    const G = tf.tidy(() => tf.stack(indices.map((i) => {
      const { value, grads } = tf.variableGrads(() => {
        const l = terms[i].loss();
        return (weights[i] === 1 ? l : tf.mul(weights[i], l)) as tf.Scalar;
      }, vars);
      if (keepValues) values.push(tf.keep(weights[i] === 1 ? value : tf.div(value, weights[i])));
      return flatten(grads, vars);
    })) as tf.Tensor2D);
    return { G, values };
  };

  const applyGradient = (direction: tf.Tensor1D) => {
    const parts = tf.tidy(() => unflatten(direction, vars));
    try {
      optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: parts[i] })));
    } finally {
      tf.dispose(parts);
    }
  };
  const addToParams = (delta: tf.Tensor1D, scale: number) => tf.tidy(() => {
    unflatten(delta, vars).forEach((p, i) => vars[i].assign(tf.add(vars[i], scale === 1 ? p : tf.mul(scale, p))));
  });

  let step = 0;
  try {
    for (; step < adamSteps && !diverged; step++) {
      const logging = step % logEvery === 0 || step === adamSteps - 1;
      let kept: tf.Scalar[] = [];
      if (agg === null && mc === null && ma === null) {
        try {
          optimizer.minimize(() => {
            const losses = terms.map((t) => t.loss());
            if (logging) kept = losses.map((l) => tf.keep(l));
            return weightedSum(losses);
          }, false, vars);
        } catch (e) {
          if (!(e instanceof NonFiniteGradientError)) throw e;
          tf.dispose(kept);
          diagnose(step);
          break;
        }
      } else if (mc) {
        const idx = mc.lossIndex(step);
        const { G, values } = gradientMatrix([idx], true);
        const g = tf.tidy(() => tf.reshape(G, [-1]) as tf.Tensor1D);
        G.dispose();
        const v = values[0].dataSync()[0];
        tf.dispose(values);
        if (!Number.isFinite(v)) { stop(step, names[idx], v); break; }
        const dir = mc.update(idx, g);
        g.dispose();
        addToParams(dir, -lrAt(step));
        dir.dispose();
      } else {
        const needLosses = logging || needs.includes('losses');
        const { G, values } = gradientMatrix(terms.map((_, i) => i), needLosses);
        const nums = needLosses ? values.map((l) => l.dataSync()[0]) : null;
        if (needLosses) kept = values;
        const finite = tf.tidy(() => tf.all(tf.isFinite(G)).dataSync()[0] === 1);
        if (!finite || (nums && nums.some((v) => !Number.isFinite(v)))) {
          G.dispose();
          tf.dispose(kept);
          diagnose(step);
          break;
        }
        if (ma) {
          const rows = tf.tidy(() => tf.stack(groups.map((g) => tf.addN(g.map((n) => tf.reshape(tf.slice(G, [names.indexOf(n), 0], [1, -1]), [-1]) as tf.Tensor1D)))) as tf.Tensor2D);
          const delta = ma.update(rows);
          rows.dispose();
          addToParams(delta, 1);
          delta.dispose();
        } else {
          const context: CombineContext = {};
          if (nums && needs.includes('losses')) context.losses = nums;
          if (needs.includes('ntkTraces') && step % ntkEvery === 0) context.ntkTraces = ntkTraces();
          const dir = agg!.combine(G, context);
          applyGradient(dir);
          dir.dispose();
        }
        G.dispose();
      }
      if (logging && !diverged) {
        const values = kept.length ? kept.map((l) => l.dataSync()[0]) : termValues();
        tf.dispose(kept);
        log(step, 'adam', values, errorEvery > 0 && (step % errorEvery === 0 || step === adamSteps - 1));
      } else tf.dispose(kept);
      // collocation points for the next step
      if (r3 && residual.lastResidual) {
        residual.setPoints(r3.update(residual.lastResidual.dataSync()));
      } else if (options.adaptive?.method === 'rad' && (step + 1) % options.adaptive.every === 0) {
        const a = options.adaptive;
        const candidates = problem.domain.sample('interior', a.candidates ?? 10 * residual.count, { method: 'uniform', seed: rng });
        residual.setPoints(radSample(candidates, problem.inputs.length, residual.magnitude(candidates), residual.count, { k: a.k, c: a.c, seed: rng }));
      }
      if (resampleEvery > 0 && (step + 1) % resampleEvery === 0) for (const t of terms) if (t !== residual || (!r3 && options.adaptive === undefined)) t.resample();
      bar?.set(step + 1);
    }

    // --- the L-BFGS phase
    let lbfgsDone = 0;
    if (!diverged && lbfgsSteps > 0) {
      residual.trackResidual = false;
      const chunk = count(owner, 'lbfgs.chunk', (options.lbfgs || {}).chunk ?? 20, 1);
      const opt = makeLbfgs({ lr: 1, maxIter: chunk, historySize: (options.lbfgs || {}).historySize ?? 50, lineSearchFn: 'strong_wolfe', toleranceGrad: 1e-9, toleranceChange: 1e-12 });
      const closure = () => weightedSum(terms.map((t) => t.loss()));
      let previous = Infinity;
      while (lbfgsDone < lbfgsSteps && !diverged) {
        let value: number;
        try {
          value = opt.step(closure, vars);
        } catch (e) {
          if (!(e instanceof NonFiniteGradientError)) throw e;
          diagnose(adamSteps + lbfgsDone);
          break;
        }
        lbfgsDone += chunk;
        bar?.set(Math.min(adamSteps + lbfgsDone, total));
        const values = termValues();
        const done = lbfgsDone >= lbfgsSteps;
        log(adamSteps + Math.min(lbfgsDone, lbfgsSteps), 'lbfgs', values, errorEvery > 0 || done);
        if (!Number.isFinite(value)) break;
        const now = values.reduce((s, v, i) => s + weights[i] * v, 0);
        if (Math.abs(previous - now) <= 1e-12 * Math.max(1, Math.abs(now))) break; // converged: no progress in a whole chunk
        previous = now;
      }
      opt.dispose();
    }
    if (!diverged && history.length > 0 && history[history.length - 1].error === undefined && errorEvery > 0) {
      history[history.length - 1].error = measure().error;
    }
    const seconds = (performance.now() - start) / 1000;
    if (diverged) bar?.stop();
    else bar?.done();
    if (chart && !(options.live instanceof Object)) void chart.close();
    const points = Object.fromEntries(terms.map((t) => [t.name, Float64Array.from(t.points)]));
    return new TrainResult(problem, net, hard, history, seconds, { adam: step, lbfgs: lbfgsDone }, methodName, diverged, points);
  } catch (e) {
    bar?.stop();
    net.dispose();
    throw e;
  } finally {
    optimizer.dispose();
    for (const t of terms) t.dispose();
    refX.dispose();
  }
}
