/* Layer normalisation over the last axis and its gradient, for the wasm backend's heap (x viewed as
 * [rows, dim]):
 *
 *   layerNorm(x, gamma, beta, y, mean, rstd, rows, dim, eps):
 *     mean_i = Σ_j x_ij / dim,  rstd_i = 1/√(Σ_j (x_ij − mean_i)²/dim + eps),
 *     y_ij = (x_ij − mean_i)·rstd_i·gamma_j + beta_j
 *   layerNormGrad(x, gamma, mean, rstd, dy, dx, dgamma, dbeta, rows, dim):
 *     x̂ = (x − mean)·rstd, g = dy·gamma,
 *     dx_ij = rstd_i·(g_ij − mean_j(g_i·) − x̂_ij·mean_j(g_i· x̂_i·)),
 *     dgamma_j = Σ_i dy_ij·x̂_ij,  dbeta_j = Σ_i dy_ij
 *
 * One pass per row each way, where the op-by-op form (moments, subtract, rsqrt, scale, shift and
 * their gradients) is about thirty kernels per layer over the whole activation. */
#include "recspec_native.h"

VECTOR_CLONES
static void forward_rows(const float* x, const float* gamma, const float* beta, float* y, float* mean, float* rstd,
                         size_t rows, size_t dim, float eps) {
  for (size_t i = 0; i < rows; i++) {
    const float* xi = x + i * dim;
    float* yi = y + i * dim;
    double s = 0;
    for (size_t j = 0; j < dim; j++) s += xi[j];
    const float m = (float)(s / (double)dim);
    double q = 0;
    for (size_t j = 0; j < dim; j++) q += (double)((xi[j] - m) * (xi[j] - m));
    const float r = 1.0f / sqrtf((float)(q / (double)dim) + eps);
    for (size_t j = 0; j < dim; j++) yi[j] = (xi[j] - m) * r * gamma[j] + beta[j];
    mean[i] = m;
    rstd[i] = r;
  }
}

VECTOR_CLONES
static void backward_rows(const float* x, const float* gamma, const float* mean, const float* rstd, const float* dy,
                          float* dx, double* dgamma, double* dbeta, size_t rows, size_t dim) {
  for (size_t i = 0; i < rows; i++) {
    const float* xi = x + i * dim;
    const float* dyi = dy + i * dim;
    float* dxi = dx + i * dim;
    const float m = mean[i], r = rstd[i];
    double sg = 0, sgx = 0;
    for (size_t j = 0; j < dim; j++) {
      const float xhat = (xi[j] - m) * r;
      const float g = dyi[j] * gamma[j];
      sg += g;
      sgx += (double)(g * xhat);
      dgamma[j] += (double)(dyi[j] * xhat);
      dbeta[j] += dyi[j];
    }
    const float mg = (float)(sg / (double)dim), mgx = (float)(sgx / (double)dim);
    for (size_t j = 0; j < dim; j++) dxi[j] = r * (dyi[j] * gamma[j] - mg - (xi[j] - m) * r * mgx);
  }
}

/* Reads `count` Float32Arrays from argv, then rows and dim, and checks each length against
 * `sizes` (1: rows·dim, 2: dim, 3: rows). */
static bool arrays_and_dims(napi_env env, napi_value* argv, int count, const int* sizes, float** arrays, size_t* rows,
                            size_t* dim) {
  int64_t r, d;
  if (!get_int(env, argv[count], &r) || !get_int(env, argv[count + 1], &d) || r < 0 || d < 1) return false;
  *rows = (size_t)r;
  *dim = (size_t)d;
  for (int k = 0; k < count; k++) {
    size_t length;
    if (!typed_array(env, argv[k], napi_float32_array, (void**)&arrays[k], &length)) return false;
    const size_t want = sizes[k] == 1 ? *rows * *dim : sizes[k] == 2 ? *dim : *rows;
    if (length != want) return false;
  }
  return true;
}

napi_value layer_norm(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  static const int sizes[6] = {1, 2, 2, 1, 3, 3};
  float* a[6];
  size_t rows, dim;
  double eps;
  if (argc != 9 || !arrays_and_dims(env, argv, 6, sizes, a, &rows, &dim) || napi_get_value_double(env, argv[8], &eps) != napi_ok) {
    FAIL("layerNorm(x [rows·dim], gamma [dim], beta [dim], y [rows·dim], mean [rows], rstd [rows], rows, dim, eps)");
  }
  forward_rows(a[0], a[1], a[2], a[3], a[4], a[5], rows, dim, (float)eps);
  return NULL;
}

napi_value layer_norm_grad(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  static const int sizes[8] = {1, 2, 3, 3, 1, 1, 2, 2};
  float* a[8];
  size_t rows, dim;
  if (argc != 10 || !arrays_and_dims(env, argv, 8, sizes, a, &rows, &dim)) {
    FAIL("layerNormGrad(x, gamma, mean, rstd, dy, dx, dgamma, dbeta, rows, dim) with matching lengths");
  }
  double* acc = calloc(2 * dim, sizeof(double));
  if (acc == NULL) FAIL("out of memory");
  backward_rows(a[0], a[1], a[2], a[3], a[4], a[5], acc, acc + dim, rows, dim);
  for (size_t j = 0; j < dim; j++) {
    a[6][j] = (float)acc[j];
    a[7][j] = (float)acc[dim + j];
  }
  free(acc);
  return NULL;
}
