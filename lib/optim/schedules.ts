/**
 * Schedules: pure functions `step => value` (step counts updates already applied,
 * starting at 0, as in optax). Use them for the learning rate
 * (`adamw({lr: cosineDecay({...})})`) or any other hyper-parameter.
 *
 * Each schedule carries its `spec` ({type, options}) so optimizers that use one
 * can still be serialized (`getConfig` / `fromConfig`); `scheduleFromSpec`
 * rebuilds it. Formulas follow optax 0.2 (`optax.schedules`) where optax has the
 * schedule, torch.optim.lr_scheduler for `stepDecay` and `cosineWarmRestarts`,
 * and are stated in each doc comment otherwise.
 */
import { checkNumber, checkNonNegative, checkPositiveInt, checkOneOf, checkKnownKeys } from './validate.js';

export interface ScheduleSpec {
  type: string;
  options: Record<string, unknown>;
}

export type Schedule = ((step: number) => number) & { spec?: ScheduleSpec };

function make(type: string, options: Record<string, unknown>, f: (step: number) => number): Schedule {
  const s = f as Schedule;
  s.spec = { type, options };
  return s;
}

/** Evaluates a number-or-schedule hyper-parameter at `step`. */
export function valueAt(v: number | Schedule, step: number): number {
  return typeof v === 'function' ? v(step) : v;
}

export function constant(value: number): Schedule {
  checkNumber('constant', 'value', value);
  return make('constant', { value }, () => value);
}

export interface PiecewiseConstantOptions {
  initValue: number;
  /** step -> multiplicative factor applied from that step on (optax `boundaries_and_scales`). */
  boundariesAndScales: Record<number, number>;
}

/** `initValue` times the product of every scale whose boundary is <= step. */
export function piecewiseConstant(options: PiecewiseConstantOptions): Schedule {
  const o = 'piecewiseConstant';
  checkKnownKeys(o, options, ['initValue', 'boundariesAndScales']);
  checkNumber(o, 'initValue', options.initValue);
  const pairs = Object.entries(options.boundariesAndScales ?? {})
    .map(([b, s]) => [checkNumber(o, `boundary ${b}`, Number(b), { min: 0, integer: true }), checkNonNegative(o, `scale at ${b}`, s)])
    .sort((a, b) => a[0] - b[0]);
  return make(o, options as unknown as Record<string, unknown>, (step) => {
    let v = options.initValue;
    for (const [b, s] of pairs) if (step >= b) v *= s;
    return v;
  });
}

export interface StepDecayOptions {
  initValue: number;
  stepSize: number;
  gamma?: number;
}

/** torch `StepLR`: initValue * gamma^floor(step / stepSize). gamma defaults to 0.1. */
export function stepDecay(options: StepDecayOptions): Schedule {
  const o = 'stepDecay';
  checkKnownKeys(o, options, ['initValue', 'stepSize', 'gamma']);
  const init = checkNumber(o, 'initValue', options.initValue);
  const size = checkPositiveInt(o, 'stepSize', options.stepSize);
  const gamma = checkNonNegative(o, 'gamma', options.gamma ?? 0.1);
  return make(o, { ...options }, (step) => init * gamma ** Math.floor(step / size));
}

export interface ExponentialDecayOptions {
  initValue: number;
  transitionSteps: number;
  decayRate: number;
  transitionBegin?: number;
  staircase?: boolean;
  endValue?: number;
}

/** optax `exponential_decay`: init * rate^((step - begin) / transitionSteps), clipped at endValue. */
export function exponentialDecay(options: ExponentialDecayOptions): Schedule {
  const o = 'exponentialDecay';
  checkKnownKeys(o, options, ['initValue', 'transitionSteps', 'decayRate', 'transitionBegin', 'staircase', 'endValue']);
  const init = checkNumber(o, 'initValue', options.initValue);
  const steps = checkNumber(o, 'transitionSteps', options.transitionSteps, { min: 0, minInclusive: false });
  const rate = checkNumber(o, 'decayRate', options.decayRate, { min: 0, minInclusive: false });
  const begin = checkNumber(o, 'transitionBegin', options.transitionBegin ?? 0, { min: 0, integer: true });
  const end = options.endValue;
  if (end !== undefined) checkNumber(o, 'endValue', end);
  return make(o, { ...options }, (step) => {
    const t = Math.max(step - begin, 0);
    const p = options.staircase ? Math.floor(t / steps) : t / steps;
    let v = init * rate ** p;
    if (end !== undefined) v = rate < 1 ? Math.max(v, end) : Math.min(v, end);
    return v;
  });
}

