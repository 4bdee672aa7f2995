# Build description for the optional OpenBLAS matmul addon (see src/recspec_blas.c). Built by
# scripts/build-native.mjs through node-gyp; plain C against Node-API, linked to -lopenblas.
{
  "targets": [
    {
      "target_name": "recspec_blas",
      "sources": ["src/recspec_blas.c", "src/max_over_heads.c", "src/column_sums.c", "src/adam.c", "src/rows.c", "src/dropout.c", "src/softmax_xent.c", "src/layer_norm.c", "src/candidate_xent.c", "src/softplus_rows.c", "src/gelu.c", "src/mean_pool.c", "src/relu_grad.c", "src/segment_sum_parts.c", "src/pair_features.c"],
      # -ffp-contract=off: gcc's default (fast) fuses a*b+c into an FMA in some copies of a loop and
      # not in others (the scalar fallback it takes when an output lies within a vector's reach of an
      # input), so results depended on where tfjs placed tensors on the wasm heap; training must not.
      # -fno-trapping-math: without it gcc will not if-convert fast_expf's range clamp ahead of its
      # float-to-int conversion (that conversion might raise an FP exception), so no loop calling it
      # vectorised on AVX2; it changes no result, only which exception flags might be raised.
      "cflags": ["-O3", "-std=gnu11", "-Wall", "-Wextra", "-fno-math-errno", "-fno-trapping-math", "-ffp-contract=off"],
      "libraries": ["-lopenblas"]
    }
  ]
}
