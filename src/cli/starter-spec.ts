// The spec `recspec init` writes: small, commented, and runnable anywhere recspec is installed (its
// data path falls back to the package's bundled Amazon Beauty data). Kept in canonical `fmt` layout
// and checked clean by test/cli/init-examples.test.ts.
export const STARTER_FILE = "starter.recspec";

export const STARTER_SPEC = `spec starter

// A starter spec: a SASRec-style next-item model on the Amazon Beauty data bundled with recspec.
// Run it with \`recspec run starter.recspec\`; \`recspec check\` explains any mistake you make while
// editing. Every attribute, its type and default is in recspec's docs/reference.md.
//
// A data set: the reader, how it is split and how much history a user keeps. A path is looked up
// beside this file, then in the working folder, then in the recspec package.
dataset beauty = amazon("data/amazon-beauty", name: "Beauty") {
  split   = leave_last_out  // each user's last item is the test target, the one before validation
  history = 50
}

// A model: a causal transformer over the user's history, trained with a full softmax over items.
model sasrec = sequential(beauty) {
  embedding = 32
  encoder   = transformer(layers: 1, heads: 2, d_ff: 128, dropout: 0.2, causal: true)
  loss      = softmax

  train {
    optimizer = adam(lr: 1e-3)
    epochs    = 2  // raise for better numbers; \`--set sasrec.train.epochs=10\` tries it without editing
    batch     = 256
  }
}

// Evaluation on the test split, beside the popularity baseline, overall and on the head items.
evaluate sasrec on beauty.test {
  metrics = [recall@10, ndcg@10]
  slices  = [all, popularity(head: 0.2)]
}
`;
