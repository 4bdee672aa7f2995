# Build description for the optional OpenBLAS matmul addon (see src/recspec_blas.c). Built by
# scripts/build-native.mjs through node-gyp; plain C against Node-API, linked to -lopenblas.
{
  "targets": [
    {
      "target_name": "recspec_blas",
      "sources": ["src/recspec_blas.c", "src/max_over_heads.c", "src/column_sums.c", "src/adam.c", "src/rows.c", "src/dropout.c", "src/softmax_xent.c", "src/layer_norm.c"],
      # -ffp-contract=off: gcc's default (fast) fuses a*b+c into an FMA in some copies of a loop and
      # not in others (the scalar fallback it takes when an output lies within a vector's reach of an
      # input), so results depended on where tfjs placed tensors on the wasm heap; training must not.
      "cflags": ["-O3", "-std=gnu11", "-Wall", "-Wextra", "-fno-math-errno", "-ffp-contract=off"],
      "libraries": ["-lopenblas"]
    }
  ]
}
