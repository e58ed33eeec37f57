/**
 * An exponential moving average of parameters (the "EMA model" of diffusion and
 * consistency training), with the semantics of torch.optim.swa_utils.AveragedModel
 * and get_ema_multi_avg_fn: the average starts as a copy of the parameters, the
 * first `update()` copies them again, and every later one does
 * avg = decay avg + (1 - decay) param. The average lives in its own variables;
 * `copyTo` puts it into a network of the same architecture for evaluation.
 */
import * as tf from '../backend/tf.js';

export class ParameterEma {
  readonly decay: number;
  /** The averaged values, one per tracked parameter (same shapes). */
  readonly average: tf.Variable[];
  /** Number of `update()` calls so far. */
  updates = 0;
  private readonly params: tf.Variable[];

  constructor(params: readonly tf.Variable[], { decay = 0.999 }: { decay?: number } = {}) {
    if (!(decay >= 0 && decay < 1)) throw new Error(`ParameterEma: decay must be in [0, 1), got ${decay}`);
    if (params.length === 0) throw new Error('ParameterEma: no parameters to average');
    this.decay = decay;
    this.params = [...params];
    this.average = params.map((p) => tf.variable(p.clone(), false));
  }

  /** Folds the current parameter values into the average. */
  update(): void {
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        this.average[i].assign(this.updates === 0 ? p : tf.add(tf.mul(this.average[i], this.decay), tf.mul(p, 1 - this.decay)));
      });
    });
    this.updates++;
  }

  /** Writes the average into `target` (variables of the same shapes, e.g. a clone's parameters). */
  copyTo(target: readonly tf.Variable[]): void {
    if (target.length !== this.average.length || target.some((t, i) => t.shape.join() !== this.average[i].shape.join())) {
      throw new Error(`ParameterEma.copyTo: target has shapes [${target.map((t) => `[${t.shape}]`)}], the average [${this.average.map((a) => `[${a.shape}]`)}]`);
    }
    target.forEach((t, i) => t.assign(this.average[i]));
  }

  dispose(): void {
    tf.dispose(this.average);
  }
}
