/**
 * A vanilla (Elman) recurrent network, the model of Pascanu, Mikolov & Bengio's
 * study of exploding and vanishing gradients:
 *
 *   h_t = s(x_t Wx + h_{t-1} Wh + b),  h_0 = 0,   y = h_T Wo + bo
 *
 *   const net = nn.rnn({ inputDim: 2, hiddenDim: 32, outputDim: 1, recurrentScale: 1.5, seed: 0 });
 *   const y = net.apply(x);               // x: [batch, time, inputDim] -> y: [batch, outputDim]
 *
 * The recurrent matrix is drawn N(0, recurrentScale^2 / hiddenDim), so its spectral
 * radius is close to `recurrentScale` (the circular law): above 1 the network starts in
 * the regime where gradients can explode, below 1 in the one where they vanish. The
 * input projection of all time steps is one matrix product, so back-propagation
 * through time costs three small ops per step.
 */
import * as tf from '../backend/tf.js';
import { resolveRng, type Rng } from '../backend/random.js';
import { activation, type Activation, type ActivationName } from './activations.js';
import { initLayer } from './init.js';

export interface RnnConfig {
  inputDim: number;
  hiddenDim: number;
  outputDim: number;
  /** Activation of the recurrence (default 'tanh'). */
  activation?: ActivationName;
  /** Standard deviation of Wh times sqrt(hiddenDim): about its spectral radius (default 1). */
  recurrentScale?: number;
  /** Seed or generator of the initial weights (default: the library generator). */
  seed?: number | Rng;
}

function checkDim(name: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) < 1) throw new RangeError(`rnn.${name}: expected a positive integer, got ${String(v)}`);
  return v as number;
}

export class Rnn {
  readonly inputDim: number;
  readonly hiddenDim: number;
  readonly outputDim: number;
  readonly activation: Activation;
  /** Input weights [inputDim, hiddenDim]. */
  readonly Wx: tf.Variable<tf.Rank.R2>;
  /** Recurrent weights [hiddenDim, hiddenDim]. */
  readonly Wh: tf.Variable<tf.Rank.R2>;
  readonly b: tf.Variable<tf.Rank.R1>;
  /** Read-out weights [hiddenDim, outputDim]. */
  readonly Wo: tf.Variable<tf.Rank.R2>;
  readonly bo: tf.Variable<tf.Rank.R1>;

  constructor(config: RnnConfig) {
    this.inputDim = checkDim('inputDim', config.inputDim);
    this.hiddenDim = checkDim('hiddenDim', config.hiddenDim);
    this.outputDim = checkDim('outputDim', config.outputDim);
    const scale = config.recurrentScale ?? 1;
    if (!(typeof scale === 'number' && scale >= 0 && Number.isFinite(scale))) {
      throw new RangeError(`rnn.recurrentScale: expected a finite number >= 0, got ${String(scale)}`);
    }
    this.activation = activation(config.activation ?? 'tanh');
    const rng = resolveRng(config.seed);
    const h = this.hiddenDim;
    const wx = initLayer('glorot-normal', this.inputDim, h, rng).weights;
    const wh = Float32Array.from({ length: h * h }, () => (scale / Math.sqrt(h)) * rng.normal());
    const wo = initLayer('glorot-normal', h, this.outputDim, rng).weights;
    // tf.variable copies its initial value; tidy frees the temporaries
    [this.Wx, this.Wh, this.b, this.Wo, this.bo] = tf.tidy(() => [
      tf.variable(tf.tensor2d(wx, [this.inputDim, h])),
      tf.variable(tf.tensor2d(wh, [h, h])),
      tf.variable(tf.zeros([h]) as tf.Tensor1D),
      tf.variable(tf.tensor2d(wo, [h, this.outputDim])),
      tf.variable(tf.zeros([this.outputDim]) as tf.Tensor1D),
    ]);
  }

  /** The trainable variables [Wx, Wh, b, Wo, bo]. */
  get variables(): tf.Variable[] {
    return [this.Wx, this.Wh, this.b, this.Wo, this.bo];
  }

  get paramCount(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  private checkInput(x: tf.Tensor): [number, number] {
    if (x.rank !== 3 || x.shape[2] !== this.inputDim) {
      throw new RangeError(`rnn: input must have shape [batch, time, ${this.inputDim}], got [${x.shape}]`);
    }
    return [x.shape[0], x.shape[1] as number];
  }

  /** The hidden states h_1..h_T as [batch, time, hiddenDim]. */
  hiddenStates(x: tf.Tensor): tf.Tensor3D {
    const [batch, time] = this.checkInput(x);
    return tf.tidy(() => tf.stack(this.run(x, batch, time), 1) as tf.Tensor3D);
  }

  private run(x: tf.Tensor, batch: number, time: number): tf.Tensor2D[] {
    const h = this.hiddenDim;
    // x_t Wx + b for every t at once: [batch * time, in] x [in, h]
    const drive = tf.reshape(tf.add(tf.matMul(tf.reshape(x, [batch * time, this.inputDim]), this.Wx), this.b), [batch, time, h]);
    const inputs = tf.unstack(drive, 1) as tf.Tensor2D[];
    const states: tf.Tensor2D[] = [];
    let state: tf.Tensor2D | undefined;
    for (const u of inputs) {
      state = this.activation.apply(state === undefined ? u : tf.add(u, tf.matMul(state, this.Wh))) as tf.Tensor2D;
      states.push(state);
    }
    return states;
  }

  /** The read-out of the last hidden state: [batch, outputDim]. */
  apply(x: tf.Tensor): tf.Tensor2D {
    const [batch, time] = this.checkInput(x);
    if (time === 0) throw new RangeError('rnn: the input has no time steps');
    return tf.tidy(() => {
      const states = this.run(x, batch, time);
      return tf.add(tf.matMul(states[states.length - 1], this.Wo), this.bo) as tf.Tensor2D;
    });
  }

  /**
   * The largest singular value of Wh (power iteration on Wh^T Wh). Above 1/max|s'|
   * (1 for tanh) gradients can explode; below it they vanish (Pascanu et al. 2013, sec. 3).
   */
  recurrentNorm(iterations = 100): number {
    return tf.tidy(() => {
      let v = tf.div(tf.ones([this.hiddenDim, 1]), Math.sqrt(this.hiddenDim)) as tf.Tensor2D;
      for (let i = 0; i < iterations; i++) {
        const w = tf.matMul(this.Wh, tf.matMul(this.Wh, v), true, false);
        v = tf.div(w, tf.add(tf.norm(w), 1e-30)) as tf.Tensor2D;
      }
      return tf.norm(tf.matMul(this.Wh, v)).dataSync()[0];
    });
  }

  dispose(): void {
    tf.dispose(this.variables);
  }
}

/** Builds a vanilla RNN (see `RnnConfig`). */
export function rnn(config: RnnConfig): Rnn {
  return new Rnn(config);
}
