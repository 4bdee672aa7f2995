/* Matrix products for the tfjs wasm backend, served by OpenBLAS's cblas_sgemm.
 *
 * Takes Float32Array views straight into the wasm backend's heap (no copies: the data pointer comes
 * from napi_get_typedarray_info) plus per-batch element offsets computed in JavaScript, which
 * express any NumPy-style broadcasting of batch dimensions. Transposed operands are handed to sgemm
 * as CblasTrans, so nothing is ever transposed physically. Also exports a bias + ReLU epilogue for
 * _FusedMatMul and `info()` (OpenBLAS core name and thread count) so the runtime can say which
 * kernels it is using. Sums over blocks of axes (bias gradients) live in column_sums.c, the max-over-heads
 * kernels of multi-interest models in max_over_heads.c, the Adam update in adam.c, embedding row
 * gathers and their gradient in rows.c, dropout masks in dropout.c, softmax cross-entropy over large
 * catalogues in softmax_xent.c, sampled softmax over [positive, negatives] in candidate_xent.c, gBCE's
 * negatives in softplus_rows.c, GELU in gelu.c, layer normalisation in layer_norm.c, history mean pooling in
 * mean_pool.c, the ReLU gradient in relu_grad.c, segment sums in parts in segment_sum_parts.c, ranking pair features in pair_features.c; fast_expf (shared) in recspec_native.h.
 *
 * Every offset and size is checked against the arrays' lengths before any pointer is formed: the
 * arrays alias wasm memory that tfjs owns, so an out-of-range write would corrupt other tensors. */
#include "recspec_native.h"
#include <cblas.h>

/* Batch entries below this many multiply-adds run single-threaded (see gemm_batch). */
#define SMALL_ENTRY_MACS (4.0 * 1024 * 1024)

/* gemmBatch(a, b, c, aOffsets, bOffsets, m, n, k, transA, transB)
 *   For i in [0, aOffsets.length): c[i·m·n ..] = op(A_i) · op(B_i), where A_i starts at
 *   a[aOffsets[i]] and is stored [m, k] (or [k, m] when transA), B_i at b[bOffsets[i]] stored
 *   [k, n] (or [n, k] when transB); all row-major and densely packed. */
static napi_value gemm_batch(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 10) FAIL("gemmBatch expects 10 arguments");
  float *a, *b, *c;
  int32_t *a_off, *b_off;
  size_t a_len, b_len, c_len, batch, b_batch;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)&a, &a_len)) FAIL("a must be a Float32Array");
  if (!typed_array(env, argv[1], napi_float32_array, (void**)&b, &b_len)) FAIL("b must be a Float32Array");
  if (!typed_array(env, argv[2], napi_float32_array, (void**)&c, &c_len)) FAIL("c must be a Float32Array");
  if (!typed_array(env, argv[3], napi_int32_array, (void**)&a_off, &batch)) FAIL("aOffsets must be an Int32Array");
  if (!typed_array(env, argv[4], napi_int32_array, (void**)&b_off, &b_batch)) FAIL("bOffsets must be an Int32Array");
  if (b_batch != batch) FAIL("aOffsets and bOffsets differ in length");
  int64_t m, n, k;
  bool trans_a, trans_b;
  if (!get_int(env, argv[5], &m) || !get_int(env, argv[6], &n) || !get_int(env, argv[7], &k)) FAIL("m, n, k must be numbers");
  if (m < 0 || n < 0 || k < 0 || m > INT32_MAX || n > INT32_MAX || k > INT32_MAX) FAIL("m, n, k out of range");
  CHECK(napi_get_value_bool(env, argv[8], &trans_a));
  CHECK(napi_get_value_bool(env, argv[9], &trans_b));

  const size_t a_size = (size_t)m * (size_t)k, b_size = (size_t)k * (size_t)n, c_size = (size_t)m * (size_t)n;
  if (batch * c_size > c_len) FAIL("c is too small for the batch");
  for (size_t i = 0; i < batch; i++) {
    if (a_off[i] < 0 || (size_t)a_off[i] + a_size > a_len) FAIL("an a offset is out of range");
    if (b_off[i] < 0 || (size_t)b_off[i] + b_size > b_len) FAIL("a b offset is out of range");
  }
  if (c_size == 0) return NULL;
  if (k == 0) {
    /* An empty inner dimension gives zeros; sgemm with beta 0 would too, but some BLAS builds
     * reject lda < 1, so do it here. */
    for (size_t i = 0; i < batch * c_size; i++) c[i] = 0.0f;
    return NULL;
  }
  const int M = (int)m, N = (int)n, K = (int)k;
  const int lda = trans_a ? M : K;
  const int ldb = trans_b ? K : N;
  const enum CBLAS_TRANSPOSE ta = trans_a ? CblasTrans : CblasNoTrans;
  const enum CBLAS_TRANSPOSE tb = trans_b ? CblasTrans : CblasNoTrans;
  /* Many small products (attention heads: B·H entries of ~81×64×81) run 2-3x faster on one thread:
   * OpenBLAS would wake its threads for each one, and the hand-off costs more than the product. */
  const int threads = openblas_get_num_threads();
  const bool single = batch > 1 && threads > 1 && (double)m * (double)n * (double)k < SMALL_ENTRY_MACS;
  if (single) openblas_set_num_threads(1);
  for (size_t i = 0; i < batch; i++) {
    cblas_sgemm(CblasRowMajor, ta, tb, M, N, K, 1.0f, a + a_off[i], lda, b + b_off[i], ldb, 0.0f, c + i * c_size, N);
  }
  if (single) openblas_set_num_threads(threads);
  return NULL;
}

