/*
 * creditcode.h: checking a 统一社会信用代码 (unified social credit code, GB 32100-2015).
 *
 * Every enterprise on an answer sheet is identified by its credit code, and a mistyped code would
 * attach an assessment to the wrong enterprise, so the code is checked in full: 18 characters, the
 * character set and shape of each position, and the check character.
 */
#ifndef DL_CREDITCODE_H
#define DL_CREDITCODE_H

#include <stddef.h>

/** Characters in a credit code. */
#define DL__CREDIT_CODE_LEN 18

/**
 * Check code, a NUL-terminated credit code such as "91350100M000100Y43".
 *
 * Position 1 (登记管理部门码) must be one of 1-9, A-H, N, Y; positions 3-8 (行政区划码) digits;
 * positions 2 and 9-18 characters of the code set "0123456789ABCDEFGHJKLMNPQRTUWXY" (digits and
 * capital letters except I, O, S, V, Z); position 18 the check character computed from positions
 * 1-17. Lowercase letters, white space and non-ASCII characters (full-width ones included) are
 * rejected, each with its own reason.
 *
 * Returns 0 if code is valid. Otherwise returns a negative DL_E code and writes a short English
 * reason to why (at most why_size bytes, always NUL-terminated; why may be NULL when why_size is
 * 0). The reason does not repeat the code. code must not be NULL.
 * - DL_EINVALID (-1): the code is not valid, e.g. "must be 18 characters, got 17" or
 *   "check digit is 'X', expected '3'". Also returned, with a reason starting "internal error",
 *   if PCRE2 fails in a way that cannot happen with a working PCRE2 built with Unicode support.
 * - DL_ENOMEM (-3): memory ran out; the next call tries again.
 * - DL_ELIMIT (-4): a PCRE2 match or depth limit was hit (cannot happen for an 18-byte subject).
 *
 * Thread-safe. The pattern is compiled on first use and kept until dl__credit_code_shutdown().
 */
int dl__credit_code_check(const char *code, char *why, size_t why_size);

/**
 * Compute the check character for the first 17 characters of first17 (further characters, such as
 * the check character of a full code, are ignored) and store it in *out_char. Only the character
 * set is checked, not the shape of each position. Returns 0, or -1 (DL_EINVALID) leaving *out_char
 * untouched when one of the first 17 characters is not in the code set (a string shorter than 17
 * characters included).
 */
int dl__credit_code_compute_check(const char *first17, char *out_char);

/**
 * Free the compiled pattern and its contexts (a later check compiles it again). For tests and leak
 * checkers; call it only while no other thread is inside dl__credit_code_check().
 */
void dl__credit_code_shutdown(void);

#endif
