// The PyTorch target: IR → a plain Python package (model.py, data.py, train.py, evaluate.py,
// README.md), emitted beside the TypeScript target from the same IR. Takes the IR; gives the files,
// or a PytorchTargetError naming what the target does not cover.
import type { IR } from "../../ir/index.js";
import type { EmittedFile } from "../codegen/emit.js";
import { commentText } from "../codegen/escape.js";
import { dataPy } from "./data-py.js";
import { evaluatePy } from "./evaluate-py.js";
import { modelPy } from "./model-py.js";
import { pytorchPlan } from "./plan.js";
import { pyComment } from "./python.js";
import { readme } from "./readme.js";
import { trainPy } from "./train-py.js";

export { PytorchTargetError, PYTORCH_FAMILIES } from "./plan.js";

/** The package's files; the caller writes them. */
export function generatePytorch(ir: IR): EmittedFile[] {
  const plan = pytorchPlan(ir);
  const banner = (what: string) => `"""${what}\n\nGenerated from ${pyComment(commentText(ir.source))} by recspec (--target pytorch); edit freely.\n"""`;
  return [
    { name: "model.py", text: modelPy(plan, banner(`The models of spec ${pyComment(ir.spec)} as torch.nn.Modules.`)) },
    { name: "data.py", text: dataPy(plan, banner("Reads the data, batches and initial weights recspec prepare wrote.")) },
    { name: "train.py", text: trainPy(plan, banner(`Trains the models of spec ${pyComment(ir.spec)}; under torchrun with DDP.`)) },
    { name: "evaluate.py", text: evaluatePy(plan, banner(`Evaluates the trained models of spec ${pyComment(ir.spec)}.`)) },
    { name: "README.md", text: readme(plan) },
  ];
}