/* biasActivation(c, bias | null, n, activation): c viewed as [rows, n]; adds bias (length n, or 1
 * for a scalar bias) to every row, then applies activation 0 = linear, 1 = relu. */
static napi_value bias_activation(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 4) FAIL("biasActivation expects 4 arguments");
  float *c, *bias = NULL;
  size_t c_len, bias_len = 0;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)&c, &c_len)) FAIL("c must be a Float32Array");
  napi_valuetype bias_type;
  CHECK(napi_typeof(env, argv[1], &bias_type));
  if (bias_type != napi_null && bias_type != napi_undefined) {
    if (!typed_array(env, argv[1], napi_float32_array, (void**)&bias, &bias_len)) FAIL("bias must be a Float32Array or null");
  }
  int64_t n, activation;
  if (!get_int(env, argv[2], &n) || !get_int(env, argv[3], &activation)) FAIL("n and activation must be numbers");
  if (n <= 0 || c_len % (size_t)n != 0) FAIL("c's length is not a multiple of n");
  if (bias != NULL && bias_len != (size_t)n && bias_len != 1) FAIL("bias must have n entries or one");
  if (activation != 0 && activation != 1) FAIL("activation must be 0 (linear) or 1 (relu)");
  const size_t rows = c_len / (size_t)n;
  for (size_t r = 0; r < rows; r++) {
    float* row = c + r * (size_t)n;
    if (bias != NULL) {
      if (bias_len == 1) {
        for (int64_t j = 0; j < n; j++) row[j] += bias[0];
      } else {
        for (int64_t j = 0; j < n; j++) row[j] += bias[j];
      }
    }
    if (activation == 1) {
      for (int64_t j = 0; j < n; j++) row[j] = row[j] > 0.0f ? row[j] : 0.0f;
    }
  }
  return NULL;
}

/* fast_expf over an array. */
VECTOR_CLONES
static void exp_loop(const float* x, float* out, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = fast_expf(x[i]);
}

/* exp(x, out): out[i] = e^x[i]; out may be x. The wasm Exp kernel is scalar libm (≈7 ns per value);
 * a full softmax over a 12k catalogue spends most of its time here. */
static napi_value exp_array(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 2) FAIL("exp expects 2 arguments");
  float *x, *out;
  size_t x_len, out_len;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)&x, &x_len)) FAIL("x must be a Float32Array");
  if (!typed_array(env, argv[1], napi_float32_array, (void**)&out, &out_len)) FAIL("out must be a Float32Array");
  if (out_len != x_len) FAIL("x and out differ in length");
  exp_loop(x, out, x_len);
  return NULL;
}

