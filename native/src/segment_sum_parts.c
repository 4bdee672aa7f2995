/* A gathered segment sum over pairs that come in parts, each part summed on its own and the parts'
 * sums then added in order, for the wasm backend's heap:
 *   gatherSegmentSumParts(x, from, ids, out, width, ends):
 *     S_p[s] = Σ x[from[u]] over the u of part p (ends[p−1] ≤ u < ends[p]) with ids[u] = s, in u order
 *     out = (S_0 + S_1) + … + S_{P−1}
 *
 * Why: the table gradient of a ranking step that looks up histories and candidates in one call
 * (ranking/embed-parts.ts). Summed as one run the rows would round differently from the two
 * gradients the tape used to add; so the first part is summed straight into out and each later part
 * into compact rows (only the rows it touches, found through a row → slot map), then added to out:
 * the same bits as the separate lookups, without a second [rows, width] array (16.7 MB in the
 * SID-ranking step) to zero and add. */
#include <string.h>
#include "recspec_native.h"

VECTOR_CLONES
static void add_into(float* restrict dst, const float* restrict src, size_t width) {
  for (size_t j = 0; j < width; j++) dst[j] += src[j];
}

napi_value gather_segment_sum_parts(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 6) FAIL("gatherSegmentSumParts expects 6 arguments");
  float *x, *out;
  int32_t *from, *ids, *ends;
  size_t x_len, from_len, ids_len, out_len, parts;
  int64_t w;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)&x, &x_len) || !typed_array(env, argv[1], napi_int32_array, (void**)&from, &from_len) ||
      !typed_array(env, argv[2], napi_int32_array, (void**)&ids, &ids_len) || !typed_array(env, argv[3], napi_float32_array, (void**)&out, &out_len) ||
      !get_int(env, argv[4], &w) || w <= 0 || !typed_array(env, argv[5], napi_int32_array, (void**)&ends, &parts)) {
    FAIL("gatherSegmentSumParts(x: Float32Array, from: Int32Array, ids: Int32Array, out: Float32Array, width > 0, ends: Int32Array)");
  }
  const size_t width = (size_t)w;
  if (x_len % width != 0 || out_len % width != 0 || from_len != ids_len) FAIL("gatherSegmentSumParts: whole rows, and one source row per id");
  const size_t x_rows = x_len / width, rows = out_len / width;
  for (size_t u = 0; u < from_len; u++) {
    if (from[u] < 0 || (size_t)from[u] >= x_rows) FAIL("gatherSegmentSumParts: a source row is outside x");
  }
  for (size_t p = 0; p < parts; p++) {
    if (ends[p] < (p > 0 ? ends[p - 1] : 0) || (size_t)ends[p] > ids_len) FAIL("gatherSegmentSumParts: ends must rise to at most the pair count");
  }
  if (parts == 0 || (size_t)ends[parts - 1] != ids_len) FAIL("gatherSegmentSumParts: the last part must end at the pair count");
  memset(out, 0, out_len * sizeof(float));
  size_t u = 0;
  for (; u < (size_t)ends[0]; u++) {
    const int32_t s = ids[u];
    if (s >= 0 && (size_t)s < rows) add_into(out + (size_t)s * width, x + (size_t)from[u] * width, width);
  }
  if (parts == 1) return NULL;
  size_t longest = 0;
  for (size_t p = 1; p < parts; p++) {
    const size_t n = (size_t)(ends[p] - ends[p - 1]);
    if (n > longest) longest = n;
  }
  /* Scratch kept between calls (the addon runs on Node's main thread only): a fresh malloc of a
   * few MB is a fresh mmap each call, its pages faulted in again every step. The row → slot map
   * is left all −1 after each call. */
  static int32_t* slot = NULL;
  static size_t slot_cap = 0;
  static int32_t* slot_row = NULL;
  static float* sums = NULL;
  static size_t sums_cap = 0, sums_width = 0;
  if (rows > slot_cap) {
    free(slot);
    slot = malloc(rows * sizeof(int32_t));
    slot_cap = slot == NULL ? 0 : rows;
    if (slot == NULL) FAIL("out of memory");
    for (size_t r = 0; r < rows; r++) slot[r] = -1;
  }
  if (longest > sums_cap || width > sums_width) {
    free(slot_row);
    free(sums);
    const size_t cap = longest > 0 ? longest : 1;
    slot_row = malloc(cap * sizeof(int32_t));
    sums = malloc(cap * width * sizeof(float));
    sums_cap = slot_row == NULL || sums == NULL ? 0 : cap;
    sums_width = sums_cap == 0 ? 0 : width;
    if (sums_cap == 0) FAIL("out of memory");
  }
  for (size_t p = 1; p < parts; p++) {
    size_t used = 0;
    for (; u < (size_t)ends[p]; u++) {
      const int32_t s = ids[u];
      if (s < 0 || (size_t)s >= rows) continue;
      if (slot[s] < 0) {
        slot[s] = (int32_t)used;
        slot_row[used] = s;
        memset(sums + used * width, 0, width * sizeof(float));
        used++;
      }
      add_into(sums + (size_t)slot[s] * width, x + (size_t)from[u] * width, width);
    }
    for (size_t k = 0; k < used; k++) {
      add_into(out + (size_t)slot_row[k] * width, sums + k * width, width);
      slot[slot_row[k]] = -1;
    }
  }
  return NULL;
}
