// Seeded, deterministic mutations of spec texts for the crash hunt: token edits (delete, duplicate,
// swap, replace), random characters and binary chunks, deep nesting, very long lines, extreme
// numbers and shuffled names, plus specs made of random tokens. Takes a text and an Rng; gives text.
import { lex } from "../../src/compiler/lexer.js";
import type { Rng } from "../../src/runtime/random.js";

/** Words and marks that matter to the grammar and the checker. */
const VOCABULARY = [
  "spec",
  "import",
  "param",
  "dataset",
  "features",
  "tower",
  "quantizer",
  "model",
  "distill",
  "evaluate",
  "on",
  "experiment",
  "vary",
  "in",
  "by",
  "true",
  "false",
  "train",
  "synthetic",
  "amazon",
  "sequential",
  "two_tower",
  "generative",
  "ranking",
  "transformer",
  "softmax",
  "adam",
  "sgd",
  "embedding",
  "encoder",
  "users",
  "items",
  "history",
  "batch",
  "epochs",
  "steps",
  "micro_batch",
  "layers",
  "heads",
  "d_model",
  "d_ff",
  "max_positions",
  "recall@10",
  "ndcg",
  "@",
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  "=",
  ":",
  ",",
  ".",
  '"x"',
  '"',
  "/*",
  "*/",
  "//",
  "\n",
  "0",
  "1",
  "-1",
  "64",
  "1e9",
  "2147483648",
  "1e400",
  "0.5",
  "_",
];

/** Numbers that stress sizes, ranges and arithmetic. */
const EXTREMES = [
  "0",
  "-1",
  "1",
  "2",
  "3",
  "1e308",
  "1e400",
  "-1e308",
  "99999999999",
  "2147483648",
  "4294967297",
  "9007199254740993",
  "0.0000001",
  "1e-400",
  "1_000_000_000",
  "65536",
  "100000",
  "30000000",
];

/** Any UTF-16 code unit, weighted toward control characters, brackets and non-ASCII. */
function randomChar(rng: Rng): string {
  switch (rng.int(6)) {
    case 0:
      return String.fromCharCode(rng.int(32));
    case 1:
      return "{}[]()=:,.@\"\\/*#$%^&|~`'"[rng.int(25)];
    case 2:
      return String.fromCharCode(0x80 + rng.int(0x800));
    case 3:
      return String.fromCharCode(0xd800 + rng.int(0x800)); // lone surrogates
    default:
      return String.fromCharCode(32 + rng.int(95));
  }
}

function insert(text: string, at: number, piece: string): string {
  return text.slice(0, at) + piece + text.slice(at);
}

/** One mutation of `text`, chosen at random. */
export function mutate(text: string, rng: Rng): string {
  const at = rng.int(text.length + 1);
  const tokens = lex(text).tokens;
  const token = () => tokens[rng.int(tokens.length)];
  switch (rng.int(14)) {
    case 0: {
      // Delete a token.
      if (tokens.length === 0) return text;
      const t = token();
      return text.slice(0, t.startOffset) + text.slice(t.startOffset + t.image.length);
    }
    case 1: {
      // Duplicate a token.
      if (tokens.length === 0) return text;
      const t = token();
      return insert(text, t.startOffset, `${t.image} `);
    }
    case 2: {
      // Swap two tokens.
      if (tokens.length < 2) return text;
      let [a, b] = [token(), token()];
      if (a.startOffset > b.startOffset) [a, b] = [b, a];
      if (a === b || a.startOffset + a.image.length > b.startOffset) return text;
      return (
        text.slice(0, a.startOffset) +
        b.image +
        text.slice(a.startOffset + a.image.length, b.startOffset) +
        a.image +
        text.slice(b.startOffset + b.image.length)
      );
    }
    case 3: {
      // Replace a token by a word of the language.
      if (tokens.length === 0) return text;
      const t = token();
      return text.slice(0, t.startOffset) + VOCABULARY[rng.int(VOCABULARY.length)] + text.slice(t.startOffset + t.image.length);
    }
    case 4: {
      // Replace a number by an extreme one.
      const numbers = tokens.filter((t) => t.tokenType.name === "NumberLiteral");
      if (numbers.length === 0) return text;
      const t = numbers[rng.int(numbers.length)];
      return text.slice(0, t.startOffset) + EXTREMES[rng.int(EXTREMES.length)] + text.slice(t.startOffset + t.image.length);
    }
    case 5:
      // A few random characters.
      return insert(text, at, Array.from({ length: 1 + rng.int(8) }, () => randomChar(rng)).join(""));
    case 6:
      // A binary chunk (NUL bytes included).
      return insert(text, at, Array.from({ length: 16 + rng.int(256) }, () => String.fromCharCode(rng.int(256))).join(""));
    case 7: {
      // Deep nesting, closed or not.
      const open = "[({"[rng.int(3)];
      const close = { "[": "]", "(": ")", "{": "}" }[open]!;
      const depth = 1 + rng.int(300);
      return insert(text, at, open.repeat(depth) + (rng.int(2) ? close.repeat(depth) : ""));
    }
    case 8: {
      // A very long line of one piece.
      const piece = rng.int(2) ? VOCABULARY[rng.int(VOCABULARY.length)].replace("\n", " ") : randomChar(rng);
      return insert(text, at, `${piece} `.repeat(200 + rng.int(3000)));
    }
    case 9:
      // Delete a range.
      return text.slice(0, at) + text.slice(at + 1 + rng.int(60));
    case 10:
      // Truncate.
      return text.slice(0, at);
    case 11: {
      // Duplicate a range (often a whole declaration).
      const len = 1 + rng.int(400);
      return insert(text, at, text.slice(at, at + len));
    }
    case 12: {
      // Rename a name to another name of the text.
      const names = tokens.filter((t) => /^[A-Za-z_]/.test(t.image));
      if (names.length < 2) return text;
      const t = names[rng.int(names.length)];
      return text.slice(0, t.startOffset) + names[rng.int(names.length)].image + text.slice(t.startOffset + t.image.length);
    }
    default:
      // A word of the language anywhere.
      return insert(text, at, ` ${VOCABULARY[rng.int(VOCABULARY.length)]} `);
  }
}

