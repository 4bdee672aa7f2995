/* Mean pooling of left-padded histories for the wasm backend's heap, both ways in one pass:
 *   meanPool(h, ids, out, count, dim):      out[b] = Σ_{t: ids[b,t] ≠ 0} h[b,t] / max(n_b, 1)
 *   meanPoolGrad(dy, ids, dh, count, dim):  dh[b,t] = dy[b] / max(n_b, 1) · (ids[b,t] ≠ 0)
 * with h [count, T, dim], ids [count·T] (0 = padding) and n_b the real items of history b.
 *
 * Why: as ops (layers' history-pool.ts) the mean is a mask tensor, a mask product, two sums, a
 * maximum and a quotient forward and a quotient, tile and mask product backward, each a pass over
 * [count, T, dim] (5 MB in the SID-ranking step). The numbers are the same bit for bit: the sum
 * runs over t in order into a double per column (as blockSums in column_sums.c), is rounded to
 * float and divided by the float count. */
#include "recspec_native.h"

/* Real items of history b: the count n_b ≥ 1 the mean divides by. */
static float real_count(const int32_t* ids, size_t length) {
  size_t n = 0;
  for (size_t t = 0; t < length; t++) n += ids[t] != 0;
  return n > 0 ? (float)n : 1.0f;
}

VECTOR_CLONES
static void add_row(const float* x, double* acc, size_t dim) {
  for (size_t j = 0; j < dim; j++) acc[j] += (double)x[j];
}

/* (dy / n)·keep, as the ops take it: a padding entry gets dy's sign of zero, bit for bit theirs. */
VECTOR_CLONES
static void scaled_row(const float* dy, float n, float keep, float* dh, size_t dim) {
  for (size_t j = 0; j < dim; j++) dh[j] = (dy[j] / n) * keep;
}

/* Reads h, ids and out (or dy, ids and dh) and the two sizes; checks they agree; gives T. */
static bool read_args(napi_env env, napi_callback_info info, float** big, int32_t** ids, float** small, size_t* count, size_t* dim, size_t* length,
                      bool big_first) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 5) return false;
  size_t a_len, ids_len, c_len;
  float *a, *c;
  int64_t b, d;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)&a, &a_len) || !typed_array(env, argv[1], napi_int32_array, (void**)ids, &ids_len) ||
      !typed_array(env, argv[2], napi_float32_array, (void**)&c, &c_len) || !get_int(env, argv[3], &b) || !get_int(env, argv[4], &d) || b < 1 || d < 1) {
    return false;
  }
  *big = big_first ? a : c;
  *small = big_first ? c : a;
  const size_t big_len = big_first ? a_len : c_len, small_len = big_first ? c_len : a_len;
  *count = (size_t)b;
  *dim = (size_t)d;
  if (ids_len % *count != 0) return false;
  *length = ids_len / *count;
  return big_len == ids_len * *dim && small_len == *count * *dim;
}

napi_value mean_pool(napi_env env, napi_callback_info info) {
  float *h, *out;
  int32_t* ids;
  size_t count, dim, length;
  if (!read_args(env, info, &h, &ids, &out, &count, &dim, &length, true)) {
    FAIL("meanPool(h, ids, out, count, dim): h [count·T·dim], ids Int32Array [count·T], out [count·dim]");
  }
  double* acc = malloc(dim * sizeof(double));
  if (acc == NULL) FAIL("out of memory");
  for (size_t b = 0; b < count; b++) {
    const int32_t* row_ids = ids + b * length;
    for (size_t j = 0; j < dim; j++) acc[j] = 0;
    for (size_t t = 0; t < length; t++) {
      if (row_ids[t] != 0) add_row(h + (b * length + t) * dim, acc, dim);
    }
    const float n = real_count(row_ids, length);
    for (size_t j = 0; j < dim; j++) out[b * dim + j] = (float)acc[j] / n;
  }
  free(acc);
  return NULL;
}

napi_value mean_pool_grad(napi_env env, napi_callback_info info) {
  float *dy, *dh;
  int32_t* ids;
  size_t count, dim, length;
  if (!read_args(env, info, &dh, &ids, &dy, &count, &dim, &length, false)) {
    FAIL("meanPoolGrad(dy, ids, dh, count, dim): dy [count·dim], ids Int32Array [count·T], dh [count·T·dim]");
  }
  for (size_t b = 0; b < count; b++) {
    const int32_t* row_ids = ids + b * length;
    const float n = real_count(row_ids, length);
    for (size_t t = 0; t < length; t++) {
      scaled_row(dy + b * dim, n, row_ids[t] != 0 ? 1.0f : 0.0f, dh + (b * length + t) * dim, dim);
    }
  }
  return NULL;
}