export interface PolynomialOptions {
  initValue: number;
  endValue: number;
  power: number;
  transitionSteps: number;
  transitionBegin?: number;
}

/** optax `polynomial_schedule`: (init - end) * (1 - t/T)^power + end, t clipped to [0, T]. */
export function polynomial(options: PolynomialOptions): Schedule {
  const o = 'polynomial';
  checkKnownKeys(o, options, ['initValue', 'endValue', 'power', 'transitionSteps', 'transitionBegin']);
  const init = checkNumber(o, 'initValue', options.initValue);
  const end = checkNumber(o, 'endValue', options.endValue);
  const power = checkNumber(o, 'power', options.power);
  const steps = checkNumber(o, 'transitionSteps', options.transitionSteps, { min: 0, integer: true });
  const begin = checkNumber(o, 'transitionBegin', options.transitionBegin ?? 0, { min: 0, integer: true });
  return make(o, { ...options }, (step) => {
    if (steps === 0) return init;
    const t = Math.min(Math.max(step - begin, 0), steps);
    return (init - end) * (1 - t / steps) ** power + end;
  });
}

export interface LinearOptions {
  initValue: number;
  endValue: number;
  transitionSteps: number;
  transitionBegin?: number;
}

/** optax `linear_schedule`: linear from initValue to endValue over transitionSteps, then constant. */
export function linear(options: LinearOptions): Schedule {
  checkKnownKeys('linear', options, ['initValue', 'endValue', 'transitionSteps', 'transitionBegin']);
  const p = polynomial({ ...options, power: 1 });
  return make('linear', { ...options }, p);
}

export interface CosineDecayOptions {
  initValue: number;
  decaySteps: number;
  /** Final value as a fraction of initValue (optax `alpha`). */
  alpha?: number;
  exponent?: number;
}

/** optax `cosine_decay_schedule`: init * ((1-alpha) * (0.5(1 + cos(pi t/T)))^exponent + alpha), t clipped at T. */
export function cosineDecay(options: CosineDecayOptions): Schedule {
  const o = 'cosineDecay';
  checkKnownKeys(o, options, ['initValue', 'decaySteps', 'alpha', 'exponent']);
  const init = checkNumber(o, 'initValue', options.initValue);
  const steps = checkPositiveInt(o, 'decaySteps', options.decaySteps);
  const alpha = checkNumber(o, 'alpha', options.alpha ?? 0, { min: 0, max: 1 });
  const exponent = checkNumber(o, 'exponent', options.exponent ?? 1, { min: 0, minInclusive: false });
  return make(o, { ...options }, (step) => {
    const t = Math.min(step, steps);
    const cos = 0.5 * (1 + Math.cos((Math.PI * t) / steps));
    return init * ((1 - alpha) * cos ** exponent + alpha);
  });
}

export interface CosineWarmRestartsOptions {
  initValue: number;
  /** Length of the first period (torch `T_0`). */
  period: number;
  /** Factor by which each period grows (torch `T_mult`, an integer >= 1). */
  periodMult?: number;
  /** Value at the end of each period (torch `eta_min`). */
  minValue?: number;
}

/** SGDR (Loshchilov & Hutter 2017), as torch `CosineAnnealingWarmRestarts`: cosine from initValue to minValue, restarting each period. */
export function cosineWarmRestarts(options: CosineWarmRestartsOptions): Schedule {
  const o = 'cosineWarmRestarts';
  checkKnownKeys(o, options, ['initValue', 'period', 'periodMult', 'minValue']);
  const init = checkNumber(o, 'initValue', options.initValue);
  const t0 = checkPositiveInt(o, 'period', options.period);
  const mult = checkPositiveInt(o, 'periodMult', options.periodMult ?? 1);
  const min = checkNumber(o, 'minValue', options.minValue ?? 0);
  return make(o, { ...options }, (step) => {
    let tCur = step;
    let ti = t0;
    if (mult === 1) tCur = step % t0;
    else {
      while (tCur >= ti) {
        tCur -= ti;
        ti *= mult;
      }
    }
    return min + ((init - min) * (1 + Math.cos((Math.PI * tCur) / ti))) / 2;
  });
}

/**
 * optax `join_schedules`: `schedules[i]` applies from `boundaries[i-1]` on and is
 * called with the step counted from that boundary.
 */