/** Names a spec can use: attributes, constructors and options that the checker knows. */
const NAMES = [
  "embedding",
  "encoder",
  "decoder",
  "users",
  "items",
  "clusters",
  "items_per_cluster",
  "interests_per_user",
  "length",
  "history",
  "min_length",
  "batch",
  "micro_batch",
  "epochs",
  "steps",
  "layers",
  "heads",
  "head_dim",
  "d_model",
  "d_ff",
  "max_positions",
  "interests",
  "output",
  "latent",
  "levels",
  "codebook",
  "buckets",
  "rows",
  "vocab",
  "n",
  "k",
  "seeds",
  "temperature",
  "alpha",
  "positions",
  "score",
  "loss",
  "weighting",
  "item",
  "user",
  "ids",
  "data",
  "features",
  "teacher",
  "student",
  "metrics",
  "slices",
  "synthetic",
  "amazon",
  "movielens",
  "interactions",
  "sequential",
  "two_tower",
  "generative",
  "ranking",
  "distill",
  "item_tower",
  "multi_interest",
  "sequence_encoder",
  "rqvae",
  "lsh",
  "random_ids",
  "content_vectors",
  "vectors",
  "transformer",
  "mlp",
  "softmax",
  "sampled_softmax",
  "logistic",
  "idw",
  "beam",
  "hashed",
  "no_user",
  "random_id",
  "semantic_id",
  "dense",
  "ngram",
  "spm",
  "adam",
  "adamw",
  "sgd",
  "adagrad",
  "cosine",
  "inverse_sqrt",
  "popularity",
  "all",
  "cold_start",
  "full",
  "sampled",
  "last",
  "dot",
  "max_interest",
  "in_batch",
  "uniform",
  "suffix_token",
  "none",
  "recall",
  "ndcg",
  "mrr",
  "hit",
];

function lines(text: string): string[] {
  return text.split("\n");
}

/**
 * One mutation that mostly keeps the text parseable, so that the checker (not only the parser) sees
 * odd specs: extreme numbers, names swapped for other names the checker knows, whole lines deleted,
 * duplicated or swapped, and attributes with extreme values added to bodies.
 */
export function mutateMeaning(text: string, rng: Rng): string {
  const tokens = lex(text).tokens;
  switch (rng.int(6)) {
    case 0: {
      const numbers = tokens.filter((t) => t.tokenType.name === "NumberLiteral");
      if (numbers.length === 0) return text;
      const t = numbers[rng.int(numbers.length)];
      return text.slice(0, t.startOffset) + EXTREMES[rng.int(EXTREMES.length)] + text.slice(t.startOffset + t.image.length);
    }
    case 1: {
      const names = tokens.filter((t) => t.tokenType.name === "Identifier");
      if (names.length === 0) return text;
      const t = names[rng.int(names.length)];
      return text.slice(0, t.startOffset) + NAMES[rng.int(NAMES.length)] + text.slice(t.startOffset + t.image.length);
    }
    case 2: {
      const all = lines(text);
      all.splice(rng.int(all.length), 1);
      return all.join("\n");
    }
    case 3: {
      const all = lines(text);
      const i = rng.int(all.length);
      all.splice(i, 0, all[rng.int(all.length)]);
      return all.join("\n");
    }
    case 4: {
      const all = lines(text);
      const [i, j] = [rng.int(all.length), rng.int(all.length)];
      [all[i], all[j]] = [all[j], all[i]];
      return all.join("\n");
    }
    default: {
      const braces = tokens.filter((t) => t.image === "{");
      if (braces.length === 0) return text;
      const t = braces[rng.int(braces.length)];
      const value = rng.int(3) === 0 ? NAMES[rng.int(NAMES.length)] : EXTREMES[rng.int(EXTREMES.length)];
      return insert(text, t.startOffset + 1, `\n  ${NAMES[rng.int(NAMES.length)]} = ${value}\n`);
    }
  }
}

/** A spec of random words of the language. */
export function randomSpec(rng: Rng): string {
  const length = rng.int(300);
  const words: string[] = [];
  for (let i = 0; i < length; i++) words.push(rng.int(20) === 0 ? EXTREMES[rng.int(EXTREMES.length)] : VOCABULARY[rng.int(VOCABULARY.length)]);
  return words.join(rng.int(2) ? " " : "\n");
}

/** A `--set` for the crash hunt: a dotted path from the text's names, an extreme or odd value. */
export function randomSet(text: string, rng: Rng): string {
  const names = [
    ...new Set(
      lex(text)
        .tokens.filter((t) => /^[A-Za-z_]\w*$/.test(t.image))
        .map((t) => t.image),
    ),
  ];
  const pick = () => (names.length > 0 ? names[rng.int(names.length)] : "x");
  const key = Array.from({ length: 1 + rng.int(3) }, pick).join(".");
  const values = [...EXTREMES, "true", '"s"', "[1, 2]", "adam(lr: 0)", "transformer(layers: 64, d_model: 65536)", "[", "", "x.y"];
  return `${key}=${values[rng.int(values.length)]}`;
}