/* info(): { corename, threads, config } from OpenBLAS itself. */
static napi_value blas_info(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result, corename, threads, config;
  CHECK(napi_create_object(env, &result));
  CHECK(napi_create_string_utf8(env, openblas_get_corename(), NAPI_AUTO_LENGTH, &corename));
  CHECK(napi_create_int32(env, openblas_get_num_threads(), &threads));
  CHECK(napi_create_string_utf8(env, openblas_get_config(), NAPI_AUTO_LENGTH, &config));
  CHECK(napi_set_named_property(env, result, "corename", corename));
  CHECK(napi_set_named_property(env, result, "threads", threads));
  CHECK(napi_set_named_property(env, result, "config", config));
  return result;
}

/* setThreads(n): openblas_set_num_threads, for benchmarks comparing thread counts. */
static napi_value set_threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t n;
  if (argc != 1 || !get_int(env, argv[0], &n) || n < 1 || n > 1024) FAIL("setThreads expects a thread count");
  openblas_set_num_threads((int)n);
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"gemmBatch", NULL, gemm_batch, NULL, NULL, NULL, napi_default, NULL},
      {"biasActivation", NULL, bias_activation, NULL, NULL, NULL, napi_default, NULL},
      {"exp", NULL, exp_array, NULL, NULL, NULL, napi_default, NULL},
      {"blockSums", NULL, block_sums, NULL, NULL, NULL, napi_default, NULL},
      {"adamUpdate", NULL, adam_update, NULL, NULL, NULL, napi_default, NULL},
      {"gatherRows", NULL, gather_rows, NULL, NULL, NULL, napi_default, NULL},
      {"dropoutMask", NULL, dropout_mask, NULL, NULL, NULL, napi_default, NULL},
      {"logSumExpRows", NULL, log_sum_exp_rows, NULL, NULL, NULL, napi_default, NULL},
      {"layerNorm", NULL, layer_norm, NULL, NULL, NULL, napi_default, NULL},
      {"layerNormGrad", NULL, layer_norm_grad, NULL, NULL, NULL, napi_default, NULL},
      {"softmaxXentGrad", NULL, softmax_xent_grad, NULL, NULL, NULL, napi_default, NULL},
      {"candidateXent", NULL, candidate_xent, NULL, NULL, NULL, napi_default, NULL},
      {"candidateXentGrad", NULL, candidate_xent_grad, NULL, NULL, NULL, napi_default, NULL},
      {"softplusRows", NULL, softplus_rows, NULL, NULL, NULL, napi_default, NULL},
      {"softplusRowsGrad", NULL, softplus_rows_grad, NULL, NULL, NULL, napi_default, NULL},
      {"gelu", NULL, gelu, NULL, NULL, NULL, napi_default, NULL},
      {"geluGrad", NULL, gelu_grad, NULL, NULL, NULL, napi_default, NULL},
      {"meanPool", NULL, mean_pool, NULL, NULL, NULL, napi_default, NULL},
      {"meanPoolGrad", NULL, mean_pool_grad, NULL, NULL, NULL, napi_default, NULL},
      {"gatherSegmentSumParts", NULL, gather_segment_sum_parts, NULL, NULL, NULL, napi_default, NULL},
      {"pairFeatures", NULL, pair_features, NULL, NULL, NULL, napi_default, NULL},
      {"pairFeaturesGrad", NULL, pair_features_grad, NULL, NULL, NULL, napi_default, NULL},
      {"reluGrad", NULL, relu_grad, NULL, NULL, NULL, napi_default, NULL},
      {"segmentSumRows", NULL, segment_sum_rows, NULL, NULL, NULL, napi_default, NULL},
      {"gatherSegmentSumRows", NULL, gather_segment_sum_rows, NULL, NULL, NULL, napi_default, NULL},
      {"maxOverHeads", NULL, max_over_heads, NULL, NULL, NULL, napi_default, NULL},
      {"maxOverHeadsGrad", NULL, max_over_heads_grad, NULL, NULL, NULL, napi_default, NULL},
      {"info", NULL, blas_info, NULL, NULL, NULL, napi_default, NULL},
      {"setThreads", NULL, set_threads, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof props / sizeof props[0], props));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
