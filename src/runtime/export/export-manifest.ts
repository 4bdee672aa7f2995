// The export's model.json and weights.bin in the TensorFlow.js weights format: a manifest listing
// each tensor's name, shape and dtype, and one binary file holding them back to back in that
// order, little-endian (as tf.io writes them; tf.io.decodeWeights reads them). Takes the exported
// vectors and what names them; gives the manifest object and the bytes.
import type { ExportedVectors } from "./export-vectors.js";

/** What a browser needs besides the weights to recommend by raw ids. */
export interface ExportInfo {
  readonly spec: string;
  readonly model: string;
  /** The run folder the weights came from. */
  readonly run: string;
  readonly generatedBy: string;
}

export interface WeightSpec {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: "float32" | "int32";
}

export interface ExportManifest {
  readonly format: "recspec-vectors";
  readonly generatedBy: string;
  readonly convertedBy: null;
  readonly recspec: {
    readonly spec: string;
    readonly model: string;
    readonly run: string;
    /** score(u, i) = max over heads h of <queries[u, h], items[i]>. */
    readonly scoring: "max_dot";
    readonly heads: number;
    readonly dim: number;
    readonly users: number;
    readonly items: number;
  };
  readonly weightsManifest: [{ readonly paths: ["weights.bin"]; readonly weights: WeightSpec[] }];
  /** Raw user ids by index (row u of `queries`). */
  readonly userIds: readonly string[];
  /** Raw item ids by index (row i of `items`); [0] is "", the padding item. */
  readonly itemIds: readonly string[];
}

export function exportManifest(v: ExportedVectors, info: ExportInfo): { manifest: ExportManifest; weights: Uint8Array } {
  const users = v.userIds.length;
  const tensors: { spec: WeightSpec; values: Float32Array | Int32Array }[] = [
    { spec: { name: "queries", shape: [users, v.heads, v.dim], dtype: "float32" }, values: v.queries },
    { spec: { name: "items", shape: [v.itemIds.length, v.dim], dtype: "float32" }, values: v.items },
    { spec: { name: "seen_offsets", shape: [users + 1], dtype: "int32" }, values: v.seenOffsets },
    { spec: { name: "seen_items", shape: [v.seenItems.length], dtype: "int32" }, values: v.seenItems },
  ];
  for (const { spec, values } of tensors) {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (size !== values.length) throw new Error(`internal: export tensor ${spec.name} of shape [${spec.shape}] holds ${values.length} values`);
  }
  const weights = new Uint8Array(tensors.reduce((n, t) => n + t.values.length * 4, 0));
  const view = new DataView(weights.buffer);
  let at = 0;
  for (const { values } of tensors) {
    // Little-endian whatever the machine's order, as the format says.
    if (values instanceof Float32Array) for (const x of values) view.setFloat32((at += 4) - 4, x, true);
    else for (const x of values) view.setInt32((at += 4) - 4, x, true);
  }
  const manifest: ExportManifest = {
    format: "recspec-vectors",
    generatedBy: info.generatedBy,
    convertedBy: null,
    recspec: { spec: info.spec, model: info.model, run: info.run, scoring: "max_dot", heads: v.heads, dim: v.dim, users, items: v.itemIds.length - 1 },
    weightsManifest: [{ paths: ["weights.bin"], weights: tensors.map((t) => t.spec) }],
    userIds: v.userIds,
    itemIds: v.itemIds,
  };
  return { manifest, weights };
}
