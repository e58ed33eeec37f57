/**
 * A PDE problem as data (DeepXDE's model): a domain, the residual written with the
 * network's fields and their derivatives, the conditions (each its own loss term), and
 * a reference solution to measure the error against. Adding a PDE is writing one of
 * these objects; the trainer has no per-PDE code.
 *
 *   definePde({
 *     name: 'burgers', domain: spaceTime(interval(-1, 1), timeDomain(0, 1)), outputs: ['u'],
 *     pde: { derivatives: ['u_t', 'u_x', 'u_xx'], residual: (f) => f.u_t.add(f.u.mul(f.u_x)).sub(f.u_xx.mul(nu)) },
 *     conditions: [
 *       { name: 'ic', kind: 'initial', value: ({ x }) => -Math.sin(Math.PI * x) },
 *       { name: 'bc', kind: 'dirichlet', value: 0 },
 *     ],
 *     reference: () => fromGrid(reference.burgers()),
 *   })
 *
 * Field names in a residual: each output (`u`), each input coordinate (`t`, `x`), and
 * derivatives `<output>_<inputs>` such as `u_t`, `u_xx`, `v_xy` (first and second
 * order; input names are single letters). Every derivative a residual or a condition
 * reads must be listed, so the trainer computes exactly those.
 */
import * as tf from '../../backend/tf.js';
import { Geometry, type Part } from '../geometry/geometry.js';
import { type GridSolution, gridPoints } from '../reference/solution.js';

/** The fields a residual reads: [N, 1] tensors by name (outputs, inputs, derivatives). */
export type Fields = Record<string, tf.Tensor2D>;

/** A point's coordinates by input name, for target values ({t, x} -> number). */
export type Point = Record<string, number>;

/** A condition's target: a constant, or a function of the point (one value per output it constrains). */
export type Target = number | number[] | ((p: Point) => number | number[]);

interface ConditionBase {
  /** The loss term's name (unique; default the kind). */
  name?: string;
  /** Outputs the condition constrains (default all). */
  outputs?: string[];
  /** Default number of points of the term. */
  points?: number;
  /** Restrict to points where this is true (e.g. one side of the boundary). */
  filter?: (p: Point) => boolean;
}

/** u = value on the boundary (or at t0 with kind 'initial'). */
export interface DirichletCondition extends ConditionBase { kind: 'dirichlet'; value: Target }
/** du/dn = value on the boundary (outward normal). */
export interface NeumannCondition extends ConditionBase { kind: 'neumann'; value: Target }
/** u(t0, x) = value, or a derivative: `derivative: 'u_t'` for u_t(t0, x) = value. */
export interface InitialCondition extends ConditionBase { kind: 'initial'; value: Target; derivative?: string }
/** u (and with `derivatives: 1` also du/daxis) equal at both ends of `axis`. */
export interface PeriodicCondition extends ConditionBase { kind: 'periodic'; axis: string; derivatives?: 0 | 1 }

export type Condition = DirichletCondition | NeumannCondition | InitialCondition | PeriodicCondition;

/** Reference values at points, optionally with the grid they came from (for heatmaps). */
export interface Reference {
  /** Row-major [n * inputs] in the problem's input order. */
  points: Float64Array;
  /** One Float64Array of n values per output. */
  fields: Record<string, Float64Array>;
  /** The tensor grid (axes in input order) when the points form one. */
  grid?: { axes: string[]; shape: number[]; coords: Record<string, Float64Array> };
}

/**
 * An exact output transform u = offset(x) + factor(x) * N(x) that satisfies some
 * conditions by construction (Lagaris et al. 1998); `replaces` names the conditions it
 * enforces, which the trainer then drops. offset and factor map [N, inputs] to
 * [N, outputs] (or [N, 1], broadcast) with TF.js ops; their input derivatives are
 * taken by automatic differentiation.
 */
export interface HardConstraint {
  offset?: (x: tf.Tensor2D) => tf.Tensor2D;
  factor: (x: tf.Tensor2D) => tf.Tensor2D;
  replaces: string[];
}

/** Suggested network and budget for the problem (the trainer's defaults). */
export interface Hints {
  hidden: number[];
  activation?: 'tanh' | 'sin' | 'gelu' | 'swish';
  /** Collocation points of the residual. */
  points: number;
  adamSteps: number;
  lr: number;
  lbfgsSteps?: number;
  /** Network periodicity: `{period: [null, 2]}` makes the net exactly periodic in the second input. */
  periodic?: { period: Array<number | null>; harmonics?: number };
  fourier?: { features: number; scale: number };
  /** Fixed weights of the loss terms (default 1). */
  weights?: Record<string, number>;
}

export interface PdeSpec {
  name: string;
  /** One line: the equation and its setting. */
  title: string;
  domain: Geometry;
  outputs: string[];
  pde: {
    derivatives: string[];
    /** One residual, or several components (each is squared and averaged, then summed). */
    residual: (f: Fields) => tf.Tensor | tf.Tensor[];
  };
  conditions: Condition[];
  reference: () => Reference;
  /** Outputs the error is measured on (default all). */
  errorOn?: string[];
  hard?: HardConstraint;
  hints: Hints;
  params?: Record<string, unknown>;
}

export interface PdeProblem extends Required<Omit<PdeSpec, 'hard' | 'params'>> {
  hard?: HardConstraint;
  params: Record<string, unknown>;
  /** Input names (the domain's coordinate names). */
  inputs: string[];
  /** The condition names in order. */
  conditionNames: string[];
  /** The reference, computed on first use and cached. */
  reference: () => Reference;
}

