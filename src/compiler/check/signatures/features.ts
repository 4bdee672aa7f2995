// Constructors of `features` blocks: per-item content vectors.
import type { Signature } from "../types.js";
import { attr, bool, int, oneOf, positional, ref, required, str } from "./helpers.js";

export const featureSignatures: Signature[] = [
  {
    name: "content_vectors",
    of: "features",
    doc: "Item content vectors computed locally: TF-IDF over item attributes or text, reduced by a seeded truncated SVD.",
    attributes: [
      positional(required("items", ref(["dataset"], "items"), "The item catalogue, e.g. `beauty.items`.")),
      attr("method", oneOf("tfidf_svd"), "tfidf_svd", "How vectors are computed."),
      attr("dim", int(1, 4096), 256, "Dimensions of each vector."),
      attr("source", oneOf("auto", "attributes", "text"), "auto", "What to read: item attributes, item text, or whichever the data has."),
      attr("normalize", bool, true, "L2-normalise each vector."),
      attr("seed", int(), 0, "Seed of the randomized SVD."),
    ],
  },
  {
    name: "vectors",
    of: "features",
    doc: 'Precomputed item vectors from a file the user provides (JSON Lines `{"item": id, "vector": [...]}`).',
    attributes: [
      positional(required("path", str, "The vectors file, relative to the spec file.")),
      required("items", ref(["dataset"], "items"), "The item catalogue the vectors describe."),
      required("dim", int(1), "Dimensions of each vector (checked when loading)."),
      attr(
        "missing",
        oneOf("error", "zeros"),
        "error",
        "A file that does not describe exactly the catalogue: an error naming both sides, or zero vectors for items without one (vectors of unknown items skipped).",
      ),
    ],
  },
];