export function joinSchedules(schedules: Schedule[], boundaries: number[]): Schedule {
  const o = 'joinSchedules';
  if (!Array.isArray(schedules) || schedules.length === 0 || schedules.some((s) => typeof s !== 'function')) {
    throw new TypeError(`${o}: schedules must be a non-empty array of schedules`);
  }
  if (!Array.isArray(boundaries) || boundaries.length !== schedules.length - 1) {
    throw new RangeError(`${o}: boundaries must have ${schedules.length - 1} entries (one fewer than schedules), got ${boundaries?.length}`);
  }
  boundaries.forEach((b, i) => checkNumber(o, `boundaries[${i}]`, b, { min: i === 0 ? 0 : boundaries[i - 1], integer: true }));
  const specs = schedules.map((s) => s.spec);
  const opts = specs.every((s) => s !== undefined) ? { schedules: specs, boundaries } : { boundaries };
  return make(o, opts, (step) => {
    let i = 0;
    while (i < boundaries.length && step >= boundaries[i]) i++;
    return schedules[i](i === 0 ? step : step - boundaries[i - 1]);
  });
}

export interface WarmupCosineDecayOptions {
  initValue: number;
  peakValue: number;
  warmupSteps: number;
  /** Total length including warmup (optax convention). */
  decaySteps: number;
  endValue?: number;
  exponent?: number;
}

/** optax `warmup_cosine_decay_schedule`: linear warmup initValue -> peakValue, then cosine to endValue at decaySteps. */
export function warmupCosineDecay(options: WarmupCosineDecayOptions): Schedule {
  const o = 'warmupCosineDecay';
  checkKnownKeys(o, options, ['initValue', 'peakValue', 'warmupSteps', 'decaySteps', 'endValue', 'exponent']);
  const init = checkNumber(o, 'initValue', options.initValue);
  const peak = checkNumber(o, 'peakValue', options.peakValue);
  const warm = checkNumber(o, 'warmupSteps', options.warmupSteps, { min: 0, integer: true });
  const decay = checkNumber(o, 'decaySteps', options.decaySteps, { min: warm + 1, integer: true });
  const end = checkNumber(o, 'endValue', options.endValue ?? 0);
  const alpha = peak === 0 ? 0 : end / peak;
  const cos = cosineDecay({ initValue: peak, decaySteps: decay - warm, alpha, exponent: options.exponent ?? 1 });
  const f = warm === 0 ? cos : joinSchedules([linear({ initValue: init, endValue: peak, transitionSteps: warm }), cos], [warm]);
  return make(o, { ...options }, f);
}

/** Linear warmup from initValue (default 0) to peakValue over warmupSteps, then constant (optax `warmup_constant_schedule`). */
export function linearWarmup(options: { peakValue: number; warmupSteps: number; initValue?: number }): Schedule {
  const o = 'linearWarmup';
  checkKnownKeys(o, options, ['peakValue', 'warmupSteps', 'initValue']);
  checkNumber(o, 'peakValue', options.peakValue);
  checkNumber(o, 'warmupSteps', options.warmupSteps, { min: 0, integer: true });
  const f = linear({ initValue: options.initValue ?? 0, endValue: options.peakValue, transitionSteps: options.warmupSteps });
  return make(o, { ...options }, f);
}

export interface OneCycleOptions {
  transitionSteps: number;
  peakValue: number;
  pctStart?: number;
  divFactor?: number;
  finalDivFactor?: number;
}

/**
 * optax `cosine_onecycle_schedule` (Smith & Topin 2017): cosine from peak/divFactor up
 * to peak over pctStart of the steps, then cosine down to peak/(divFactor*finalDivFactor).
 */
export function oneCycle(options: OneCycleOptions): Schedule {
  const o = 'oneCycle';
  checkKnownKeys(o, options, ['transitionSteps', 'peakValue', 'pctStart', 'divFactor', 'finalDivFactor']);
  const steps = checkPositiveInt(o, 'transitionSteps', options.transitionSteps);
  const peak = checkNumber(o, 'peakValue', options.peakValue);
  const pct = checkNumber(o, 'pctStart', options.pctStart ?? 0.3, { min: 0, max: 1 });
  const div = checkPositiveNumber(o, 'divFactor', options.divFactor ?? 25);
  const finalDiv = checkPositiveNumber(o, 'finalDivFactor', options.finalDivFactor ?? 1e4);
  const init = peak / div;
  const b1 = Math.floor(pct * steps);
  const cosInterp = (from: number, to: number, frac: number) => to + ((from - to) / 2) * (Math.cos(Math.PI * frac) + 1);
  // optax piecewise_interpolate_schedule('cosine') over boundaries [0, b1, steps]
  const bounds = [0, b1, steps];
  const values = [init, peak, init / finalDiv];
  return make(o, { ...options }, (step) => {
    for (let i = 0; i < 2; i++) {
      if (bounds[i] <= step && step < bounds[i + 1]) {
        return cosInterp(values[i], values[i + 1], (step - bounds[i]) / Math.max(bounds[i + 1] - bounds[i], 1));
      }
    }
    return step >= steps ? values[2] : values[0];
  });
}

