/* Helpers shared by the addon's source files: N-API error macros and typed-array access, plus the
 * functions each file exports to the module's init (recspec_blas.c). */
#ifndef RECSPEC_NATIVE_H
#define RECSPEC_NATIVE_H
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <math.h>
#include <stdint.h>

#define CHECK(call)                                                     \
  do {                                                                  \
    if ((call) != napi_ok) {                                            \
      napi_throw_error(env, NULL, "recspec_blas: N-API call failed: " #call); \
      return NULL;                                                      \
    }                                                                   \
  } while (0)

#define FAIL(message)                                       \
  do {                                                      \
    napi_throw_error(env, NULL, "recspec_blas: " message); \
    return NULL;                                            \
  } while (0)

/* A typed array's data pointer and element count, checked to be of the expected type. */
static inline bool typed_array(napi_env env, napi_value value, napi_typedarray_type want, void** data, size_t* length) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) return false;
  napi_typedarray_type type;
  napi_value buffer;
  size_t offset;
  if (napi_get_typedarray_info(env, value, &type, length, data, &buffer, &offset) != napi_ok) return false;
  return type == want;
}

static inline bool get_int(napi_env env, napi_value value, int64_t* out) {
  return napi_get_value_int64(env, value, out) == napi_ok;
}

/* adam.c */
napi_value adam_update(napi_env env, napi_callback_info info);

/* dropout.c */
napi_value dropout_mask(napi_env env, napi_callback_info info);

/* rows.c */
napi_value gather_rows(napi_env env, napi_callback_info info);
napi_value segment_sum_rows(napi_env env, napi_callback_info info);

/* column_sums.c */
napi_value column_sums(napi_env env, napi_callback_info info);

/* max_over_heads.c */
napi_value max_over_heads(napi_env env, napi_callback_info info);
napi_value max_over_heads_grad(napi_env env, napi_callback_info info);

#endif
