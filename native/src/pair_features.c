/* The features [u, v, u ⊙ v] of P (user, item) pairs for a ranking MLP, for the wasm backend's heap:
 *   pairFeatures(u, v, x, dim):            x[p] = [u[p], v[p], u[p]·v[p]]       (x [P, 3·dim])
 *   pairFeaturesGrad(u, v, dx, du, dv, dim): du = dx_u + dx_uv·v,  dv = dx_v + dx_uv·u
 * Why: as ops this is a product and a concat forward, and a three-way split, two products and two
 * sums backward, each a pass writing a fresh array ([5120, 192] in the SID-ranking step). The same
 * bits: each gradient adds the same two float terms the tape adds. */
#include "recspec_native.h"

VECTOR_CLONES
static void features_row(const float* u, const float* v, float* x, size_t dim) {
  for (size_t j = 0; j < dim; j++) {
    x[j] = u[j];
    x[dim + j] = v[j];
    x[2 * dim + j] = u[j] * v[j];
  }
}

VECTOR_CLONES
static void features_grad_row(const float* u, const float* v, const float* dx, float* du, float* dv, size_t dim) {
  for (size_t j = 0; j < dim; j++) {
    du[j] = dx[j] + dx[2 * dim + j] * v[j];
    dv[j] = dx[dim + j] + dx[2 * dim + j] * u[j];
  }
}

napi_value pair_features(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *u, *v, *x;
  size_t u_len, v_len, x_len;
  int64_t d;
  if (argc != 4 || !typed_array(env, argv[0], napi_float32_array, (void**)&u, &u_len) || !typed_array(env, argv[1], napi_float32_array, (void**)&v, &v_len) ||
      !typed_array(env, argv[2], napi_float32_array, (void**)&x, &x_len) || !get_int(env, argv[3], &d) || d < 1 || u_len != v_len || x_len != 3 * u_len ||
      u_len % (size_t)d != 0) {
    FAIL("pairFeatures(u, v, x, dim): u, v [P·dim], x [P·3·dim]");
  }
  const size_t dim = (size_t)d, pairs = u_len / dim;
  for (size_t p = 0; p < pairs; p++) features_row(u + p * dim, v + p * dim, x + p * 3 * dim, dim);
  return NULL;
}

napi_value pair_features_grad(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  float *u, *v, *dx, *du, *dv;
  size_t u_len, v_len, dx_len, du_len, dv_len;
  int64_t d;
  if (argc != 6 || !typed_array(env, argv[0], napi_float32_array, (void**)&u, &u_len) || !typed_array(env, argv[1], napi_float32_array, (void**)&v, &v_len) ||
      !typed_array(env, argv[2], napi_float32_array, (void**)&dx, &dx_len) || !typed_array(env, argv[3], napi_float32_array, (void**)&du, &du_len) ||
      !typed_array(env, argv[4], napi_float32_array, (void**)&dv, &dv_len) || !get_int(env, argv[5], &d) || d < 1 || u_len != v_len ||
      du_len != u_len || dv_len != u_len || dx_len != 3 * u_len || u_len % (size_t)d != 0) {
    FAIL("pairFeaturesGrad(u, v, dx, du, dv, dim): u, v, du, dv [P·dim], dx [P·3·dim]");
  }
  const size_t dim = (size_t)d, pairs = u_len / dim;
  for (size_t p = 0; p < pairs; p++) features_grad_row(u + p * dim, v + p * dim, dx + p * 3 * dim, du + p * dim, dv + p * dim, dim);
  return NULL;
}
