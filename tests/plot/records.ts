/** Small per-seed training records shared by the plot tests. */
export interface SeedRecord {
  method: string;
  seed: number;
  step: number;
  loss: number;
}

/** Two methods, three seeds, ten steps; the loss is a known function of all three. */
export function seedRecords(): SeedRecord[] {
  const out: SeedRecord[] = [];
  for (const method of ['adam', 'sgd']) {
    for (const seed of [0, 1, 2]) {
      for (let step = 0; step < 10; step++) {
        out.push({ method, seed, step, loss: (method === 'adam' ? 1 : 2) * (1 + seed) / (step + 1) });
      }
    }
  }
  return out;
}
