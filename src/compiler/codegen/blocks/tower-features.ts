// The side features of a `user_tower` or `item_tower` as code in its class: a field and an
// embedding table per feature (made in the constructor from the data set's store), the lines of
// `vectors` that look each one up (a user feature's row; an item feature's mean over its values),
// and how they join the id embedding: summed when the tower has no MLP, concatenated before it
// otherwise. Takes the tower's block and its data set's block; gives the pieces of code.
import type { IRBlock } from "../../../ir/ir.js";
import { literal } from "../literal.js";

export interface TowerFeatures {
  readonly names: readonly string[];
  /** Field declarations (with doc comments), indented for the class body. */
  readonly fields: string;
  /** Constructor statements making each feature's rows and table. */
  readonly make: string;
  /** Statements of `vectors` computing each feature's [n, E] vectors, named after the feature. */
  readonly lookup: (ids: string, n: string) => string;
  /** The tower's input before any MLP: id vectors and feature vectors summed or concatenated. */
  readonly join: (id: string, n: string, mlp: boolean) => string;
  /** Width of that input. */
  readonly width: (mlp: boolean) => number;
}

const USER_FEATURE_DOC: Record<string, string> = {
  age: "age in 7 buckets (under 18, 18–24, 25–34, 35–44, 45–49, 50–55, 56+)",
  gender: "gender",
  occupation: "occupation",
};

/** Where a feature's values are read from, spec-relative, for the runtime's messages. */
function featureFile(data: IRBlock, side: "user" | "item"): string {
  const dir = String(data.attributes.dir ?? "").replace(/\/+$/, "");
  if (data.type === "amazon") return `${dir}/${String(data.attributes.name)}_item2attributes.json`;
  return `${dir}/${side === "user" ? "u.user" : "u.item"}`;
}

/** Camel-case field name of a feature (`age` → `age`, table `ageTable`). */
function field(name: string): string {
  return name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

export function towerFeatures(block: IRBlock, data: IRBlock): TowerFeatures {
  const names = ((block.attributes.features as string[] | undefined) ?? []).map(String);
  const e = Number(block.attributes.embedding);
  const side = block.type === "user_tower" ? "user" : "item";
  const source = literal({ tower: block.name, dataset: data.name, file: featureFile(data, side) });
  const fields = names
    .map((name) => {
      const f = field(name);
      const rows = side === "user" ? "UserFeatureRows" : "ItemFeatureLists";
      const what =
        side === "user"
          ? `Each user's row of \`${f}Table\` (${USER_FEATURE_DOC[name]}; row 0: no value).`
          : `Each item's ${name} as rows of \`${f}Table\`, with the weights of their mean.`;
      const rowsOfTable = name === "age" ? "8" : "values + 1";
      return `  /** ${what} */
  private readonly ${f}: ${rows};
  /** ${name[0].toUpperCase() + name.slice(1)} embedding [${rowsOfTable}, ${e}]${side === "item" ? " (row 0 the padding value)" : ""}. */
  private readonly ${f}Table: tf.Variable;`;
    })
    .join("\n");
  const make = names
    .map((name) => {
      const f = field(name);
      const rows = side === "user" ? "UserFeatureRows" : "ItemFeatureLists";
      return `this.${f} = new ${rows}(store, ${literal(name)}, ${source});
    this.${f}Table = params.scope(${literal(`${name}_embedding`)}).get("table", [this.${f}.size, ${e}], normal(0.05));`;
    })
    .join("\n    ");
  const lookup = (ids: string, n: string) =>
    names
      .map((name) => {
        const f = field(name);
        if (side === "user") return `const ${f} = tf.gather(this.${f}Table, tf.tensor1d(this.${f}.of(${ids}), "int32")) as tf.Tensor2D; // [${n}, ${e}]`;
        return `const ${f}Lists = this.${f}.of(${ids}); // rows, weights: [${n}, W], W the most ${name} of an item
      const ${f} = tf.sum(tf.mul(tf.gather(this.${f}Table, ${f}Lists.rows), tf.expandDims(${f}Lists.weights, 2)), 1) as tf.Tensor2D; // [${n}, ${e}]: the mean of the item's ${name}`;
      })
      .join("\n      ");
  const width = (mlp: boolean) => (mlp ? e * (1 + names.length) : e);
  const join = (id: string, n: string, mlp: boolean) => {
    const parts = [id, ...names.map(field)];
    return mlp
      ? `tf.concat([${parts.join(", ")}], 1) as tf.Tensor2D; // [${n}, ${width(true)}]: id and features side by side`
      : `tf.addN([${parts.join(", ")}]) as tf.Tensor2D; // [${n}, ${e}]: id and features summed`;
  };
  return { names, fields, make, lookup, join, width };
}
