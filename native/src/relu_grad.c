/* The gradient of a ReLU from its output, for the wasm backend's heap:
 *   reluGrad(y, dy, dx): dx = dy·(y > 0)
 * Why: tfjs's fused matmul + relu takes it as two passes, step(y) then dy·step(y), each writing a
 * fresh array ([5120, 256] and [5120, 128] in the SID-ranking step). The same bits: dy·1 or dy·0. */
#include "recspec_native.h"

VECTOR_CLONES
static void relu_grad_loop(const float* y, const float* dy, float* dx, size_t n) {
  for (size_t i = 0; i < n; i++) dx[i] = dy[i] * (y[i] > 0.0f ? 1.0f : 0.0f);
}

napi_value relu_grad(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 3) FAIL("reluGrad expects 3 arguments");
  float *y, *dy, *dx;
  size_t y_len, dy_len, dx_len;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)&y, &y_len) || !typed_array(env, argv[1], napi_float32_array, (void**)&dy, &dy_len) ||
      !typed_array(env, argv[2], napi_float32_array, (void**)&dx, &dx_len) || y_len != dy_len || y_len != dx_len) {
    FAIL("reluGrad(y, dy, dx): Float32Arrays of one length");
  }
  relu_grad_loop(y, dy, dx, y_len);
  return NULL;
}
