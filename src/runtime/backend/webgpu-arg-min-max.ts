// ArgMin and ArgMax for the webgpu backend that pick the first index among equal values, as the
// cpu and wasm backends do. Takes nothing; gives nothing, but replaces the backend's two kernels.
// Why: tfjs's shader reduces a long row in a workgroup tree that keeps the left slot's index on a
// tie, and that slot may hold a later index. Exact ties are common where it matters: an RQ-VAE's
// k-means initialisation from a batch smaller than the codebook leaves duplicate codes, so the
// Semantic IDs (and everything TIGER trains on) differed from wasm's. One thread per output row,
// scanning the row in order, is plenty for the rows this serves (codebooks, interest heads).
import * as tf from "@tensorflow/tfjs-core";

const WORKGROUP = 64;
const XYZW = ["x", "y", "z", "w"];

/** What tfjs's webgpu backend needs of a program (the fields of its WebGPUProgram). */
interface FirstIndexProgram {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];
  variableNames: string[];
  size: boolean;
  getUserCode(): string;
}

interface RunsPrograms {
  runWebGPUProgram(program: FirstIndexProgram, inputs: tf.TensorInfo[], dtype: tf.DataType): tf.TensorInfo;
}

function firstIndexProgram(shape: number[], op: "<" | ">"): FirstIndexProgram {
  const rank = shape.length;
  const outputShape = rank === 1 ? [1] : shape.slice(0, -1);
  const size = outputShape.reduce((a, b) => a * b, 1);
  const groups = Math.ceil(size / WORKGROUP);
  // tfjs spreads a flat dispatch over y past the per-dimension limit; one dimension covers 4M rows.
  if (groups > 65_535) throw new Error(`arg${op === "<" ? "Min" : "Max"}: ${size} rows exceed one dispatch dimension`);
  // getX takes one coordinate per input dimension: the output's coordinates, then the reduced one.
  const outer = rank === 1 ? "" : rank === 2 ? "coords, " : outputShape.map((_, i) => `coords.${XYZW[i]}, `).join("");
  const length = rank === 1 ? "uniforms.xShape" : `uniforms.xShape.${XYZW[rank - 1]}`;
  return {
    outputShape,
    shaderKey: `firstIndexArg_${op}_${rank}`,
    dispatchLayout: { x: outputShape.map((_, i) => i) },
    dispatch: [groups, 1, 1],
    workgroupSize: [WORKGROUP, 1, 1],
    variableNames: ["x"],
    size: true,
    getUserCode: () => `
      fn main(index : i32) {
        if (index < uniforms.size) {
          let coords = getCoordsFromIndex(index);
          let n = ${length};
          var best = getX(${outer}0);
          var at = 0;
          for (var k = 1; k < n; k++) {
            let v = getX(${outer}k);
            // NaN never wins, as on the cpu backend; a strict comparison keeps the first of equals.
            if (v ${op} best || (isnan(best) && !isnan(v))) {
              best = v;
              at = k;
            }
          }
          setOutputAtIndexI32(index, at);
        }
      }`,
  };
}

let installed = false;

export function installFirstIndexArgMinMax(): void {
  if (installed) return;
  for (const [kernelName, op] of [
    ["ArgMin", "<"],
    ["ArgMax", ">"],
  ] as const) {
    const original = tf.getKernel(kernelName, "webgpu");
    if (original === undefined) throw new Error(`the webgpu backend has no ${kernelName} kernel to replace`);
    const kernelFunc: tf.KernelFunc = (args) => {
      const x = (args.inputs as { x: tf.TensorInfo }).x;
      const axis = (args.attrs as { axis: number | number[] }).axis;
      const a = Array.isArray(axis) ? axis[0] : axis;
      const rank = x.shape.length;
      // Reductions over an inner axis of rank ≤ 4 (all this runtime asks for); others as tfjs does.
      if ((a + rank) % rank !== rank - 1 || rank > 4) return original.kernelFunc(args);
      return (args.backend as unknown as RunsPrograms).runWebGPUProgram(firstIndexProgram([...x.shape], op), [x], "int32");
    };
    tf.unregisterKernel(kernelName, "webgpu");
    tf.registerKernel({ kernelName, backendName: "webgpu", kernelFunc });
  }
  installed = true;
}
