// The error for a diverging loss (RS6003). Takes the message, the 1-based step, the 0-based epoch
// and either a help line or the settings the step ran with (learning rate, clip norm); gives a
// RunError whose help names what to change in the spec by the spec's own attribute paths
// (`seq.train.optimizer.lr`, `seq.train.clip`) once the block is known — the training loop does
// not know it, so the help is rewritten when an outer layer adds the block with withContext.
import { RunError, type RunContext } from "./run-error.js";

/** What the diverging step ran with. */
export interface DivergenceSettings {
  readonly lr: number;
  /** The train block's `clip` (global-norm clipping), when set. */
  readonly clip?: number | undefined;
}

/** What to change in the spec, naming the attributes as the spec (and `--set`) writes them. */
export function divergenceHelp(settings: DivergenceSettings, block?: string): string {
  const path = (attribute: string) => `\`${block}.train.${attribute}\``;
  const lr = block === undefined ? "`lr` of the optimizer" : `\`lr\` of the optimizer, ${path("optimizer.lr")}`;
  const clip = block === undefined ? "" : `${path("clip")}; `;
  const lower = `lower the learning rate (${lr}; this step used ${settings.lr})`;
  return settings.clip === undefined
    ? `${lower}, or clip the gradient with \`clip\` in the train block (${clip}e.g. clip = 1.0)`
    : `${lower}, or a smaller \`clip\` in the train block (${clip}now ${settings.clip})`;
}

/** Thrown when the loss or the gradients stop being finite. `step` is 1-based, `epoch` 0-based
 * like StepContext; the diagnostic context counts both from 1. */
export class NonFiniteLossError extends RunError {
  private readonly settings: DivergenceSettings | undefined;

  constructor(
    message: string,
    readonly step: number,
    readonly epoch: number,
    help?: string | DivergenceSettings,
  ) {
    const text = typeof help === "object" ? divergenceHelp(help) : help;
    super("RS6003", message, { context: { step, epoch: epoch + 1 }, ...(text !== undefined ? { help: text } : {}) });
    this.settings = typeof help === "object" ? help : undefined;
  }

  override withContext(outer: RunContext): this {
    super.withContext(outer);
    const block = this.context.block;
    if (this.settings !== undefined && block !== undefined) (this as { help?: string }).help = divergenceHelp(this.settings, block);
    return this;
  }
}
