/* Runtime CPU dispatch for ocrprep's C loops.
 *
 * OCRPREP_CLONES marks a function to be compiled several times (baseline
 * x86-64 and AVX2); the dynamic loader picks the best copy for the running
 * CPU (GCC's target_clones, via an ifunc), so one portable wheel still uses
 * AVX2 where it exists.  ifuncs need glibc and GCC: on musl, macOS, Windows,
 * clang or non-x86 the macro is empty and the baseline build is used (NEON
 * is baseline on aarch64 anyway).
 */
#ifndef OCRPREP_DISPATCH_H
#define OCRPREP_DISPATCH_H

#include <stdlib.h> /* defines __GLIBC__ where glibc is the C library */

#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && \
    defined(__GLIBC__) && !defined(OCRPREP_NO_CLONES)
#define OCRPREP_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define OCRPREP_CLONES
#endif

/* 1 when the running CPU has AVX2: for C files that pick their own
 * hand-written target("avx2") functions at run time.  Cached (a benign race:
 * every thread computes the same answer). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
static inline int ocrprep_cpu_has_avx2(void)
{
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") ? 1 : 0;
    }
    return cached;
}
#endif

#endif
