/* Softmax cross-entropy over large catalogues, row by row, for the wasm backend's heap:
 *
 *   logSumExpRows(z, lse, n, c):             lse[i] = log Σ_j e^z[i, j]   (z [n, c])
 *   softmaxXentGrad(z, lse, t, dy, g, n, c, eps):
 *       g[i, j] = dy[i]·(e^(z[i, j] − lse[i]) − ε/c) − dy[i]·(1 − ε)·[j = t[i]]
 *     (targets outside [0, c) get no one-hot term).
 *
 * One pass over the logits each, where the op-by-op forms pass over [n, c] five or six times
 * (max, subtract, exp, sum; exp, multiply, gather and scatter the targets): a full softmax over a
 * 12k-item catalogue at every position of a SASRec batch is 155 MB per pass. Rows are split between
 * two threads (split_pays). */
#include "recspec_native.h"

typedef struct {
  const float* z;
  const float* lse_in;
  const int32_t* t;
  const float* dy;
  float* out;     /* lse (forward) or g (gradient) */
  float* scratch; /* forward only: c floats of e^(z − max) for the row at hand */
  size_t first, rows, c;
  float eps;
} XentPart;

VECTOR_CLONES
static void lse_rows(const XentPart* p) {
  float* scratch = p->scratch;
  const size_t c = p->c;
  for (size_t i = p->first; i < p->first + p->rows; i++) {
    const float* row = p->z + i * c;
    const float m = max_floats(row, c);
    for (size_t j = 0; j < c; j++) scratch[j] = fast_expf(row[j] - m);
    p->out[i] = m + logf(sum_floats(scratch, c));
  }
}

VECTOR_CLONES
static void grad_rows(const XentPart* p) {
  const size_t c = p->c;
  const float smooth = p->eps / (float)c;
  for (size_t i = p->first; i < p->first + p->rows; i++) {
    const float* row = p->z + i * c;
    float* g = p->out + i * c;
    const float d = p->dy[i], l = p->lse_in[i];
    for (size_t j = 0; j < c; j++) g[j] = d * (fast_expf(row[j] - l) - smooth);
    const int32_t t = p->t[i];
    if (t >= 0 && (size_t)t < c) g[t] -= d * (1.0f - p->eps);
  }
}

static void* run_part(void* part) {
  const XentPart* p = part;
  if (p->lse_in != NULL) {
    grad_rows(p);
  } else {
    lse_rows(p);
  }
  return NULL;
}

/* Runs `all` over its rows, in two halves on two threads when it is large enough; the forward pass
 * gives each half its own c floats of `all.scratch` (2·c in all). */
static void run_rows(const XentPart* all) {
  XentPart first = *all, second = *all;
  if (all->scratch != NULL) second.scratch = all->scratch + all->c;
  if (all->rows < 2 || !split_pays(all->rows * all->c)) {
    run_part(&first);
    return;
  }
  first.rows = all->rows / 2;
  second.first = first.rows;
  second.rows = all->rows - first.rows;
  run_on_two_threads(run_part, &first, &second);
}

static bool get_dims(napi_env env, napi_value a, napi_value b, size_t* n, size_t* c) {
  int64_t vn, vc;
  if (!get_int(env, a, &vn) || !get_int(env, b, &vc) || vn < 0 || vc < 1) return false;
  *n = (size_t)vn;
  *c = (size_t)vc;
  return true;
}

napi_value log_sum_exp_rows(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 4) FAIL("logSumExpRows expects 4 arguments");
  float *z, *lse;
  size_t z_len, lse_len, n, c;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)&z, &z_len)) FAIL("logSumExpRows: z must be a Float32Array");
  if (!typed_array(env, argv[1], napi_float32_array, (void**)&lse, &lse_len)) FAIL("logSumExpRows: lse must be a Float32Array");
  if (!get_dims(env, argv[2], argv[3], &n, &c) || z_len != n * c || lse_len != n) FAIL("logSumExpRows: z must be [n, c] and lse [n]");
  float* scratch = malloc(2 * c * sizeof(float));
  if (scratch == NULL) FAIL("logSumExpRows: out of memory");
  const XentPart all = {z, NULL, NULL, NULL, lse, scratch, 0, n, c, 0.0f};
  run_rows(&all);
  free(scratch);
  return NULL;
}

napi_value softmax_xent_grad(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 8) FAIL("softmaxXentGrad expects 8 arguments");
  float *z, *lse, *dy, *g;
  int32_t* t;
  size_t z_len, lse_len, t_len, dy_len, g_len, n, c;
  double eps;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)&z, &z_len) ||
      !typed_array(env, argv[1], napi_float32_array, (void**)&lse, &lse_len) ||
      !typed_array(env, argv[2], napi_int32_array, (void**)&t, &t_len) ||
      !typed_array(env, argv[3], napi_float32_array, (void**)&dy, &dy_len) ||
      !typed_array(env, argv[4], napi_float32_array, (void**)&g, &g_len)) {
    FAIL("softmaxXentGrad(z, lse, t: Int32Array, dy, g, n, c, eps): arrays of the wrong type");
  }
  if (!get_dims(env, argv[5], argv[6], &n, &c) || z_len != n * c || g_len != n * c || lse_len != n || t_len != n || dy_len != n) {
    FAIL("softmaxXentGrad: z and g must be [n, c], lse, t and dy [n]");
  }
  if (napi_get_value_double(env, argv[7], &eps) != napi_ok) FAIL("softmaxXentGrad: eps must be a number");
  const XentPart all = {z, lse, t, dy, g, NULL, 0, n, c, (float)eps};
  run_rows(&all);
  return NULL;
}
