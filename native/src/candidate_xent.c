/* Sampled softmax over candidates [positive, negatives], for the wasm backend's heap, without the
 * [p, k + 1] logits ever existing. Row i's logits are
 *   z[i, 0] = pos[i] + posOff[i],   z[i, 1 + j] = scores[i, j] + negOff[j]   (+ MASKED instead of
 *   negOff[j] at the flat indices i·k + j listed in `hits`: a negative that is the row's own target),
 * and with them
 *   candidateXent(pos, scores, posOff, negOff, hits, lse, loss, p, k):
 *       lse[i] = log Σ_j e^z[i, j],  loss[i] = lse[i] − z[i, 0];
 *   candidateXentGrad(pos, scores, posOff, negOff, hits, lse, dy, dpos, dscores, p, k):
 *       dpos[i] = dy[i]·e^(z[i, 0] − lse[i]) − dy[i],  dscores[i, j] = dy[i]·e^(z[i, 1 + j] − lse[i]).
 *
 * Each row's logits are rebuilt in a scratch row that stays in cache, with the same float operations
 * and the same max, exp and sum as softmax_xent.c runs over a concatenated row, so the loss and both
 * gradients are bit for bit those of concat + offsets + softmax cross-entropy (the path without the
 * addon), where that path writes and reads [p, k + 1] five more times (concat, the offsets tensor
 * and its add, the split of the gradient). Rows are split between two threads (split_pays). */
#include "recspec_native.h"

/* The logit of a masked negative, as the op-by-op path adds it: e^(MASKED − max) is exactly 0. */
#define MASKED_LOGIT (-1e9f)

typedef struct {
  const float *pos, *scores, *pos_off, *neg_off;
  const int32_t* hits;
  size_t n_hits;
  const float* lse_in; /* backward only */
  const float* dy;     /* backward only */
  float *lse, *loss;   /* forward outputs */
  float *dpos, *dscores; /* backward outputs */
  float* scratch;      /* k + 1 floats for this part */
  size_t first, rows, k;
} CandidatePart;

/* Index of the first hit at or after flat index `at` (hits are sorted). */
static size_t first_hit(const int32_t* hits, size_t n, size_t at) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if ((size_t)hits[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/* Row i's k + 1 logits into z; *h walks the hits of this row. */
VECTOR_CLONES
static void row_logits(const CandidatePart* p, size_t i, float* z, size_t* h) {
  const size_t k = p->k;
  const float* s = p->scores + i * k;
  const float* off = p->neg_off;
  z[0] = p->pos[i] + p->pos_off[i];
  for (size_t j = 0; j < k; j++) z[1 + j] = s[j] + off[j];
  const size_t end = (i + 1) * k;
  for (; *h < p->n_hits && (size_t)p->hits[*h] < end; (*h)++) {
    const size_t j = (size_t)p->hits[*h] - i * k;
    z[1 + j] = s[j] + MASKED_LOGIT;
  }
}

VECTOR_CLONES
static void forward_rows(const CandidatePart* p) {
  const size_t c = p->k + 1;
  float* z = p->scratch;
  size_t h = first_hit(p->hits, p->n_hits, p->first * p->k);
  for (size_t i = p->first; i < p->first + p->rows; i++) {
    row_logits(p, i, z, &h);
    const float z0 = z[0];
    const float m = max_floats(z, c);
    for (size_t j = 0; j < c; j++) z[j] = fast_expf(z[j] - m);
    const float lse = m + logf(sum_floats(z, c));
    p->lse[i] = lse;
    p->loss[i] = lse - z0;
  }
}

VECTOR_CLONES
static void backward_rows(const CandidatePart* p) {
  const size_t k = p->k;
  float* z = p->scratch;
  size_t h = first_hit(p->hits, p->n_hits, p->first * k);
  for (size_t i = p->first; i < p->first + p->rows; i++) {
    row_logits(p, i, z, &h);
    const float d = p->dy[i], l = p->lse_in[i];
    float g0 = d * (fast_expf(z[0] - l) - 0.0f);
    g0 -= d * 1.0f;
    p->dpos[i] = g0;
    float* g = p->dscores + i * k;
    for (size_t j = 0; j < k; j++) g[j] = d * (fast_expf(z[1 + j] - l) - 0.0f);
  }
}

static void* run_part(void* part) {
  const CandidatePart* p = part;
  if (p->lse_in != NULL) {
    backward_rows(p);
  } else {
    forward_rows(p);
  }
  return NULL;
}

/* Runs `all` over its rows, in two halves on two threads when it is large enough; each half has
 * its own k + 1 floats of scratch (`all.scratch` holds 2·(k + 1)). */
static void run_rows(const CandidatePart* all) {
  CandidatePart first = *all, second = *all;
  second.scratch = all->scratch + all->k + 1;
  if (all->rows < 2 || !split_pays(all->rows * all->k)) {
    run_part(&first);
    return;
  }
  first.rows = all->rows / 2;
  second.first = first.rows;
  second.rows = all->rows - first.rows;
  run_on_two_threads(run_part, &first, &second);
}

/* The arguments both functions share: pos [p], scores [p, k], posOff [p], negOff [k], hits (sorted
 * flat indices into scores), and p, k at argv[p_at], argv[p_at + 1]. Gives false after throwing. */
static bool candidate_args(napi_env env, napi_value* argv, size_t p_at, CandidatePart* out) {
  float *pos, *scores, *pos_off, *neg_off;
  int32_t* hits;
  size_t pos_len, scores_len, pos_off_len, neg_off_len, n_hits;
  int64_t p, k;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)&pos, &pos_len) ||
      !typed_array(env, argv[1], napi_float32_array, (void**)&scores, &scores_len) ||
      !typed_array(env, argv[2], napi_float32_array, (void**)&pos_off, &pos_off_len) ||
      !typed_array(env, argv[3], napi_float32_array, (void**)&neg_off, &neg_off_len) ||
      !typed_array(env, argv[4], napi_int32_array, (void**)&hits, &n_hits)) {
    napi_throw_error(env, NULL, "recspec_blas: candidateXent: pos, scores, posOff, negOff must be Float32Arrays and hits an Int32Array");
    return false;
  }
  if (!get_int(env, argv[p_at], &p) || !get_int(env, argv[p_at + 1], &k) || p < 0 || k < 1 || pos_len != (size_t)p ||
      pos_off_len != (size_t)p || neg_off_len != (size_t)k || scores_len != (size_t)p * (size_t)k) {
    napi_throw_error(env, NULL, "recspec_blas: candidateXent: pos and posOff must be [p], negOff [k], scores [p, k]");
    return false;
  }
  for (size_t h = 0; h < n_hits; h++) {
    if (hits[h] < 0 || (size_t)hits[h] >= scores_len || (h > 0 && hits[h] < hits[h - 1])) {
      napi_throw_error(env, NULL, "recspec_blas: candidateXent: hits must be ascending indices into scores");
      return false;
    }
  }
  const CandidatePart part = {pos, scores, pos_off, neg_off, hits, n_hits, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, (size_t)p, (size_t)k};
  *out = part;
  return true;
}

