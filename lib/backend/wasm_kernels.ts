/**
 * Kernels the wasm backend lacks and derivatives need, written in JS on the backend's
 * heap: UnsortedSegmentSum (the gradient of gather, so embeddings train on wasm) and
 * Conv2DBackpropFilter (conv2d's filter gradient, NHWC as wasm's conv2d). Same results
 * as the cpu backend's kernels.
 */
import * as tf from './tf.js';

interface HeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array;
}

function unsortedSegmentSum({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const heap = backend as HeapBackend;
  const x = inputs.x!;
  const ids = inputs.segmentIds!;
  const numSegments = attrs!.numSegments as number;
  const inner = x.shape.slice(ids.shape.length).reduce((a, b) => a * b, 1);
  const rows = ids.shape.reduce((a, b) => a * b, 1);
  const out = heap.makeOutput([numSegments, ...x.shape.slice(ids.shape.length)], x.dtype);
  const o = heap.typedArrayFromHeap(out);
  o.fill(0);
  const xv = heap.typedArrayFromHeap(x);
  const iv = heap.typedArrayFromHeap(ids);
  for (let r = 0; r < rows; r++) {
    const s = iv[r];
    if (s < 0 || s >= numSegments) continue;
    const src = r * inner;
    const dst = s * inner;
    for (let k = 0; k < inner; k++) o[dst + k] += xv[src + k];
  }
  return out;
}

function conv2DBackpropFilter({ inputs, attrs, backend }: { inputs: tf.NamedTensorInfoMap; attrs?: tf.NamedAttrMap; backend: unknown }): tf.TensorInfo {
  const heap = backend as HeapBackend;
  const x = inputs.x!;
  const dy = inputs.dy!;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as {
    strides: [number, number] | number; pad: 'valid' | 'same' | number; dataFormat: 'NHWC' | 'NCHW';
    dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number];
  };
  if (dataFormat === 'NCHW') throw new Error('conv2d filter gradient on wasm: only NHWC data, as wasm conv2d');
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, strideHeight, strideWidth, filterHeight, filterWidth } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const out = heap.makeOutput(filterShape, 'float32');
  const dW = heap.typedArrayFromHeap(out);
  dW.fill(0);
  const xv = heap.typedArrayFromHeap(x);
  const dv = heap.typedArrayFromHeap(dy);
  for (let b = 0; b < batchSize; b++) {
    for (let yr = 0; yr < outHeight; yr++) {
      for (let yc = 0; yc < outWidth; yc++) {
        const dyo = ((b * outHeight + yr) * outWidth + yc) * outChannels;
        for (let wr = 0; wr < filterHeight; wr++) {
          const xr = yr * strideHeight + wr - top;
          if (xr < 0 || xr >= inHeight) continue;
          for (let wc = 0; wc < filterWidth; wc++) {
            const xc = yc * strideWidth + wc - left;
            if (xc < 0 || xc >= inWidth) continue;
            const xo = ((b * inHeight + xr) * inWidth + xc) * inChannels;
            const wo = (wr * filterWidth + wc) * inChannels * outChannels;
            for (let ci = 0; ci < inChannels; ci++) {
              const xval = xv[xo + ci];
              if (xval === 0) continue;
              const row = wo + ci * outChannels;
              for (let co = 0; co < outChannels; co++) dW[row + co] += xval * dv[dyo + co];
            }
          }
        }
      }
    }
  }
  return out;
}

export function registerWasmKernels(): void {
  for (const [kernelName, kernelFunc] of [['UnsortedSegmentSum', unsortedSegmentSum], ['Conv2DBackpropFilter', conv2DBackpropFilter]] as const) {
    if (tf.getKernel(kernelName, 'wasm') === undefined) {
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
    }
  }
}
