/**
 * V8's full garbage collection on demand, for the kernel's worker threads: the executor
 * uses it to free unreachable tensors, the checker to return the garbage each cell's
 * program leaves behind. (`--expose-gc` is set at run time, so the kernel needs no flag.)
 */
import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | undefined;

export function fullGc(): void {
  if (!gc) {
    v8.setFlagsFromString('--expose-gc');
    gc = vm.runInNewContext('gc') as () => void;
  }
  gc();
}

/** Bytes of the calling thread's V8 heap in use (garbage included until collected). */
export function heapUsed(): number {
  return v8.getHeapStatistics().used_heap_size;
}
