/* Row loops of ocrprep.components' shape statistics (see components.c). */
#ifndef OCRPREP_COMPONENTS_H
#define OCRPREP_COMPONENTS_H

#include <stddef.h>
#include <stdint.h>

/* For x in [x0, x1) of a row of w pixels (n0, n1, n2: the grey rows above,
 * at and below it, clamped at the image border; up, dn: the binary rows
 * above and below, clamped): s9[x] = the 3 x 3 sum of the grey rows around
 * x, g[x] = the Sobel magnitude |gx| + |gy| there, bd[x] = 1 when up[x] or
 * dn[x] is paper (>= 128); columns outside the row replicate the edge. */
void ocrprep_cc_shape_row(const uint8_t *n0, const uint8_t *n1, const uint8_t *n2,
                          const uint8_t *up, const uint8_t *dn, ptrdiff_t w, ptrdiff_t x0,
                          ptrdiff_t x1, uint16_t *s9, uint16_t *g, uint8_t *bd);

#endif
