/**
 * Benchmarks `pinn-burgers` and `pinn-burgers-lbfgs`: the Burgers PINN of the speed
 * issue, one Adam step and one L-BFGS iteration, against bench/torch/pinn_burgers.py.
 *
 * 2-32-32-32-1 tanh MLP, 2000 collocation points (t in [0, 1], x in [-1, 1]), residual
 * u_t + u u_x - (0.01/pi) u_xx with derivatives from `ad.inputDerivatives`, loss the
 * mean square of the residual.
 */
import { tf, nn, ad, optim, Rng } from '../lib/index.js';
import { stepBenchmark } from './harness.js';

const NU = 0.01 / Math.PI;

/** The network, the points and the residual loss (as a PINN user writes it). */
export function burgersProblem(points = 2000) {
  const net = nn.mlp({ sizes: [2, 32, 32, 32, 1], activation: 'tanh', seed: 0 });
  const rng = new Rng(1);
  const x = tf.tensor2d(Array.from({ length: points }, () => [rng.uniform(), 2 * rng.uniform() - 1]));
  const loss = (method?: 'taylor' | 'nested') => {
    const r = ad.inputDerivatives(net, x, { first: [0, 1], second: [[1, 1]] }, method ? { method } : {});
    return tf.mean(tf.square(tf.sub(tf.add(r.d(0), tf.mul(r.u, r.d(1))), tf.mul(NU, r.d2(1, 1))))) as tf.Scalar;
  };
  return { net, x, loss, dispose: () => { net.dispose(); x.dispose(); } };
}

export const pinnBurgers = stepBenchmark({
  name: 'pinn-burgers',
  title: 'Burgers PINN, one Adam step (2-32-32-32-1 tanh, 2000 points, u_t + u u_x - (0.01/pi) u_xx)',
  label: 'Adam step',
  key: 'pinn_burgers_ms_per_step',
  torch: { script: 'pinn_burgers.py', args: ['--optimizer', 'adam'] },
  async setup() {
    const p = burgersProblem();
    const opt = optim.adam({ lr: 1e-3 });
    return {
      step: () => {
        const loss = opt.minimize(() => p.loss(), true, p.net.variables);
        loss!.dataSync();
        loss!.dispose();
      },
      dispose: () => { opt.dispose(); p.dispose(); },
    };
  },
});

export const pinnBurgersLbfgs = stepBenchmark({
  name: 'pinn-burgers-lbfgs',
  title: 'Burgers PINN, one L-BFGS iteration (history 50, strong-Wolfe line search)',
  label: 'L-BFGS iteration',
  key: 'pinn_burgers_lbfgs_ms_per_step',
  torch: { script: 'pinn_burgers.py', args: ['--optimizer', 'lbfgs'] },
  async setup() {
    const p = burgersProblem();
    let evaluations = 0;
    let steps = 0;
    const opt = optim.lbfgs({ lr: 1, maxIter: 1, historySize: 50, lineSearchFn: 'strong_wolfe' });
    return {
      step: () => {
        opt.step(() => { evaluations++; return p.loss(); }, p.net.variables);
        steps++;
      },
      dispose: () => { opt.dispose(); p.dispose(); },
      notes: () => [`optilab: ${(evaluations / steps).toFixed(2)} loss evaluations per L-BFGS iteration`],
    };
  },
});
