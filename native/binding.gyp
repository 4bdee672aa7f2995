# Build description for the optional OpenBLAS matmul addon (see src/recspec_blas.c). Built by
# scripts/build-native.mjs through node-gyp; plain C against Node-API, linked to -lopenblas.
{
  "targets": [
    {
      "target_name": "recspec_blas",
      "sources": ["src/recspec_blas.c", "src/max_over_heads.c", "src/column_sums.c", "src/adam.c", "src/rows.c", "src/dropout.c", "src/softmax_xent.c", "src/layer_norm.c"],
      "cflags": ["-O3", "-std=gnu11", "-Wall", "-Wextra", "-fno-math-errno"],
      "libraries": ["-lopenblas"]
    }
  ]
}
