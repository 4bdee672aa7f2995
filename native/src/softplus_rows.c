/* The negatives' half of gBCE (src/runtime/losses/gbce.ts) for the wasm backend's heap: for logits
 * z [p, k] and the sorted flat indices `hits` of entries left out (a negative that is the row's own
 * target),
 *   softplusRows(z, hits, out, p, k):          out[i] = Σ_j softplus(z[i, j]) over the entries kept,
 *   softplusRowsGrad(z, hits, dy, dz, p, k):   dz[i, j] = dy[i]·σ(z[i, j]), 0 at a hit,
 * with softplus(z) = max(z, 0) + log1p(e^−|z|) (= −log(1 − σ(z)), never overflowing).
 *
 * One pass over the logits each way, where the op-by-op logistic loss makes about ten (relu,
 * product with the zero labels, abs, negate, exp, log1p, sum, the mask; sigmoid, subtract and two
 * products back, plus the labels' unused gradient), each writing a fresh [p, k] array. log1p and
 * σ are computed here from fast_expf with no libm call so the loops vectorise: log1p(u) for
 * u = e^−|z| ∈ (0, 1] as 2·atanh(u / (2 + u)) by its series (relative error below 2e-8, exact for
 * tiny u, where log(1 + u) would round 1 + u), so the sums agree with the op-by-op path to about
 * 1e-7 relative, not bit for bit. Rows are split between two threads (split_pays). */
#include "recspec_native.h"

typedef struct {
  const float* z;
  const int32_t* hits;
  size_t n_hits;
  const float* dy; /* backward only */
  float* out;      /* row sums (forward) or dz (backward) */
  float* scratch;  /* forward: k floats for this part */
  size_t first, rows, k;
} SoftplusPart;

/* log(1 + u) for u in [0, 1]: 2·(s + s³/3 + … + s¹³/13), s = u / (2 + u) ≤ 1/3. */
static inline float log1p_unit(float u) {
  const float s = u / (2.0f + u);
  const float s2 = s * s;
  float q = 1.0f / 13.0f;
  q = q * s2 + 1.0f / 11.0f;
  q = q * s2 + 1.0f / 9.0f;
  q = q * s2 + 1.0f / 7.0f;
  q = q * s2 + 1.0f / 5.0f;
  q = q * s2 + 1.0f / 3.0f;
  q = q * s2 + 1.0f;
  return 2.0f * s * q;
}

static size_t first_hit(const int32_t* hits, size_t n, size_t at) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if ((size_t)hits[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

VECTOR_CLONES
static void forward_rows(const SoftplusPart* p) {
  const size_t k = p->k;
  float* sp = p->scratch;
  size_t h = first_hit(p->hits, p->n_hits, p->first * k);
  for (size_t i = p->first; i < p->first + p->rows; i++) {
    const float* z = p->z + i * k;
    for (size_t j = 0; j < k; j++) {
      const float x = z[j];
      const float a = x < 0.0f ? -x : x;
      sp[j] = (x > 0.0f ? x : 0.0f) + log1p_unit(fast_expf(-a));
    }
    for (; h < p->n_hits && (size_t)p->hits[h] < (i + 1) * k; h++) sp[(size_t)p->hits[h] - i * k] = 0.0f;
    p->out[i] = sum_floats(sp, k);
  }
}

VECTOR_CLONES
static void backward_rows(const SoftplusPart* p) {
  const size_t k = p->k;
  size_t h = first_hit(p->hits, p->n_hits, p->first * k);
  for (size_t i = p->first; i < p->first + p->rows; i++) {
    const float* z = p->z + i * k;
    float* g = p->out + i * k;
    const float d = p->dy[i];
    for (size_t j = 0; j < k; j++) {
      const float x = z[j];
      const float u = fast_expf(x < 0.0f ? x : -x); /* e^−|x| */
      const float sigma = (x >= 0.0f ? 1.0f : u) / (1.0f + u);
      g[j] = d * sigma;
    }
    for (; h < p->n_hits && (size_t)p->hits[h] < (i + 1) * k; h++) g[(size_t)p->hits[h] - i * k] = 0.0f;
  }
}

static void* run_part(void* part) {
  const SoftplusPart* p = part;
  if (p->dy != NULL) {
    backward_rows(p);
  } else {
    forward_rows(p);
  }
  return NULL;
}

static void run_rows(const SoftplusPart* all) {
  SoftplusPart first = *all, second = *all;
  if (all->scratch != NULL) second.scratch = all->scratch + all->k;
  if (all->rows < 2 || !split_pays(all->rows * all->k)) {
    run_part(&first);
    return;
  }
  first.rows = all->rows / 2;
  second.first = first.rows;
  second.rows = all->rows - first.rows;
  run_on_two_threads(run_part, &first, &second);
}

/* z [p, k] and hits from argv[0], argv[1]; p, k from argv[p_at], argv[p_at + 1]. */
static bool softplus_args(napi_env env, napi_value* argv, size_t p_at, SoftplusPart* out) {
  float* z;
  int32_t* hits;
  size_t z_len, n_hits;
  int64_t p, k;
  if (!typed_array(env, argv[0], napi_float32_array, (void**)&z, &z_len) || !typed_array(env, argv[1], napi_int32_array, (void**)&hits, &n_hits)) {
    napi_throw_error(env, NULL, "recspec_blas: softplusRows: z must be a Float32Array and hits an Int32Array");
    return false;
  }
  if (!get_int(env, argv[p_at], &p) || !get_int(env, argv[p_at + 1], &k) || p < 0 || k < 1 || z_len != (size_t)p * (size_t)k) {
    napi_throw_error(env, NULL, "recspec_blas: softplusRows: z must be [p, k]");
    return false;
  }
  for (size_t h = 0; h < n_hits; h++) {
    if (hits[h] < 0 || (size_t)hits[h] >= z_len || (h > 0 && hits[h] < hits[h - 1])) {
      napi_throw_error(env, NULL, "recspec_blas: softplusRows: hits must be ascending indices into z");
      return false;
    }
  }
  const SoftplusPart part = {z, hits, n_hits, NULL, NULL, NULL, 0, (size_t)p, (size_t)k};
  *out = part;
  return true;
}

napi_value softplus_rows(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 5) FAIL("softplusRows expects 5 arguments");
  SoftplusPart all;
  if (!softplus_args(env, argv, 3, &all)) return NULL;
  size_t out_len;
  if (!typed_array(env, argv[2], napi_float32_array, (void**)&all.out, &out_len) || out_len != all.rows) FAIL("softplusRows: out must be a Float32Array [p]");
  all.scratch = malloc(2 * all.k * sizeof(float));
  if (all.scratch == NULL) FAIL("softplusRows: out of memory");
  run_rows(&all);
  free(all.scratch);
  return NULL;
}

napi_value softplus_rows_grad(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 6) FAIL("softplusRowsGrad expects 6 arguments");
  SoftplusPart all;
  if (!softplus_args(env, argv, 4, &all)) return NULL;
  float* dy;
  size_t dy_len, dz_len;
  if (!typed_array(env, argv[2], napi_float32_array, (void**)&dy, &dy_len) ||
      !typed_array(env, argv[3], napi_float32_array, (void**)&all.out, &dz_len) || dy_len != all.rows || dz_len != all.rows * all.k) {
    FAIL("softplusRowsGrad: dy must be a Float32Array [p] and dz [p, k]");
  }
  all.dy = dy;
  run_rows(&all);
  return NULL;
}
