/**
 * The checker thread: owns the TypeScript program so that type checking, completion
 * and inspection never block the protocol thread, and its start-up (loading
 * TypeScript, parsing declarations) overlaps the executor's.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CellChecker, type CheckerOptions } from './service.js';
import { complete, inspect, isComplete } from './assist.js';

export type CheckerRequest =
  | { id: number; method: 'compile'; code: string; label: string; cellNo: number }
  | { id: number; method: 'complete'; code: string; pos: number }
  | { id: number; method: 'inspect'; code: string; pos: number; detail: number }
  | { id: number; method: 'isComplete'; code: string }
  | { id: number; method: 'commit'; cellNo: number }
  | { id: number; method: 'reset' };

export type CheckerResponse = { id: number; result?: unknown; error?: string } | { id: -1; ready: true; preloadNames: string[] };

const port = parentPort!;
const checker = new CellChecker(workerData as CheckerOptions);

function handle(req: CheckerRequest): unknown {
  switch (req.method) {
    case 'compile':
      return checker.compile(req.code, req.label, req.cellNo);
    case 'complete': {
      const { sf, checker: tc } = checker.editorProgram(req.code);
      return complete(sf, tc, req.pos);
    }
    case 'inspect': {
      const { sf, checker: tc } = checker.editorProgram(req.code);
      return inspect(sf, tc, req.pos, req.detail);
    }
    case 'isComplete':
      return isComplete(req.code);
    case 'commit':
      checker.commit(req.cellNo);
      return true;
    case 'reset':
      checker.reset();
      return true;
  }
}

/**
 * Builds the remaining tiers one at a time once no request has come for a moment: a
 * build blocks this thread for a second, so it should not start just before a cell.
 */
const IDLE_MS = 200;
let warming: NodeJS.Timeout | undefined;
function warmLater(): void {
  if (warming) clearTimeout(warming);
  warming = setTimeout(() => {
    warming = undefined;
    if (checker.warmNextTier()) warmLater();
  }, IDLE_MS);
}

port.on('message', (req: CheckerRequest) => {
  let response: CheckerResponse;
  try {
    response = { id: req.id, result: handle(req) };
  } catch (e) {
    response = { id: req.id, error: (e as Error)?.stack ?? String(e) };
  }
  port.postMessage(response);
  warmLater();
});

checker.warmNextTier();
port.postMessage({ id: -1, ready: true, preloadNames: checker.preloadNames } satisfies CheckerResponse);
warmLater();
