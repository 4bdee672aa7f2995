// The tiny TIGER spec the PyTorch parity tests share: 120 synthetic users, 2-level random IDs of
// 4 codes, 1 + 1 layers of width 8, 6 training steps. Takes the beam width and the evaluate block's
// body; gives the spec's text.
export function tinyTigerSpec(width: number, evaluate: string): string {
  return `spec tg_tiny

dataset synth = synthetic {
  users             = 120
  clusters          = 3
  items_per_cluster = 6
  stay              = 0.8
  switch            = 0.1
  length            = 12
  history           = 6
  seed              = 3
}

quantizer ids = random_ids(synth.items) {
  levels   = 2
  codebook = 4
}

model tg = generative(synth, ids: ids) {
  encoder = transformer(layers: 1, heads: 2, head_dim: 4, d_model: 8, d_ff: 16, dropout: 0)
  decoder = transformer(layers: 1, heads: 2, head_dim: 4, d_model: 8, d_ff: 16, dropout: 0)
  user    = hashed(buckets: 7)
  decode  = beam(width: ${width}, constrain: trie)

  train {
    optimizer = adam(lr: 5e-3)
    steps     = 6
    batch     = 64
  }
}

evaluate tg on synth.test {
${evaluate}
}
`;
}
