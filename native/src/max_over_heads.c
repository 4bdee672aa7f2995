/* Max over the heads of multi-interest scores and its gradient, for the wasm backend's heap.
 *
 *   maxOverHeads(x, best, b, h, n):            best[i, j] = max_k x[i, k, j]      (x [b, h, n])
 *   maxOverHeadsGrad(x, best, dy, grad, b, h, n): grad[i, k, j] = dy[i, j] if x[i, k, j] == best[i, j]
 *                                                                   else 0 (ties share dy, as tf.max)
 *
 * Branch-free loops the compiler vectorises: in JavaScript the compare-and-branch per element cost
 * 10-20 ms per call at b = n = 512, h = 4 (random outcomes defeat branch prediction). */
#include "recspec_native.h"

VECTOR_CLONES
static void max_loop(const float* x, float* best, size_t b, size_t h, size_t n) {
  for (size_t i = 0; i < b; i++) {
    const float* xi = x + i * h * n;
    float* out = best + i * n;
    for (size_t j = 0; j < n; j++) out[j] = xi[j];
    for (size_t k = 1; k < h; k++) {
      const float* row = xi + k * n;
      for (size_t j = 0; j < n; j++) out[j] = row[j] > out[j] ? row[j] : out[j];
    }
  }
}

VECTOR_CLONES
static void grad_loop(const float* x, const float* best, const float* dy, float* grad, size_t b, size_t h, size_t n) {
  for (size_t i = 0; i < b; i++) {
    for (size_t k = 0; k < h; k++) {
      const float* row = x + (i * h + k) * n;
      float* out = grad + (i * h + k) * n;
      const float* m = best + i * n;
      const float* d = dy + i * n;
      for (size_t j = 0; j < n; j++) out[j] = row[j] == m[j] ? d[j] : 0.0f;
    }
  }
}

/* Reads b, h, n from argv[first..first+2] and checks x's length against them. */
static bool dims(napi_env env, napi_value* argv, size_t x_len, size_t* b, size_t* h, size_t* n) {
  int64_t v[3];
  for (int i = 0; i < 3; i++) {
    if (!get_int(env, argv[i], &v[i]) || v[i] < 0) return false;
  }
  *b = (size_t)v[0];
  *h = (size_t)v[1];
  *n = (size_t)v[2];
  return *h > 0 && *b * *h * *n == x_len;
}

napi_value max_over_heads(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 5) FAIL("maxOverHeads expects 5 arguments");
  float *x, *best;
  size_t x_len, best_len, b, h, n;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)&x, &x_len)) FAIL("x must be a Float32Array");
  if (!typed_array(env, argv[1], napi_float32_array, (void**)&best, &best_len)) FAIL("best must be a Float32Array");
  if (!dims(env, argv + 2, x_len, &b, &h, &n)) FAIL("b, h, n must be counts with b*h*n = x.length");
  if (best_len != b * n) FAIL("best must have b*n entries");
  max_loop(x, best, b, h, n);
  return NULL;
}

napi_value max_over_heads_grad(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 7) FAIL("maxOverHeadsGrad expects 7 arguments");
  float *x, *best, *dy, *grad;
  size_t x_len, best_len, dy_len, grad_len, b, h, n;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)&x, &x_len)) FAIL("x must be a Float32Array");
  if (!typed_array(env, argv[1], napi_float32_array, (void**)&best, &best_len)) FAIL("best must be a Float32Array");
  if (!typed_array(env, argv[2], napi_float32_array, (void**)&dy, &dy_len)) FAIL("dy must be a Float32Array");
  if (!typed_array(env, argv[3], napi_float32_array, (void**)&grad, &grad_len)) FAIL("grad must be a Float32Array");
  if (!dims(env, argv + 4, x_len, &b, &h, &n)) FAIL("b, h, n must be counts with b*h*n = x.length");
  if (best_len != b * n || dy_len != b * n) FAIL("best and dy must have b*n entries");
  if (grad_len != x_len) FAIL("grad must be as long as x");
  grad_loop(x, best, dy, grad, b, h, n);
  return NULL;
}
