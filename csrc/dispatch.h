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

#endif
