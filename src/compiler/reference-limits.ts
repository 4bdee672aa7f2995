// The "Limits" section of docs/reference.md: what the compiler refuses to read (binary data, huge
// files, deep nesting), how many diagnostics it prints, and the memory it lets a spec ask for. Takes
// the limits from the modules that enforce them; gives markdown lines that reference-doc.ts places
// before the diagnostic codes, so the numbers in the docs are the numbers in the code.
import { MAX_SPEC_NAME } from "./check/spec-name.js";
import { MAX_TENSOR_VALUES, SYNTHETIC_BYTES_PER_ENTITY, SYNTHETIC_BYTES_PER_INTERACTION } from "./check/memory-estimate.js";
import { DATA_HEAP_SHARE, MEMORY_LIMIT_ENV } from "./check/memory-limit.js";
import { MAX_RENDERED_PER_FILE } from "./diagnostics/render.js";
import { BINARY_SAMPLE, BINARY_SHARE, MAX_NESTING, MAX_SPEC_CHARS, MAX_SYNTAX_DIAGNOSTICS } from "./input-limits.js";

export const LIMITS_SECTION: readonly string[] = [
  "## Limits",
  "",
  `**Input.** A file with a NUL byte, with control characters or bytes that are not UTF-8 in ${BINARY_SHARE * 100}% of its first`,
  `${BINARY_SAMPLE} characters, or with more than ${MAX_SPEC_CHARS} characters is not read as a spec: one RS1009 error says why.`,
  `Brackets (\`[\`, \`(\`, \`{\` together) nest at most ${MAX_NESTING} levels; the first one deeper is RS1010 and its`,
  `declaration is not parsed. A file reports at most ${MAX_SYNTAX_DIAGNOSTICS} syntax errors, then RS1011 counts the rest`,
  `(parsing stops once that many are found). \`check\` prints at most ${MAX_RENDERED_PER_FILE} diagnostics per file and a line`,
  "`… and N more in FILE`; a source line longer than 200 characters is shown as a window of 120 around the",
  "error, cut with `…`, and a quoted token longer than 40 characters is shortened.",
  "",
  `**Spec names.** The spec's name (\`spec NAME\`, else the file's name) names folders such as \`runs/<name>/\`: at most`,
  `${MAX_SPEC_NAME} bytes (RS4014).`,
  "",
  "**Memory.** The checker estimates what each block allocates and refuses what cannot run, before a run starts:",
  "",
  `- no tensor may hold more than ${MAX_TENSOR_VALUES.toLocaleString("en-US")} values (RS4013, on any machine);`,
  "- the tensors of one block — weights with their optimizer slots (Adam and AdamW 2, Adagrad 1, SGD with momentum 1,",
  "  plain SGD 0), and the activations of one step — may take at most the memory limit (RS4012). The limit is",
  `  \`recspec check --memory-limit SIZE\` (\`16GB\`, \`512MiB\`) when given, else the \`${MEMORY_LIMIT_ENV}\` environment`,
  "  variable, else this machine's memory; `run`, `train` and `compile` use the variable or the machine;",
  `- synthetic data is generated in the JavaScript heap: ${SYNTHETIC_BYTES_PER_INTERACTION} bytes per interaction (\`users\` × \`length\`) and`,
  `  ${SYNTHETIC_BYTES_PER_ENTITY} per user and item may take at most ${DATA_HEAP_SHARE * 100}% of Node's heap limit (RS4012; raise it with`,
  "  `NODE_OPTIONS=--max-old-space-size=MB`).",
  "",
  "Counted: item and token embedding tables (`items + 1` rows × `embedding`), transformer layers (q, k, v and output",
  "projections `d_model × heads·head_dim`, feed-forward `d_model × d_ff` twice, the position table, cross-attention in a",
  "decoder), tower and scoring MLPs, hashed and n-gram tables, quantizer codebooks, content vectors, a two-tower",
  "model's catalogue vectors, the attention scores and logits of one step (`micro_batch` examples when set; otherwise",
  "the runtime splits a batch to fit, down to one example), a batch's input histories and synthetic data's histories",
  "and per-item arrays. Biases, norms and temporaries are not: the estimate is a floor. A",
  "real data set's catalogue size is known only when it is read, so over one the estimate counts what is known and",
  "says “at least”.",
  "",
];
