/**
 * Rebuilds datasets/teng/initial.json: the networks fitted to TENG's initial conditions
 * (recipes in lib/teng/initial.ts), as the official repository ships a fitted state.
 *
 *   npx tsc -b && node dist/datasets/teng/fit_initial.js [heat-1d] [teng-2d]
 *
 * Deterministic for a given machine and Node version (seeded networks, float64 least squares).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INITIAL_RECIPES, fitRecipe, type FittedState } from '../../lib/teng/initial.js';
import { heat1d, heat2d } from '../../lib/teng/problems.js';

const dir = fileURLToPath(new URL('../../../datasets/teng/', import.meta.url));
const path = join(dir, 'initial.json');
const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : Object.keys(INITIAL_RECIPES);
const states: Record<string, FittedState> = existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {};
for (const name of names) {
  const recipe = INITIAL_RECIPES[name as keyof typeof INITIAL_RECIPES];
  if (recipe === undefined) throw new Error(`fit_initial: unknown state '${name}'; expected ${Object.keys(INITIAL_RECIPES).join(', ')}`);
  const problem = name === 'heat-1d' ? heat1d() : heat2d();
  const state = fitRecipe(recipe, problem, ({ iteration, loss }) => {
    if (iteration % 25 === 0) process.stderr.write(`${name}: solve ${iteration}, loss ${loss.toExponential(3)}\n`);
  });
  console.log(`${name}: ${state.params.length} parameters, relative L2 ${state.relativeL2.toExponential(3)} on ${state.evaluationGrid} points per axis, ${state.iterations} solves, ${state.seconds.toFixed(0)} s`);
  states[name] = state;
  writeFileSync(path, JSON.stringify(states, null, 1) + '\n');
}
