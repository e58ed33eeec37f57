/**
 * Path metrics of simulated flows (Liu et al. 2023, "Flow Straight and Fast"):
 * straightness S = integral over t of E |(Z_1 - Z_0) - dZ_t/dt|^2 (0 for
 * straight paths), and the transport cost E |Z_1 - Z_0|^2.
 */
import * as tf from '../backend/tf.js';
import type { SampleResult } from './model.js';
import type { PointRecord, RecordFields } from './points.js';

function needTrajectory(r: SampleResult, who: string): tf.Tensor2D[] {
  if (!r.trajectory || r.trajectory.length < 2) throw new Error(`${who}: needs a trajectory; run the sampler with { record: true }`);
  return r.trajectory;
}

/**
 * Straightness of a recorded trajectory, with dZ/dt taken as the finite
 * difference of consecutive states and the integral normalised by the time
 * span (so it is comparable across grids and paths).
 */
export function straightness(r: SampleResult): number {
  const traj = needTrajectory(r, 'straightness');
  const T = r.times[r.times.length - 1] - r.times[0];
  return tf.tidy(() => {
    const chord = tf.div(tf.sub(traj[traj.length - 1], traj[0]), T);
    let acc = 0;
    for (let i = 0; i + 1 < traj.length; i++) {
      const h = r.times[i + 1] - r.times[i];
      const slope = tf.div(tf.sub(traj[i + 1], traj[i]), h);
      acc += (Math.abs(h) / Math.abs(T)) * tf.mean(tf.sum(tf.square(tf.sub(chord, slope)), 1)).dataSync()[0];
    }
    return acc * T * T;
  });
}

/** Mean squared displacement E |Z_end - Z_start|^2. */
export function transportCost(start: tf.Tensor2D, end: tf.Tensor2D): number {
  return tf.tidy(() => tf.mean(tf.sum(tf.square(tf.sub(end, start)), 1)).dataSync()[0]);
}

/**
 * The recorded paths of the first `paths` samples as records `{path, t, x, y, ...fields}` (first two
 * coordinates), for `plot.line(records, {x: 'x', y: 'y', order: 't', detail: 'path'})`.
 */
export function trajectoryRecords<F extends RecordFields = {}>(r: SampleResult, fields: F = {} as F, { paths = 30 } = {}): Array<PointRecord<F & { path: number; t: number }>> {
  const traj = needTrajectory(r, 'trajectoryRecords');
  const n = Math.min(paths, traj[0].shape[0]);
  if (traj[0].shape[1] < 2) throw new Error(`trajectoryRecords: states need at least 2 coordinates, got ${traj[0].shape[1]}`);
  const out: Array<PointRecord<F & { path: number; t: number }>> = [];
  traj.forEach((state, k) => {
    const d = state.shape[1];
    const v = state.dataSync();
    for (let i = 0; i < n; i++) out.push({ ...fields, path: i, t: r.times[k], x: v[i * d], y: v[i * d + 1] });
  });
  return out;
}