function checkPositiveNumber(o: string, name: string, v: unknown): number {
  return checkNumber(o, name, v, { min: 0, minInclusive: false });
}

export interface InverseSqrtOptions {
  peakValue: number;
  warmupSteps: number;
  initValue?: number;
}

/**
 * Inverse square root (Vaswani et al. 2017; fairseq `inverse_sqrt`): linear warmup
 * initValue -> peakValue over warmupSteps, then peakValue * sqrt(warmupSteps / step).
 * With warmupSteps = 0: peakValue / sqrt(max(step, 1)).
 */
export function inverseSqrt(options: InverseSqrtOptions): Schedule {
  const o = 'inverseSqrt';
  checkKnownKeys(o, options, ['peakValue', 'warmupSteps', 'initValue']);
  const peak = checkNumber(o, 'peakValue', options.peakValue);
  const warm = checkNumber(o, 'warmupSteps', options.warmupSteps, { min: 0, integer: true });
  const init = checkNumber(o, 'initValue', options.initValue ?? 0);
  return make(o, { ...options }, (step) => {
    if (step < warm) return init + ((peak - init) * step) / warm;
    return peak * Math.sqrt(Math.max(warm, 1) / Math.max(step, 1));
  });
}

export interface WarmupStableDecayOptions {
  peakValue: number;
  totalSteps: number;
  warmupSteps: number;
  /** Length of the final decay phase (default 20 % of totalSteps). */
  decaySteps?: number;
  initValue?: number;
  endValue?: number;
  /** 'linear', 'cosine', or '1-sqrt' (Hägele et al. 2024). */
  decayShape?: 'linear' | 'cosine' | '1-sqrt';
}

/**
 * Warmup-stable-decay (Hu et al. 2024, MiniCPM; Hägele et al. 2024): linear warmup to
 * peakValue, constant, then a decay to endValue over the last decaySteps.
 */
export function warmupStableDecay(options: WarmupStableDecayOptions): Schedule {
  const o = 'warmupStableDecay';
  checkKnownKeys(o, options, ['peakValue', 'totalSteps', 'warmupSteps', 'decaySteps', 'initValue', 'endValue', 'decayShape']);
  const peak = checkNumber(o, 'peakValue', options.peakValue);
  const total = checkPositiveInt(o, 'totalSteps', options.totalSteps);
  const warm = checkNumber(o, 'warmupSteps', options.warmupSteps, { min: 0, max: total, integer: true });
  const decay = checkNumber(o, 'decaySteps', options.decaySteps ?? Math.round(0.2 * total), { min: 0, max: total - warm, integer: true });
  const init = checkNumber(o, 'initValue', options.initValue ?? 0);
  const end = checkNumber(o, 'endValue', options.endValue ?? 0);
  const shape = checkOneOf(o, 'decayShape', options.decayShape ?? 'linear', ['linear', 'cosine', '1-sqrt'] as const);
  const decayStart = total - decay;
  return make(o, { ...options }, (step) => {
    if (step < warm) return init + ((peak - init) * step) / warm;
    if (step < decayStart) return peak;
    const frac = Math.min((step - decayStart) / decay, 1);
    const f = shape === 'linear' ? 1 - frac : shape === 'cosine' ? 0.5 * (1 + Math.cos(Math.PI * frac)) : 1 - Math.sqrt(frac);
    return end + (peak - end) * f;
  });
}

const FACTORIES: Record<string, (options: any) => Schedule> = {
  constant: (o: { value: number }) => constant(o.value),
  piecewiseConstant,
  stepDecay,
  exponentialDecay,
  polynomial,
  linear,
  cosineDecay,
  cosineWarmRestarts,
  warmupCosineDecay,
  linearWarmup,
  oneCycle,
  inverseSqrt,
  warmupStableDecay,
  joinSchedules: (o: { schedules?: ScheduleSpec[]; boundaries: number[] }) => {
    if (!o.schedules) throw new Error('scheduleFromSpec: this joinSchedules was built from schedules without specs');
    return joinSchedules(o.schedules.map(scheduleFromSpec), o.boundaries);
  },
};

/** Rebuilds a schedule from its `spec`. */
export function scheduleFromSpec(spec: ScheduleSpec): Schedule {
  const f = FACTORIES[spec?.type];
  if (!f) throw new Error(`scheduleFromSpec: unknown schedule type '${spec?.type}'; known: ${Object.keys(FACTORIES).join(', ')}`);
  return f(spec.options);
}
