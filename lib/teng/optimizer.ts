/**
 * Runs one of the library's optax-style gradient transformations (e.g. Adam) on a float64
 * parameter vector: the gradient goes in as a float32 tensor, the update comes back and
 * is added to the float64 parameters, so the parameters keep full precision while the
 * optimizer is the library's (checked against torch).
 */
import '../backend/index.js';
import * as tf from '../backend/tf.js';
import { scaleByAdam } from '../optim/adam.js';
import { scaleByLearningRate } from '../optim/transforms.js';
import { chain, initState, runUpdate, type GradientTransformation } from '../optim/transform.js';
import { type Schedule } from '../optim/schedules.js';

export class Float64Stepper {
  private state: unknown;

  constructor(private readonly transform: GradientTransformation, readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`Float64Stepper: size must be a positive integer, got ${size}`);
    this.state = tf.tidy(() => initState(transform, tf.zeros([size])));
  }

  /** The update for gradient `grad` (add it to the parameters). */
  update(grad: Float64Array): Float64Array {
    if (grad.length !== this.size) throw new Error(`Float64Stepper: gradient has ${grad.length} entries, expected ${this.size}`);
    const g = tf.tensor1d(Float32Array.from(grad));
    const { updates, state } = runUpdate(this.transform, g, this.state as never);
    this.state = state;
    g.dispose();
    const out = Float64Array.from((updates as tf.Tensor).dataSync());
    (updates as tf.Tensor).dispose();
    return out;
  }

  dispose(): void {
    const visit = (x: unknown): void => {
      if (x instanceof tf.Tensor) x.dispose();
      else if (Array.isArray(x)) x.forEach(visit);
      else if (x !== null && typeof x === 'object') Object.values(x).forEach(visit);
    };
    visit(this.state);
  }
}

/** Adam (torch semantics: betas (0.9, 0.999), eps 1e-8) on float64 parameters; `lr` may be a schedule. */
export function adamStepper(size: number, lr: number | Schedule, betas: [number, number] = [0.9, 0.999]): Float64Stepper {
  return new Float64Stepper(chain(scaleByAdam({ b1: betas[0], b2: betas[1], eps: 1e-8 }), scaleByLearningRate(lr)), size);
}
