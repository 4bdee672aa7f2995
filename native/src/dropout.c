/* Dropout masks drawn straight into the wasm backend's heap, bit for bit the masks of
 * src/runtime/layers/dropout.ts:
 *
 *   dropoutMask(out, state, threshold, scale):
 *     draw k (k = 1, 2, …) is mix32(state + k·0x9e3779b9) (src/runtime/random.ts); its low and high
 *     16 bits decide two elements in order: 0 when below threshold, else scale. An odd last element
 *     uses the low 16 bits of one more draw.
 *
 * The caller advances its Rng past the ceil(n/2) draws. In JavaScript the masks of one paper-size
 * TIGER step (tens of millions of elements) took about 300 ms, plus copying each onto the heap. */
#include "recspec_native.h"

static inline uint32_t mix32(uint32_t x) {
  x = (x ^ (x >> 16)) * 0x85ebca6bu;
  x = (x ^ (x >> 13)) * 0xc2b2ae35u;
  return x ^ (x >> 16);
}

VECTOR_CLONES
static void fill_mask(float* out, size_t n, uint32_t state, uint32_t threshold, float scale) {
  const size_t pairs = n / 2;
  for (size_t k = 0; k < pairs; k++) {
    const uint32_t bits = mix32(state + (uint32_t)(k + 1) * 0x9e3779b9u);
    out[2 * k] = (bits & 0xffffu) < threshold ? 0.0f : scale;
    out[2 * k + 1] = (bits >> 16) < threshold ? 0.0f : scale;
  }
  if (n % 2 == 1) {
    const uint32_t bits = mix32(state + (uint32_t)(pairs + 1) * 0x9e3779b9u);
    out[n - 1] = (bits & 0xffffu) < threshold ? 0.0f : scale;
  }
}

napi_value dropout_mask(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 4) FAIL("dropoutMask expects 4 arguments");
  float* out;
  size_t n;
  uint32_t state, threshold;
  double scale;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)&out, &n)) FAIL("dropoutMask: out must be a Float32Array");
  if (napi_get_value_uint32(env, argv[1], &state) != napi_ok) FAIL("dropoutMask: state must be a uint32");
  if (napi_get_value_uint32(env, argv[2], &threshold) != napi_ok) FAIL("dropoutMask: threshold must be a uint32");
  if (napi_get_value_double(env, argv[3], &scale) != napi_ok) FAIL("dropoutMask: scale must be a number");
  fill_mask(out, n, state, threshold, (float)scale);
  return NULL;
}
