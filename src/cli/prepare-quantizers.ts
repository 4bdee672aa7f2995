// The Semantic IDs a prepared generative model needs, made by the generated program itself: the
// item features a quantizer reads (the program's loader) and the quantizer (the program's class,
// fitted by the runtime's fitSemanticIds, so the RQ-VAE trains exactly as `recspec run` trains it).
// Takes the program's exports, the plan's blocks, the run and the loaded data sets; gives, per
// quantizer name, the fitted quantizer, each made once and only when a handed-over model asks.
import type { BlockCode } from "../compiler/codegen/blocks/block-code.js";
import { refName } from "../compiler/codegen/blocks/block-code.js";
import type { ItemFeatures } from "../runtime/features/index.js";
import type { PreparedData } from "../runtime/pipeline/prepare-data.js";
import type { Run } from "../runtime/program/run.js";
import type { Quantizer } from "../runtime/quantizers/quantizer.js";
import { fitSemanticIds } from "../runtime/quantizers/semantic-id-stage.js";

export class PreparedQuantizers {
  private readonly features = new Map<string, Promise<ItemFeatures>>();
  private readonly fitted = new Map<string, Promise<Quantizer>>();

  constructor(
    private readonly program: Record<string, unknown>,
    private readonly blocks: readonly BlockCode[],
    private readonly run: Run,
    private readonly datasets: ReadonlyMap<string, PreparedData>,
  ) {}

  /** The quantizer called `name`, fitted (its table saved under the prepared folder, as a run saves it). */
  quantizer(name: string): Promise<Quantizer> {
    let made = this.fitted.get(name);
    if (made === undefined) {
      made = this.fit(name);
      this.fitted.set(name, made);
    }
    return made;
  }

  /** Frees the quantizers made (the RQ-VAE's weights). */
  async dispose(): Promise<void> {
    for (const q of this.fitted.values()) (await q).dispose();
  }

  private async fit(name: string): Promise<Quantizer> {
    const code = this.code(name, "quantizer");
    const cls = this.program[code.exports[0]] as new (input: ItemFeatures | number) => Quantizer;
    // As the block's `make` says: rqvae and lsh read item features, random_ids the catalogue size.
    const input = code.block.type === "random_ids" ? this.data(code.block.dataset).numItems : await this.itemFeatures(refName(code.block.attributes.features));
    const quantizer = new cls(input);
    await fitSemanticIds(this.run, quantizer);
    return quantizer;
  }

  /** The content vectors called `name`, loaded once (a quantizer's input, or a dense ranking model's). */
  itemFeatures(name: string): Promise<ItemFeatures> {
    let made = this.features.get(name);
    if (made === undefined) {
      const code = this.code(name, "features");
      const load = this.program[code.exports[0]] as (run: Run, data: PreparedData) => Promise<ItemFeatures>;
      made = load(this.run, this.data(code.block.dataset));
      this.features.set(name, made);
    }
    return made;
  }

  private code(name: string, kind: string): BlockCode {
    const code = this.blocks.find((c) => c.block.name === name);
    if (code === undefined || code.block.kind !== kind) throw new Error(`internal: no ${kind} block ${name} in the program`);
    return code;
  }

  private data(name: string): PreparedData {
    const data = this.datasets.get(name);
    if (data === undefined) throw new Error(`internal: data set ${name} is not loaded before its features or quantizer`);
    return data;
  }
}