/** A parsed derivative name: output index and the input indices (one or two). */
export interface DerivativeName { name: string; output: number; inputs: number[] }

/** Parses `u_xx` against the outputs and inputs; throws naming what is wrong. */
export function parseDerivative(name: string, outputs: string[], inputs: string[], owner: string): DerivativeName {
  const cut = name.lastIndexOf('_');
  const out = cut > 0 ? name.slice(0, cut) : '';
  const wrt = cut > 0 ? name.slice(cut + 1) : '';
  const output = outputs.indexOf(out);
  if (output < 0 || wrt.length < 1 || wrt.length > 2) {
    throw new Error(`${owner}: '${name}' is not a derivative name; write <output>_<inputs> with an output of [${outputs}] and one or two of the inputs [${inputs}], e.g. '${outputs[0]}_${inputs[inputs.length - 1]}${inputs[inputs.length - 1]}'`);
  }
  const idx = [...wrt].map((c) => {
    const i = inputs.indexOf(c);
    if (i < 0) throw new Error(`${owner}: '${name}' differentiates with respect to '${c}', which is not an input (inputs: [${inputs}])`);
    return i;
  });
  return { name, output, inputs: idx };
}

/** Maps a GridSolution whose axes are the problem's inputs (any order) to a Reference. */
export function fromGrid(sol: GridSolution, inputs: string[], outputs: string[]): Reference {
  const pts = gridPoints(sol);
  const d = sol.axes.length;
  if (d !== inputs.length || !inputs.every((a) => sol.axes.includes(a))) {
    throw new Error(`fromGrid: the reference axes [${sol.axes}] do not match the inputs [${inputs}]`);
  }
  const perm = inputs.map((a) => sol.axes.indexOf(a));
  const n = pts.length / d;
  const points = new Float64Array(pts.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) points[i * d + k] = pts[i * d + perm[k]];
  const fields: Record<string, Float64Array> = {};
  for (const o of outputs) {
    if (!(o in sol.fields)) throw new Error(`fromGrid: the reference has no field '${o}' (fields: ${Object.keys(sol.fields)})`);
    fields[o] = sol.fields[o];
  }
  return { points, fields, grid: { axes: sol.axes, shape: sol.shape, coords: sol.coords } };
}

const PARTS: Record<Condition['kind'], Part> = { dirichlet: 'boundary', neumann: 'boundary', initial: 'initial', periodic: 'boundary' };

/** Validates a spec and returns the problem (reference cached). */
export function definePde(spec: PdeSpec): PdeProblem {
  const owner = `definePde(${JSON.stringify(spec?.name)})`;
  if (typeof spec?.name !== 'string' || spec.name === '') throw new Error('definePde: name must be a non-empty string');
  if (!(spec.domain instanceof Geometry)) throw new Error(`${owner}: domain must be a geometry (pde.geometry.interval, rectangle, spaceTime, ...)`);
  const inputs = spec.domain.names;
  inputs.forEach((n) => {
    if (n.length !== 1) throw new Error(`${owner}: input names must be single letters for derivative names, got '${n}'`);
  });
  if (!Array.isArray(spec.outputs) || spec.outputs.length === 0) throw new Error(`${owner}: outputs must name at least one field`);
  spec.outputs.forEach((o) => {
    if (inputs.includes(o)) throw new Error(`${owner}: output '${o}' has the name of an input`);
    if (o.includes('_')) throw new Error(`${owner}: output '${o}' must not contain '_'`);
  });
  spec.pde.derivatives.forEach((d) => parseDerivative(d, spec.outputs, inputs, owner));
  const names = new Set<string>(['pde']);
  const conditionNames = spec.conditions.map((c, i) => {
    const name = c.name ?? c.kind;
    if (names.has(name)) throw new Error(`${owner}: condition ${i} is named '${name}', a name already used (names must be unique; 'pde' is the residual)`);
    names.add(name);
    if (!(c.kind in PARTS)) throw new Error(`${owner}: condition '${name}' has unknown kind '${(c as { kind: string }).kind}'; kinds: ${Object.keys(PARTS).join(', ')}`);
    if (!spec.domain.parts().includes(PARTS[c.kind])) throw new Error(`${owner}: condition '${name}' (${c.kind}) needs the domain's ${PARTS[c.kind]}, and ${spec.domain.describe()} has none`);
    (c.outputs ?? []).forEach((o) => {
      if (!spec.outputs.includes(o)) throw new Error(`${owner}: condition '${name}' constrains '${o}', which is not an output (outputs: [${spec.outputs}])`);
    });
    if (c.kind === 'periodic' && !inputs.includes(c.axis)) throw new Error(`${owner}: periodic condition '${name}' has axis '${c.axis}', not an input`);
    if (c.kind === 'initial' && c.derivative !== undefined) parseDerivative(c.derivative, spec.outputs, inputs, owner);
    return name;
  });
  spec.hard?.replaces.forEach((r) => {
    if (!conditionNames.includes(r)) throw new Error(`${owner}: the hard constraint replaces '${r}', which is not a condition (conditions: ${conditionNames.join(', ')})`);
  });
  (spec.errorOn ?? []).forEach((o) => {
    if (!spec.outputs.includes(o)) throw new Error(`${owner}: errorOn names '${o}', not an output`);
  });
  let cached: Reference | undefined;
  return {
    ...spec,
    params: spec.params ?? {},
    errorOn: spec.errorOn ?? spec.outputs,
    inputs,
    conditionNames,
    reference: () => (cached ??= spec.reference()),
  };
}

/** The domain part a condition's points come from. */
export function conditionPart(c: Condition): Part {
  return PARTS[c.kind];
}