napi_value candidate_xent(napi_env env, napi_callback_info info) {
  size_t argc = 9;
  napi_value argv[9];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 9) FAIL("candidateXent expects 9 arguments");
  CandidatePart all;
  if (!candidate_args(env, argv, 7, &all)) return NULL;
  size_t lse_len, loss_len;
  if (!typed_array(env, argv[5], napi_float32_array, (void**)&all.lse, &lse_len) ||
      !typed_array(env, argv[6], napi_float32_array, (void**)&all.loss, &loss_len) || lse_len != all.rows || loss_len != all.rows) {
    FAIL("candidateXent: lse and loss must be Float32Arrays [p]");
  }
  all.scratch = malloc(2 * (all.k + 1) * sizeof(float));
  if (all.scratch == NULL) FAIL("candidateXent: out of memory");
  run_rows(&all);
  free(all.scratch);
  return NULL;
}

napi_value candidate_xent_grad(napi_env env, napi_callback_info info) {
  size_t argc = 11;
  napi_value argv[11];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 11) FAIL("candidateXentGrad expects 11 arguments");
  CandidatePart all;
  if (!candidate_args(env, argv, 9, &all)) return NULL;
  float *lse, *dy;
  size_t lse_len, dy_len, dpos_len, dscores_len;
  if (!typed_array(env, argv[5], napi_float32_array, (void**)&lse, &lse_len) ||
      !typed_array(env, argv[6], napi_float32_array, (void**)&dy, &dy_len) ||
      !typed_array(env, argv[7], napi_float32_array, (void**)&all.dpos, &dpos_len) ||
      !typed_array(env, argv[8], napi_float32_array, (void**)&all.dscores, &dscores_len) || lse_len != all.rows || dy_len != all.rows ||
      dpos_len != all.rows || dscores_len != all.rows * all.k) {
    FAIL("candidateXentGrad: lse, dy and dpos must be Float32Arrays [p], dscores [p, k]");
  }
  all.lse_in = lse;
  all.dy = dy;
  all.scratch = malloc(2 * (all.k + 1) * sizeof(float));
  if (all.scratch == NULL) FAIL("candidateXentGrad: out of memory");
  run_rows(&all);
  free(all.scratch);
  return NULL;
}
