/* Helpers shared by the addon's source files: N-API error macros, typed-array access and running a
 * job on two threads, plus the functions each file exports to the module's init (recspec_blas.c). */
#ifndef RECSPEC_NATIVE_H
#define RECSPEC_NATIVE_H
#define NAPI_VERSION 8
#include <cblas.h>
#include <node_api.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <math.h>
#include <stdlib.h>
#include <stdint.h>

/* Loops compiled for AVX-512, AVX2 and baseline x86-64; the loader picks the best one. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define VECTOR_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define VECTOR_CLONES
#endif

#define CHECK(call)                                                     \
  do {                                                                  \
    if ((call) != napi_ok) {                                            \
      napi_throw_error(env, NULL, "recspec_blas: N-API call failed: " #call); \
      return NULL;                                                      \
    }                                                                   \
  } while (0)

#define FAIL(message)                                       \
  do {                                                      \
    napi_throw_error(env, NULL, "recspec_blas: " message); \
    return NULL;                                            \
  } while (0)

/* A typed array's data pointer and element count, checked to be of the expected type. */
static inline bool typed_array(napi_env env, napi_value value, napi_typedarray_type want, void** data, size_t* length) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return false;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) != napi_ok) return false;
  return type == want;
}

/* Work of at least this many elements is worth splitting between two threads (a thread start
 * costs tens of µs), when OpenBLAS may use two: one core alone does not saturate memory here. */
static inline bool split_pays(size_t work) {
  return work >= ((size_t)1 << 18) && openblas_get_num_threads() >= 2;
}

/* Runs fn(first) on this thread and fn(second) on a helper thread (or here too when no thread
 * starts), and returns when both are done. */
static inline void run_on_two_threads(void* (*fn)(void*), void* first, void* second) {
  pthread_t helper;
  const bool started = pthread_create(&helper, NULL, fn, second) == 0;
  fn(first);
  if (started) {
    pthread_join(helper, NULL);
  } else {
    fn(second);
  }
}

static inline bool get_int(napi_env env, napi_value value, int64_t* out) {
  return napi_get_value_int64(env, value, out) == napi_ok;
}

/* e^x for one float, written so that gcc vectorises the loop calling it (no libm call, no branches):
 * Cody-Waite range reduction x = n·ln2 + r, |r| <= ln2/2 (n rounded with the 1.5·2^23 trick, which
 * vectorises where floorf would not), a degree-6 polynomial for e^r (the Cephes expf coefficients,
 * about 1 ulp), and 2^n put straight into the exponent bits, in two factors so n = 128 (x up to
 * 88.72, just below FLT_MAX) does not overflow. Below -87.3 the result is 0 (masked attention scores
 * and softmax over -1e9 logits rely on exact zeros); above 88.72 it is +inf; NaN stays NaN. */
static inline float fast_expf(float x) {
  const float clamped = x < -87.3f ? -87.3f : (x > 88.72f ? 88.72f : x);
  const float n = (clamped * 1.44269504088896341f + 12582912.0f) - 12582912.0f;
  const float r = (clamped - n * 0.693359375f) + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  const float er = p * r * r + r + 1.0f;
  const int32_t ni = (int32_t)n;
  const int32_t n1 = ni > 127 ? 127 : ni;
  union { int32_t i; float f; } scale, extra;
  scale.i = (n1 + 127) << 23;
  extra.i = (ni - n1 + 127) << 23;
  float y = er * scale.f * extra.f;
  y = x < -87.3f ? 0.0f : y;
  y = x > 88.72f ? __builtin_inff() : y;
  return x != x ? x : y;
}

/* Σ of n floats (softmax_xent.c, candidate_xent.c, softplus_rows.c) with eight independent accumulators, so the loop vectorises without -ffast-math. */
static inline float sum_floats(const float* x, size_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t j = 0;
  for (; j + 8 <= n; j += 8)
    for (int k = 0; k < 8; k++) acc[k] += x[j + k];
  float s = 0;
  for (; j < n; j++) s += x[j];
  for (int k = 0; k < 8; k++) s += acc[k];
  return s;
}

/* Max of n ≥ 1 floats, eight lanes at a time (a plain max reduction does not vectorise). */
static inline float max_floats(const float* x, size_t n) {
  float acc[8];
  for (int k = 0; k < 8; k++) acc[k] = x[0];
  size_t j = 0;
  for (; j + 8 <= n; j += 8)
    for (int k = 0; k < 8; k++) acc[k] = x[j + k] > acc[k] ? x[j + k] : acc[k];
  float m = x[0];
  for (; j < n; j++) m = x[j] > m ? x[j] : m;
  for (int k = 0; k < 8; k++) m = acc[k] > m ? acc[k] : m;
  return m;
}

/* adam.c */
napi_value adam_update(napi_env env, napi_callback_info info);

/* dropout.c */
napi_value dropout_mask(napi_env env, napi_callback_info info);

/* layer_norm.c */
napi_value layer_norm(napi_env env, napi_callback_info info);
napi_value layer_norm_grad(napi_env env, napi_callback_info info);

/* softmax_xent.c */
napi_value log_sum_exp_rows(napi_env env, napi_callback_info info);
napi_value softmax_xent_grad(napi_env env, napi_callback_info info);

/* candidate_xent.c */
napi_value candidate_xent(napi_env env, napi_callback_info info);
napi_value candidate_xent_grad(napi_env env, napi_callback_info info);

/* softplus_rows.c */
napi_value softplus_rows(napi_env env, napi_callback_info info);
napi_value softplus_rows_grad(napi_env env, napi_callback_info info);

/* gelu.c */
napi_value gelu(napi_env env, napi_callback_info info);
napi_value gelu_grad(napi_env env, napi_callback_info info);

/* mean_pool.c */
napi_value mean_pool(napi_env env, napi_callback_info info);
napi_value mean_pool_grad(napi_env env, napi_callback_info info);

/* segment_sum_parts.c */
napi_value gather_segment_sum_parts(napi_env env, napi_callback_info info);

/* pair_features.c */
napi_value pair_features(napi_env env, napi_callback_info info);
napi_value pair_features_grad(napi_env env, napi_callback_info info);

/* relu_grad.c */
napi_value relu_grad(napi_env env, napi_callback_info info);

/* rows.c */
napi_value gather_rows(napi_env env, napi_callback_info info);
napi_value segment_sum_rows(napi_env env, napi_callback_info info);
napi_value gather_segment_sum_rows(napi_env env, napi_callback_info info);

/* column_sums.c */
napi_value block_sums(napi_env env, napi_callback_info info);

/* max_over_heads.c */
napi_value max_over_heads(napi_env env, napi_callback_info info);
napi_value max_over_heads_grad(napi_env env, napi_callback_info info);

#endif
