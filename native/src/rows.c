/* Row gathers and scatter-adds over float32 tables, for the wasm backend's heap: the forward and
 * backward pass of every embedding lookup.
 *
 *   gatherRows(table, ids, out, width):        out[i, :] = table[ids[i], :]
 *   segmentSumRows(x, ids, out, width):        out = 0; out[ids[i], :] += x[i, :] for every i,
 *                                              ids outside [0, rows of out) skipped (TensorFlow's rule)
 *   gatherSegmentSumRows(x, from, ids, out, width):
 *                                              out = 0; out[ids[u], :] += x[from[u], :] for every u:
 *                                              segmentSumRows of gatherRows(x, from) without the
 *                                              gathered copy (the same adds in the same order)
 *
 * In JavaScript a row copy costs a subarray view (≈ 100 ns) and a scatter-add is scalar: 11 and
 * 15 ms per step for the SID-ranking benchmark's 77k row lookups (tf.profile), most of it overhead. */
#include <string.h>
#include "recspec_native.h"

/* dst += src over one row; `restrict` holds (x is an input, out the kernel's own output) and lets
 * gcc vectorise without an overlap check per row. */
static inline void add_row(float* restrict dst, const float* restrict src, size_t width) {
  for (size_t j = 0; j < width; j++) dst[j] += src[j];
}

VECTOR_CLONES
static void add_rows(const float* x, const int32_t* ids, size_t count, float* out, size_t rows, size_t width) {
  for (size_t i = 0; i < count; i++) {
    const int32_t s = ids[i];
    if (s < 0 || (size_t)s >= rows) continue;
    add_row(out + (size_t)s * width, x + i * width, width);
  }
}

/* Reads (values, ids, out, width) and checks that values is [ids, width] or out is. */
static bool row_args(napi_env env, napi_callback_info info, float** a, size_t* a_len, int32_t** ids, size_t* count,
                     float** b, size_t* b_len, size_t* width) {
  size_t argc = 4;
  napi_value argv[4];
  int64_t w;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc != 4) return false;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)a, a_len)) return false;
  if (!typed_array(env, argv[1], napi_int32_array, (void**)ids, count)) return false;
  if (!typed_array(env, argv[2], napi_float32_array, (void**)b, b_len)) return false;
  if (!get_int(env, argv[3], &w) || w <= 0) return false;
  *width = (size_t)w;
  return *a_len % *width == 0 && *b_len % *width == 0;
}

napi_value gather_rows(napi_env env, napi_callback_info info) {
  float *table, *out;
  int32_t* ids;
  size_t table_len, count, out_len, width;
  if (!row_args(env, info, &table, &table_len, &ids, &count, &out, &out_len, &width)) {
    FAIL("gatherRows(table: Float32Array, ids: Int32Array, out: Float32Array, width > 0) with whole rows");
  }
  const size_t rows = table_len / width;
  if (out_len != count * width) FAIL("gatherRows: out must hold one row per id");
  for (size_t i = 0; i < count; i++) {
    if (ids[i] < 0 || (size_t)ids[i] >= rows) FAIL("gatherRows: an id is outside the table");
  }
  for (size_t i = 0; i < count; i++) memcpy(out + i * width, table + (size_t)ids[i] * width, width * sizeof(float));
  return NULL;
}

napi_value segment_sum_rows(napi_env env, napi_callback_info info) {
  float *x, *out;
  int32_t* ids;
  size_t x_len, count, out_len, width;
  if (!row_args(env, info, &x, &x_len, &ids, &count, &out, &out_len, &width)) {
    FAIL("segmentSumRows(x: Float32Array, ids: Int32Array, out: Float32Array, width > 0) with whole rows");
  }
  if (x_len != count * width) FAIL("segmentSumRows: x must hold one row per id");
  memset(out, 0, out_len * sizeof(float));
  add_rows(x, ids, count, out, out_len / width, width);
  return NULL;
}

napi_value gather_segment_sum_rows(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 5) FAIL("gatherSegmentSumRows expects 5 arguments");
  float *x, *out;
  int32_t *from, *ids;
  size_t x_len, from_len, ids_len, out_len;
  int64_t w;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)&x, &x_len) || !typed_array(env, argv[1], napi_int32_array, (void**)&from, &from_len) ||
      !typed_array(env, argv[2], napi_int32_array, (void**)&ids, &ids_len) || !typed_array(env, argv[3], napi_float32_array, (void**)&out, &out_len) ||
      !get_int(env, argv[4], &w) || w <= 0) {
    FAIL("gatherSegmentSumRows(x: Float32Array, from: Int32Array, ids: Int32Array, out: Float32Array, width > 0)");
  }
  const size_t width = (size_t)w;
  if (x_len % width != 0 || out_len % width != 0 || from_len != ids_len) FAIL("gatherSegmentSumRows: whole rows, and one source row per id");
  const size_t x_rows = x_len / width, rows = out_len / width;
  for (size_t u = 0; u < from_len; u++) {
    if (from[u] < 0 || (size_t)from[u] >= x_rows) FAIL("gatherSegmentSumRows: a source row is outside x");
  }
  memset(out, 0, out_len * sizeof(float));
  for (size_t u = 0; u < ids_len; u++) {
    const int32_t s = ids[u];
    if (s < 0 || (size_t)s >= rows) continue;
    add_row(out + (size_t)s * width, x + (size_t)from[u] * width, width);
  }
  return NULL;
}
