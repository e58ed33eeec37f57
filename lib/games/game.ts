/**
 * Two-player differentiable games and the loop that plays them: each player
 * minimises its own loss over its own parameters with its own optimizer, with
 * simultaneous updates (both gradients at the same joint point) or alternating
 * ones (the second player sees the first player's new parameters).
 *
 * A zero-sum game min_x max_y f(x, y) is the pair of losses (f, -f).
 */
import * as tf from '../backend/tf.js';

export interface Game {
  /** The parameters of player 0 and player 1. */
  players: [tf.Variable[], tf.Variable[]];
  /** The loss each player minimises (closures over the current parameters and minibatch). */
  losses: [() => tf.Scalar, () => tf.Scalar];
  /** Called before every step (e.g. to draw a fresh minibatch shared by both players). */
  beforeStep?(step: number): void;
  dispose(): void;
}

export type UpdateOrder = 'simultaneous' | 'alternating';

/** Any tf.Optimizer; optilab optimizers also receive the loss (`extra.value`). */
type Optimizer = tf.Optimizer & { applyGradients(grads: tf.NamedTensorMap, extra?: { value?: tf.Scalar }): void };

export interface PlayOptions {
  steps: number;
  order?: UpdateOrder;
  /** Record metrics every `every` steps (and after the last): return a record of numbers. */
  record?: (step: number) => Record<string, number>;
  every?: number;
  /** Stop when a loss becomes NaN or infinite (default true). */
  stopOnNonFinite?: boolean;
  /** Checked after each recorded step: stop (as diverged) when it returns true, e.g. a distance above 1e6. */
  divergedWhen?: (step: number) => boolean;
}

export interface PlayResult {
  records: Array<Record<string, number> & { step: number }>;
  /** Steps completed. */
  steps: number;
  /** True when the run stopped on a non-finite loss. */
  diverged: boolean;
}

function gradsOf(loss: () => tf.Scalar, vars: tf.Variable[]): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  return tf.variableGrads(loss, vars);
}

function apply(opt: Optimizer, g: { value: tf.Scalar; grads: tf.NamedTensorMap }): number {
  opt.applyGradients(g.grads, { value: g.value });
  const v = g.value.dataSync()[0];
  tf.dispose([g.value, ...Object.values(g.grads)]);
  return v;
}

/** Plays `game` for `steps` steps with one optimizer per player. */
export function play(game: Game, optimizers: [Optimizer, Optimizer], options: PlayOptions): PlayResult {
  const { steps, order = 'simultaneous', record, every = 1, stopOnNonFinite = true, divergedWhen } = options;
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`play: steps must be a non-negative integer, got ${steps}`);
  if (order !== 'simultaneous' && order !== 'alternating') {
    throw new RangeError(`play: order must be 'simultaneous' or 'alternating', got '${String(order)}'`);
  }
  if (!Number.isInteger(every) || every < 1) throw new RangeError(`play: every must be a positive integer, got ${every}`);
  const records: PlayResult['records'] = [];
  const log = (step: number, extra: Record<string, number>) => {
    if (record) records.push({ step, ...extra, ...record(step) });
  };
  log(0, {});
  let done = 0;
  for (let step = 1; step <= steps; step++) {
    game.beforeStep?.(step);
    let l0: number;
    let l1: number;
    if (order === 'simultaneous') {
      const g0 = gradsOf(game.losses[0], game.players[0]);
      const g1 = gradsOf(game.losses[1], game.players[1]);
      l0 = apply(optimizers[0], g0);
      l1 = apply(optimizers[1], g1);
    } else {
      l0 = apply(optimizers[0], gradsOf(game.losses[0], game.players[0]));
      l1 = apply(optimizers[1], gradsOf(game.losses[1], game.players[1]));
    }
    done = step;
    const bad = !Number.isFinite(l0) || !Number.isFinite(l1);
    const due = step % every === 0 || step === steps;
    if ((record && due) || (bad && stopOnNonFinite)) log(step, { loss0: l0, loss1: l1 });
    if ((bad && stopOnNonFinite) || (due && divergedWhen?.(step))) return { records, steps: done, diverged: true };
  }
  return { records, steps: done, diverged: false };
}
