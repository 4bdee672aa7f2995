// The README.md of an export folder: what is inside, how to serve it, how a page uses it, and what
// it cannot do. Takes the manifest; gives the text.
import type { ExportManifest } from "./export-manifest.js";

export function exportReadme(m: ExportManifest): string {
  const r = m.recspec;
  const heads = r.heads === 1 ? "one query vector" : `${r.heads} query vectors (interests)`;
  return `# ${r.model} (spec ${r.spec}), exported for the browser

Written by \`recspec export\` (${m.generatedBy}) from the run ${r.run}.
It recommends as \`recspec recommend\` does — the same items in the same order, with the same scores
(to float32 rounding) — in a web page, with TensorFlow.js and no build step or server code.

| file | what it is |
| --- | --- |
| \`model.json\` | the weights manifest (TensorFlow.js format: each tensor's name, shape and dtype) with the raw user and item ids |
| \`weights.bin\` | the tensors, little-endian, back to back: \`queries\` [${r.users}, ${r.heads}, ${r.dim}], \`items\` [${r.items + 1}, ${r.dim}], \`seen_offsets\`, \`seen_items\` |
| \`recommend.js\` | the inference module (a plain ES module): \`loadRecommender(baseUrl)\` |
| \`tf-core.min.js\`, \`tf-backend-cpu.min.js\` | TensorFlow.js ${"(core and its CPU backend)"}, copied so that nothing is downloaded |
| \`index.html\` | a demo page: a user id box and the top-K list |

## Serving it

Browsers do not load \`model.json\` into a page opened from a \`file://\` address, so serve the folder
over HTTP, for example:

    python3 -m http.server --directory . 8000     # or: npx http-server .

and open http://localhost:8000/.

## Using it in a page

    <script src="tf-core.min.js"></script>
    <script src="tf-backend-cpu.min.js"></script>
    <script type="module">
      import { loadRecommender } from "./recommend.js";
      const recommender = await loadRecommender();            // this folder; or loadRecommender(url)
      const items = await recommender.recommend("${m.userIds[0] ?? "USER"}", 10); // [{ item, score }], best first
    </script>

\`recommend(userId, k, { includeSeen })\` leaves the user's own items out unless \`includeSeen\` is true,
and throws for a user id the export does not know.

## How it scores, and what it cannot do

Each user has ${heads} of ${r.dim} numbers; each item one vector of ${r.dim}. A user's score of an
item is the ${r.heads === 1 ? "dot product of the two" : "best dot product of the user's query vectors with the item's"}.
The query vectors were computed at export time from each user's history in the data set
(${r.users} users, ${r.items} items), so the page serves **the users known when the model was
exported**, with the histories they had then: a new user, or a user's newer interactions, needs a
fresh \`recspec export\` after training or with the new data.
`;
}
