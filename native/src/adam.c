/* One Adam (AdamW) update over float32 arrays of one variable, for the wasm backend's heap:
 *
 *   adamUpdate(w, g, m, v, w1, m1, v1, lr, beta1, beta2, c1, c2, eps, wd):
 *     m1 = β1·m + (1−β1)·g,  v1 = β2·v + (1−β2)·g²,  w1 = w − lr·((m1/c1)/(√(v1/c2) + ε) + wd·w)
 *   with c1 = 1 − β1^t, c2 = 1 − β2^t computed by the caller.
 *
 * One vectorised pass reading four arrays and writing three, where the op-by-op update runs a
 * dozen wasm kernels each writing a fresh array (27 ms for 4.2M parameters, measured here) and a
 * JavaScript loop is scalar (47 ms). Long arrays are split between two threads (split_pays). */
#include "recspec_native.h"

typedef struct {
  const float *w, *g, *m, *v;
  float *w1, *m1, *v1;
  size_t n;
  float lr, beta1, a1, beta2, a2, c1, c2, eps, wd;
} AdamPart;

VECTOR_CLONES
static void adam_loop(const AdamPart* p) {
  const float lr = p->lr, beta1 = p->beta1, a1 = p->a1, beta2 = p->beta2, a2 = p->a2;
  const float c1 = p->c1, c2 = p->c2, eps = p->eps, wd = p->wd;
  const float *w = p->w, *g = p->g, *m = p->m, *v = p->v;
  float *w1 = p->w1, *m1 = p->m1, *v1 = p->v1;
  for (size_t i = 0; i < p->n; i++) {
    const float gi = g[i];
    const float mi = beta1 * m[i] + a1 * gi;
    const float vi = beta2 * v[i] + a2 * (gi * gi);
    m1[i] = mi;
    v1[i] = vi;
    w1[i] = w[i] - lr * ((mi / c1) / (sqrtf(vi / c2) + eps) + wd * w[i]);
  }
}

static void* adam_thread(void* part) {
  adam_loop((const AdamPart*)part);
  return NULL;
}

/* The part [from, from + n) of the update described by `all`. */
static AdamPart part_of(const AdamPart* all, size_t from, size_t n) {
  AdamPart p = *all;
  p.w += from, p.g += from, p.m += from, p.v += from;
  p.w1 += from, p.m1 += from, p.v1 += from;
  p.n = n;
  return p;
}

napi_value adam_update(napi_env env, napi_callback_info info) {
  size_t argc = 14;
  napi_value argv[14];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 14) FAIL("adamUpdate expects 14 arguments");
  float* arrays[7];
  size_t n = 0;
  for (int k = 0; k < 7; k++) {
    size_t length;
    if (!typed_array(env, argv[k], napi_float32_array, (void**)&arrays[k], &length)) FAIL("adamUpdate: arrays must be Float32Arrays");
    if (k > 0 && length != n) FAIL("adamUpdate: arrays must have one length");
    n = length;
  }
  double h[7];
  for (int k = 0; k < 7; k++) {
    if (napi_get_value_double(env, argv[7 + k], &h[k]) != napi_ok) FAIL("adamUpdate: hyperparameters must be numbers");
  }
  /* 1 − β in double, then rounded: 1 − (float)0.999 would be off by 1.3e-5 relative. */
  const AdamPart all = {arrays[0], arrays[1], arrays[2], arrays[3], arrays[4], arrays[5], arrays[6], n,
                        (float)h[0], (float)h[1], (float)(1.0 - h[1]), (float)h[2], (float)(1.0 - h[2]),
                        (float)h[3], (float)h[4], (float)h[5], (float)h[6]};
  if (!split_pays(n)) {
    adam_loop(&all);
    return NULL;
  }
  AdamPart first = part_of(&all, 0, n / 2), second = part_of(&all, n / 2, n - n / 2);
  run_on_two_threads(adam_thread, &first, &second);
  return NULL;
}
