"""The automatic binarizer: ``ocrprep.binarize(img)`` with no parameters.

Design (each step from the document-binarization literature, every
constant tied to a statistic of the page rather than tuned per image; every
decision is reported in ``info=``):

0. **Colour** (``rgb`` pages).  Ink is what differs from the paper's colour,
   in luma or in hue: the page is binarized as its luma darkened by
   CHROMA_WEIGHT times the chroma distance of each pixel from the paper's
   chroma scaled to the pixel's brightness (opponent axes R - G and
   R + G - 2B, the paper's colour from the brightest 10 % of a sample of the
   writing surface, ``ocrprep._color.paper_sample``; the ink channel
   ``ocrprep._color.ink_band`` is vectorised C in 16-bit lanes - 16 pixels
   an AVX2 vector, the paper's chroma at each luma a multiply-high - and
   each band of it is measured for the block statistics of step 2 as soon
   as it is written, while in the cache).  Yellow or
   light green ink, which luma barely separates from cream paper, is as
   dark as blue ink there; a grey page (R = G = B, or a sample without a
   coloured pixel) gives exactly its luma, so grey and colour copies of a
   page binarize identically.  The classic colour-to-grey projections keep
   only luma; measuring a colour *difference from the background* follows
   the colour-document binarizers that cluster ink against the paper's
   colour instead of thresholding one channel.
   **Tinted grounds** (:mod:`ocrprep.tinted`).  Marker over printed words,
   a tinted box or table cell, a coloured water stain: an area of another
   colour *under* the writing is, measured against the paper's colour,
   all "ink" - a highlighted line came out one black bar and none of its
   words were read, while its grey copy binarizes well.  Such areas - the
   brighter half of 8 x 8 blocks TINT_DISTANCE or more off the paper's
   chroma, in 2 x 2 block squares (wider than body-type strokes), holding
   ink (the thick strokes of a yellow heading hold none) - are measured
   against their own colour too: a pixel's chroma distance is the one from
   the nearest mix of the paper and the tints near it (marker edges, two
   markers side by side, a marker over a box), phased in over TINT_RAMP
   beyond TINT_DISTANCE of its own distance from the paper, so a shade
   that fades out leaves no step (``info["tinted"]``: the share of blocks
   with a tint).  The ground then keeps only its luma, as on the grey copy;
   ink of any colour on it still differs from it.  Only pages whose sparse
   sample shows clusters of strongly tinted pixels pay for the search.
   **Backdrop.**  A document photographed on a table: the table - flat,
   touching the border, far from the document's paper level - is found on
   the block grid (:mod:`ocrprep.surface`, seeded region growing, Adams &
   Bischof 1994), painted with the document's nearest paper level before
   anything is measured, and output white (``info["backdrop"]``: its share
   of the page).
1. **Polarity.** Light-on-dark pages are detected (:func:`is_inverted`, from
   the polarity of thin strokes and the majority of the pixels) and
   inverted, so the result is always dark ink (0) on white paper (255).
2. **Background normalisation.** The paper level is estimated on 8 x 8
   blocks - each block's level from the mean of its pixels at or above its
   mean, less that statistic's noise bias (ink only darkens, so however
   densely the text is set, every block not wholly ink shows its paper) -
   by normalised convolution over the blocks that look like paper
   (:mod:`ocrprep.background`; Gatos et al. 2006, Lu, Su & Tan 2010) and the
   page is divided by it, ``N = 200 * I / B``: shading, yellowing and
   stains vanish, the paper sits at 200 with its noise, ink below.  The
   window is small (5 blocks, ~40 px; about ``5 sw`` for thick strokes, the
   page then being normalised a second time) so the estimate follows
   blotchy stains and dark page regions; blocks half as dark as the paper
   within 8 blocks always count as ink, so thick dark strokes are kept.
3. **Page statistics** (on every row of small pages, every n-th row of
   large ones): the paper level is the mode of ``N`` and its noise
   ``sigma`` comes from the half of the distribution above the mode (ink
   only darkens, so that half is ink-free); Otsu's threshold of ``N`` gives
   a provisional ink mask whose area over half its boundary is the stroke
   width ``sw`` (less the inside of solid dark blocks - a table's header
   band, a filled box - which has no boundary and is no stroke: counted, a
   dark band made the strokes of a table look three times as wide, and the
   speck area of step 6 removed the stems of its i's); the Sobel magnitudes give the stroke-edge threshold
   ``te`` = max(Otsu of the magnitudes, 3 x the noise's median magnitude,
   the step of the faintest admissible ink) - the noise's median magnitude
   is the median of the page's, or 5.15 sigma (white noise) where densely
   set text makes that median a stroke's, so text-free noise never counts
   as edges even on a page where Otsu would split the noise itself, and a
   soft shadow or fold is never a stroke.  Faded ink on grainy paper -
   Otsu's ink class on average fewer than 4 noise deviations below the
   paper, with 2 % of the page more pixels 2 sigma below the paper than
   above it (a blank noisy page reaches about 1 %) - is median-filtered (3 x 3) and
   measured again: the grain roughly halves, the stroke edges stay.  Its
   paper-level window is at least 9 blocks (faint ink blocks cannot be set
   aside as ink) and the relative-contrast test of step 6 is off (the
   block minima there are the grain's).  A *noisy* page (paper noise of
   NOISY_SIGMA, 5 % of the paper, or more: grey text 50 levels under a
   paper with noise of 18 hides entirely in the grain) is smoothed with
   3 x 3 means instead (each divides white noise by 3, and keeps the
   darkness of thin strokes better than a median) up to MAX_SMOOTHING (2)
   times while the ink is within LOW_SNR deviations (two passes blur like a
   Gaussian of 1.15 px, half the stroke of 8-pt type at 200 dpi; a third
   merged its letters); whether there is ink at all is then decided on the
   smoothed page, and from two passes the stroke edges are too blurred to
   carry the threshold: every pixel darker than the level halfway between
   the paper and the smoothed ink (the median of the pixels 3 sigma below
   the paper), and at least NOISY_MIN_SIGMA smoothed deviations below the
   paper, is ink - the optimum threshold between two classes of equal
   spread (Gonzalez & Woods, *Digital Image Processing*, optimum global
   thresholding); the noise floor (3 deviations) lies most of the way down
   to the smoothed ink of small type and cut its letters into pieces
   (``info["smoothing_passes"]``, ``info["noisy_threshold"]``).  No holes
   are filled there (step 6): the smoothing darkens the counters of small
   letters, and filling them cost Tesseract a tenth of the words of 8-pt
   type at 200 dpi.  **Letter pieces** (hysteresis, after Canny 1986: weak
   evidence is kept where it joins strong evidence): the dot of an i and
   the pieces of a stroke the noise cut are spread by the smoothing in
   every direction, so they come out shallow and small and fail the
   component tests of step 6 (a pixel 4 sigma deep, a speck's area
   ``sw**2``); an ink component of at least PIECE_AREA ``sw**2`` within
   PIECE_REACH stroke widths of a component that passes them is kept,
   while the noise's specks, anywhere on the paper, mostly lie farther
   away (``info["letter_pieces"]``).  On 8-pt type at 200 dpi under noise
   of 18 it finds twice the i-dots and adds 2-5 points of Tesseract's word
   recall (pages other than the benchmark's), at the price of about 20
   specks beside the words of such a page.
4. **Clean pages.** A page whose paper is flat (within 5 % of the ink's
   contrast), quiet (3 %) and whose
   two tones explain >= 85 % of its variance is what a global threshold
   handles exactly: Otsu's result is returned as it is.
5. **Local threshold from stroke edges** (Lu, Su & Tan 2010; Su, Lu & Tan
   2013): in a window of about ``3 sw``, a pixel is ink when the window
   holds at least ``window`` edge pixels and the pixel is at most
   ``mean + k std`` (``k`` = 1/2) of the edge pixels' values - the level
   across the local ink/paper transition, whatever the local contrast.
   Pixels must also be darker than the paper by ``3 sigma``, with the noise
   taken as additive in the scan (larger, after the division, where the
   paper is darker) and at least the local noise: the depth (mean - min)
   of the quietest 8 x 8 block within 4 blocks, over 2.34 (a grey opening
   of the block depths, so ink blocks do not count).  The window statistics are kept per 2 x 2 cell and
   slid along the page in one streaming pass.
6. **Components** (run-length union-find, :mod:`ocrprep.components`):
   ink components smaller than ``sw**2`` (a dot is about ``sw**2``) or
   without a single pixel ``4 sigma`` (and at least 5 %, 8 grey levels)
   darker than the paper - with every pixel already ``3 sigma`` below it,
   noise cannot produce such a component, which keeps a blank page blank -
   are removed, and enclosed paper components that are mostly as dark as
   ink (the inside of strokes too thick for the window) are filled.  Only
   one side of the sheet is available, so writing is told from what shows
   through it, and from stains, by its *shape* (measured on the normalised
   page for every component in the same labelling pass): its depth (the
   darkest 3 x 3 mean below the paper) and its sharpness - the mean Sobel
   magnitude on its boundary over that depth, about 3.2 / s for a step
   blurred with deviation s: the paper diffuses what is seen through it
   (the observation Tan, Cao & Shen 2002 build their show-through removal
   on).  Against the page's writing (medians over its larger components):

   * a component less than BLUR_RATIO as sharp and BLUR_DEPTH as deep is
     diffused - bleed-through, a soft stain - and removed
     (``info["blurred_removed"]``);
   * a component without a pixel half as dark as the darkest ink within
     ``14 sw`` (the old rule for bleed-through beside real ink), but deep
     enough to be ink, is kept only when it looks like writing: at least
     FAINT_SHARPNESS as sharp, FAINT_AREA as large, and on a line of the
     writing (FAINT_ALIGNED of its rows hold writing within
     FAINT_LINE_REACH of its height to its sides: a fainter hand in a line;
     the back's writing runs between the lines).
   * **Colour pages: faint words judged as words, by their colour.**  One
     letter's sharpness spreads about 15 % around its hand's and the
     reference is a median, so a light word exactly as sharp as the dark
     writing beside it loses about half its letters to the test above
     (light grey words beside black ones: pixel recall 62 %).  On a grey
     page nothing else tells such a word from a sharp show-through (DIBCO
     2011-PR2's printed back is as sharp, as faint and on the same
     lines), so the test stays.  On a colour page the colour does: what
     is seen through the paper, and stains, are the paper's colour
     darkened - as saturated in the paper's own hue or more - while ink on
     the sheet brings its own colour (another hue, or for grey and black
     ink less of the paper's).  A faint component whose chroma deviates
     from the paper's at its luma *across or against* the paper's hue by
     FRONT_HUE (8 %) of its depth, beyond the chroma noise of the paper
     around it, is front ink (``_front_ink``); front-ink components are
     grouped into words (one line, gaps under WORD_GAP of their height)
     and a word at least FAINT_WORD_SHARPNESS (0.8) as sharp as the
     writing as a whole (mean boundary gradient over depth), as large as
     FAINT_AREA of a letter and of letters no taller than FAINT_WORD_HEIGHT
     (2) times the writing's (not the long edge of a sheet), is kept
     (``info["faint_words"]``: the components kept so).  Such a word
     needs no dark writing beside it to be on a line: its letters make a
     line with each other (``_own_line``; a light phrase that starts a
     line is farther from the dark words after it than the line test
     reaches).  Grey pages (and R = G = B pages) never take this path.
7. **Faint writing** (local, not page-wide, edge thresholds).  The page-wide
   edge threshold (Otsu of the magnitudes) splits strong edges from weak
   ones, so a word fainter than the page's darkest ink has no edges.  Each
   block's threshold is the page's scaled by the ink depth around it over
   the page's (90th percentile of the ink blocks), never below the noise's
   (``_local_edge_thresholds``; "around it": the blocks within half a
   statistics window, rounded - for small type the block itself, so a dark
   word a block away does not set the threshold of the thin faint strokes
   beside it); the rows holding blocks where it is lower,
   no writing was found (a faint component of the first pass does not
   count: a faint word some of whose letters were kept is looked at again;
   nor does a kept component no deeper than FAINT_MAX_DEPTH of the
   writing - far from dark ink the pieces of a faint word pass the
   relative-contrast test against themselves, and marked the whole line as
   written before)
   and something FAINT_NOISE times deeper than noise lies, are binarized
   again with it, and the new components that look like writing (as above)
   are added (``info["faint_components"]``).  On a colour page the
   blocks beside the *solid* ink are left out only (their components'
   boxes), so a light word some of whose letters came out in pieces is
   binarized again whole and judged by its colour as above; a component
   of the second pass holding ink of the first is added only when the
   whole of it is faint (FAINT_MAX_DEPTH).  **A second hand.**  Measured
   against the page's writing, a fainter hand looks less sharp than it is
   (its thin strokes are cut nearer their edges; on the generated faint
   pages the median faint word has 0.83-0.94 of the writing's sharpness,
   so FAINT_SHARPNESS dropped half of them).  When the candidates are many
   - at least FAINT_HAND_SHARE of the writing's components: a hand, not a
   few stray words - and as a whole not diffused (at least
   FAINT_HAND_SHARPNESS as sharp as the writing: BLUR_RATIO, the measure
   one component is diffused by; at 0.8, a generated page whose hand
   measured 0.799 lost it whole), they are judged against their own median sharpness,
   like any component against the page's writing (BLUR_RATIO), so a word
   of the hand is kept unless it is diffused *relative to that hand*
   (``info["faint_hand"]``: the hand's sharpness, or None); so are the
   pieces of its letters smaller than FAINT_AREA of the writing's (thin
   faint strokes break up), and the line test then accepts a line of the
   hand's own components too (the middle of a run of faint words lies
   farther than FAINT_LINE_REACH from the dark writing).  What shows
   through the sheet is a population too, but diffused as a whole: on the
   DIBCO pages with bleed-through its candidates have a median sharpness of
   0.5-0.75 of the writing's, and where they are sharper (printed
   bleed-through, 2011-PR2: 0.99; 2009-P05: 0.84) they are few (13 % and 5
   % of the writing's components); the generated faint hands are 17-57 %.
   One letter's sharpness spreads about 15 % around its hand's (letters
   with long stems measure deeper), so the hand's letters are also judged
   as words (HAND_WORDS, :func:`_hand_words`): a word holding a letter of
   the hand and as a whole BLUR_RATIO as sharp as the hand keeps all its
   letters (``info["hand_words"]``: the letters kept so).  **Where the hand's strokes end** (HAND_STROKE_END,
   :func:`_cut_at_own_edges`): each of its components is cut at the mean
   value of its own stroke-edge pixels - Su's threshold with k = 0, the
   middle of its ink/paper transition, half its own contrast (the edge
   pixels within HAND_EDGE_BAND of the paper: deeper inside a stroke the
   gradients are the ink's texture, pencil grain) - rather
   than at ``mean + k std`` of the page's window, which sits towards the
   paper (``info["hand_stroke_cut"]``: the pixels given back to the paper).  A faint hand is few noise deviations deep (38-60 levels over a
   noise of 3-4 on the generated pages): a cut near the paper lets the
   noise make its thin strokes ragged and fat; the middle of the
   transition leaves the widest margin to both (the optimum threshold between two
   classes of equal spread, as for noisy pages in step 3).  The writing
   keeps ``k`` = 1/2: DIBCO's ground truth wants its stroke ends towards
   the paper (k = 0 on the whole page: F 88.5; a cut of every component at
   half its local contrast: 88.9), on its sharpest pages (2009-P03,
   2010-H03) most of all, so no edge-sharpness rule reconciles it with a
   half-coverage truth; DIBCO never forms a second hand.
8. **Border cleaning.**  Ink components touching the image border that
   span a third of the page and are either thin lines (the edge of a
   bound volume, the table's edge) or bands (a gutter shadow) are removed;
   text touching the border is neither (``info["border_removed"]``; border
   noise in the sense of Shafait & Breuel 2011).  Before that, **nets**: a
   kept component spanning NET_SPAN of the page both ways and sparse (a
   guilloche under an ID card's text, measured by its colour; colour pages
   only) whose pixels are mostly shallower than NET_DEPTH of the writing's
   depth loses those pixels but its straight runs (a pale table's rules),
   so the letters touching it stay and the pattern goes
   (``info["nets_peeled"]``; :mod:`ocrprep.structures`); a grid as dark as
   the writing stays whole.
   After it, **the letters a removed structure took with it are given
   back**: the structure is what an opening with straight lines of
   RULE_LENGTH stroke widths keeps of the removed ink (a notebook's rules
   joined by its margin line, a frame), the rest of the removed ink in
   pieces of a speck's area or more is put back and its strokes bridged
   across the rule (``info["rescued_from_rules"]``); a solid band (a book's
   edge, a gutter shadow) opens into itself and stays out.

Five passes touch every pixel (block sums, block upper means, normalisation, the fused
threshold pass, the component scan) plus sampled statistics (the colour
conversion is a sixth, fused with the block statistics), so an A4 page at
300 dpi binarizes in about the time of one Sauvola pass, grey or colour
(see BENCHMARKS.md).  On the 37 DIBCO 2009-2011
images: F 91.16, PSNR 18.74 (before issue 13: 91.05 / 18.68; ISauvola
85.1 / 16.8, Otsu 82.3 / 16.1); the generated pages of issue 13 are scored
by ``benchmarks/realworld.py``.

References
----------
R. Adams, L. Bischof, "Seeded region growing", IEEE Trans. PAMI 16(6), 1994.
J. Canny, "A computational approach to edge detection", IEEE Trans. PAMI
8(6), 1986.
B. Gatos, I. Pratikakis, S. J. Perantonis, "Adaptive degraded document
image binarization", Pattern Recognition 39(3), 2006.
S. Lu, B. Su, C. L. Tan, "Document image binarization using background
estimation and stroke edges", IJDAR 13(4), 2010.
R. C. Gonzalez, R. E. Woods, *Digital Image Processing*, 4th ed., Pearson
2018 (10.3: optimum global thresholding).
F. Shafait, T. M. Breuel, "The effect of border noise on the performance of
projection-based page segmentation methods", IEEE Trans. PAMI 33(4), 2011.
B. Su, S. Lu, C. L. Tan, "Robust document image binarization technique for
degraded document images", IEEE Trans. Image Processing 22(4), 2013.
C. L. Tan, R. Cao, P. Shen, "Restoration of archival documents using a
wavelet technique", IEEE Trans. PAMI 24(10), 2002.
"""
from __future__ import annotations

import math
import threading

import numpy as np

from . import _checks
from ._auto import GRAD_BINS, fused_band, stats_band
from ._background import paper_surface
from ._components import clean, clear_border_structures, ink_shapes, label
from ._parallel import bands, run_bands
from .surface import fill_backdrop, find_backdrop
from .background import _apply_gain, _block_means, _grid_dilate, _grid_open2, _radius
from .errors import InvalidParameterError, ParameterTypeError

__all__ = ["auto_binarize", "is_inverted"]

#: Paper level of the normalised page (headroom above for brighter pixels).
PAPER = 200
#: Pixels sampled for the page statistics before rows start being skipped.
SAMPLE_PIXELS = 1 << 21
#: Every ink component needs a pixel at least this much darker than the paper
#: (relative), besides the STRONG_SIGMA noise test.
MIN_CONTRAST = 0.05
#: ... and at least this many grey levels of the original image.
MIN_CONTRAST_LEVELS = 8
#: How the paper noise scales with 1 / background level (1: additive noise).
NOISE_EXPONENT = 1.0
#: A page is "clean" (Otsu's result is returned) when its paper level varies
#: (5th-95th percentile of the background surface) by at most 5 % of the
#: ink's relative contrast (3.5-4 % for black ink), its paper noise is at
#: most 6 levels of the normalised 200 (3 %), and Otsu's classes explain at
#: least 85 % of the grey-level variance (the anti-aliased edges of small
#: type, 9-16 px, hold 9-12 % of it).
CLEAN_FLATNESS_SHARE = 0.05
CLEAN_NOISE = 6.0
CLEAN_SEPARATION = 0.85
#: Paper-level window (automatic ``background_window``): at least
#: 2 * BACKGROUND_MIN_BLOCKS + 1 blocks (8 px), widened to about
#: BACKGROUND_WINDOW_FACTOR stroke widths for thick strokes.
#: Pages whose ink is on average fewer than LOW_SNR noise deviations below
#: the paper, and with at least LOW_SNR_INK of the page more pixels 2 sigma
#: below the paper than above it, are median-filtered (3 x 3) first (a blank
#: noisy or shaded page reaches about 1 %).
LOW_SNR = 4.0
LOW_SNR_INK = 0.02
MAX_SMOOTHING = 2
#: The threshold of a smoothed noisy page lies at least this many smoothed
#: noise deviations below the paper (see _noisy_ink_level).
NOISY_MIN_SIGMA = 2.0
NOISE_FLOOR_PASSES = 2
#: Hysteresis on a smoothed noisy page (after Canny 1986): an ink component
#: that fails the strong test or the speck area is kept when it lies within
#: PIECE_REACH stroke widths of the writing (the components that pass them)
#: and covers at least PIECE_AREA stroke widths squared (see _letter_pieces).
PIECE_REACH = 2.0
PIECE_AREA = 0.5
NOISY_SIGMA = 10.0
SMOOTHED_MIN_BLOCKS = 4
BACKGROUND_MIN_BLOCKS = 2
BACKGROUND_WINDOW_FACTOR = 5.0
FAR_INK_BLOCKS = 8
FAR_INK_DELTA = 0.5
#: Local stroke-edge thresholds: the page's threshold scaled by the ink
#: depth around each block over the EDGE_REF_PERCENTILE of the ink blocks'.
LOCAL_EDGES = True
#: Border cleaning: an ink component touching the image border is removed
#: when it spans BORDER_SPAN of the page's height or width and is either at
#: most BORDER_THIN stroke widths thick across (an edge line) or spans
#: BORDER_SPAN both ways (a band); text touching the border is neither.
BORDER_SPAN = 1.0 / 3.0
#: Nets (a guilloche, a pale grid: one ink component spanning NET_SPAN of
#: the page both ways, covering at most NET_FILL of its box) mostly
#: (NET_SHALLOW of their pixels) shallower than NET_DEPTH of the writing's
#: depth lose those pixels; the letters touching them stay.
NET_SPAN = 1.0 / 3.0
#: Letters a removed border structure took with it are put back: the
#: structure is its straight runs of RULE_LENGTH stroke widths or more
#: (see ocrprep.structures.rescue_from_rules).
RULE_LENGTH = 15.0
NET_FILL = 0.25
NET_FILL_MIN = 0.002
NET_SHALLOW = 0.5
NET_DEPTH = 0.5
BORDER_THIN = 3.0
#: Look for a backdrop (a table around a photographed document).
BACKDROP = True
#: The paper's colour: the mean of the brightest 10 % of the surface.
PAPER_SHARE = 0.1
#: Weight of the chroma distance against the luma difference.
CHROMA_WEIGHT = 1.0
COLOUR_SAMPLE = 1 << 17
#: Measure tinted areas (highlighter, coloured cells) against their own
#: colour too (ocrprep.tinted).
TINTS = True
EDGE_REF_PERCENTILE = 90.0
EDGE_LOCAL_MIN = 0.3
#: Faint writing (components found only with the local edge thresholds):
#: at least this sharp and this large relative to the page's ink.
FAINT_SHARPNESS = 0.95
FAINT_AREA = 0.5
#: ... or in a word (components on one line at most WORD_GAP of their
#: height apart) at least FAINT_WORD_SHARPNESS as sharp, as a whole.
FAINT_WORD_SHARPNESS = 0.8
WORD_GAP = 0.6
#: ... its components no taller than FAINT_WORD_HEIGHT times the writing's.
FAINT_WORD_HEIGHT = 2.0
#: Front ink (:func:`_front_ink`): its colour deviates from the paper's
#: across or against the paper's hue by FRONT_HUE of its depth and at
#: least FRONT_LEVELS levels (grey ink on cream paper: about 0.18).
FRONT_HUE = 0.08
FRONT_LEVELS = 2.0
#: ... and lies on a line of the page's writing: at least FAINT_ALIGNED of
#: its rows hold ink within FAINT_LINE_REACH of its heights to its sides.
FAINT_ALIGNED = 0.6
#: Blocks worth a second look reach FAINT_MIN_DEPTH of the writing's depth
#: and FAINT_NOISE times the depth any ink component needs (lone noisy
#: blocks of a colour page's ink channel reach about 1.5 times it).
FAINT_MIN_DEPTH = 0.2
#: A component of the second pass holding ink of the first is added only
#: when it is at most FAINT_MAX_DEPTH as deep as the writing.
FAINT_MAX_DEPTH = 0.6
FAINT_NOISE = 2.0
#: A second hand: faint candidates numbering FAINT_HAND_SHARE of the
#: writing's components, at least FAINT_HAND_SHARPNESS as sharp (median).
FAINT_HAND_SHARE = 0.15
FAINT_HAND_SHARPNESS = 0.75    # (BLUR_RATIO: diffused as a whole)
#: ... whose letters are also judged as words (:func:`_hand_words`) ...
HAND_WORDS = True
#: ... and whose strokes end at half their own contrast (:func:`_cut_at_own_edges`:
#: the mean of the edge pixels within HAND_EDGE_BAND px of the paper).
HAND_STROKE_END = True
HAND_EDGE_BAND = 2
BLUR_RATIO = 0.75
BLUR_DEPTH = 0.6
FAINT_LINE_REACH = 3.0
#: Statistics window of the local threshold, in stroke widths (Su et al.: 2-3).
WINDOW_FACTOR = 3.0
#: Stroke edges must beat this many times the median Sobel magnitude (noise).
EDGE_NOISE_FACTOR = 3.0
#: Median |gx| + |gy| of the 3 x 3 Sobel operator on white noise of unit
#: deviation (numerically: 5.145): the edge threshold never needs to exceed
#: EDGE_NOISE_FACTOR times this many paper-noise deviations.
SOBEL_NOISE_MEDIAN = 5.15
#: For 64 Gaussian samples, in deviations: the mean of those at or above
#: their mean lies UPPER_BIAS above the mean (sqrt(2 / pi) = 0.798), their
#: maximum UPPER_SPREAD above that (numerically: 1.548).
UPPER_BIAS = 0.798
UPPER_SPREAD = 1.55
#: A sharp step of height d gives a Sobel |gx| + |gy| of 4 d, a step blurred
#: over two pixels about 2 d: stroke edges need at least EDGE_MIN_STEP times
#: the faintest ink contrast.
EDGE_MIN_STEP = 2.0
#: Ink components smaller than SPECK_FACTOR * stroke_width**2 are specks.
SPECK_FACTOR = 1.0
#: The stroke width leaves out the inside of solid dark blocks.
SOLID_BLOCKS = True
#: An ink component needs a pixel at least this fraction of the local ink
#: darkness below the paper (the darkest ink within INK_RADIUS_FACTOR stroke
#: widths): stains, bleed-through and shadows lighter than half the ink
#: around them are not ink.
RELATIVE_CONTRAST = 0.5
INK_RADIUS_FACTOR = 14.0
LOCAL_NOISE_BLOCKS = 4
#: Every ink component needs a pixel this many noise deviations below the paper.
STRONG_SIGMA = 4.0
#: Fill enclosed paper components whose pixels are mostly (this fraction) as
#: dark as the page's ink/paper threshold.
FILL_HOLES = True
HOLE_DARK_FRACTION = 0.5


_DEBUG = {}

#: The normalised page is a scratch buffer of each thread, kept between calls
#: up to this many pixels: a fresh page buffer costs its page faults (a few
#: ms of system time on an A4 page) on every call.
SCRATCH_MAX_PIXELS = 1 << 26
_scratch = threading.local()


def _page_scratch(shape):
    """An uninitialised uint8 page of ``shape`` this thread may reuse on its
    next call (never returned to the caller)."""
    n = int(shape[0]) * int(shape[1])
    if n > SCRATCH_MAX_PIXELS:
        return np.empty(shape, np.uint8)
    buf = getattr(_scratch, "page", None)
    if buf is None or buf.size < n:
        buf = _scratch.page = np.empty(n, np.uint8)
    return buf[:n].reshape(shape)


def _result(work, out, scratch):
    """The page to return: ``work`` copied into the user's ``out``, or into
    a fresh page when it is the thread's scratch buffer."""
    if out is None:
        return work.copy() if work is scratch and scratch.base is not None else work
    return _checks.finish(work, out)


def _otsu(hist) -> int:
    """Otsu's threshold (last bin of the dark class) of a histogram of any length."""
    h = np.asarray(hist, dtype=np.float64)
    total = h.sum()
    if total <= 0:
        return 0
    i = np.arange(h.size, dtype=np.float64)
    w0 = np.cumsum(h)
    m0 = np.cumsum(h * i)
    w1 = total - w0
    mt = m0[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        sb = (mt * w0 - m0 * total) ** 2 / (w0 * w1)
    sb[~np.isfinite(sb)] = -1.0
    sb[(w0 == 0) | (w1 == 0)] = -1.0
    return int(np.argmax(sb))


def _quantile(hist, q) -> float:
    """q-quantile of integer data given by its histogram, interpolated inside the bin."""
    h = np.asarray(hist, dtype=np.float64)
    c = np.cumsum(h)
    if c[-1] <= 0:
        return 0.0
    target = q * c[-1]
    i = int(np.searchsorted(c, target))
    i = min(i, h.size - 1)
    below = c[i - 1] if i > 0 else 0.0
    frac = (target - below) / h[i] if h[i] > 0 else 0.5
    return i - 0.5 + frac


def _paper_level_and_noise(hist):
    """Paper level (the mode) and noise of a normalised page.

    Ink only ever darkens, so the half of the paper distribution above its
    mode is free of it: for Gaussian noise the median distance above the mode
    is 0.6745 sigma.  (Otsu's split is no help here: on a page without ink
    it cuts the noise itself in two.)  Bin i covers [i - 1/2, i + 1/2).
    """
    h = np.asarray(hist, dtype=np.float64)
    smooth = np.convolve(h, [1.0, 2.0, 3.0, 2.0, 1.0], mode="same")
    mode = int(np.argmax(smooth))
    half = 0.5 * h[mode]                      # the part of the mode's bin above it
    total = half + h[mode + 1 :].sum()
    if total <= 0:
        return float(mode), 0.0
    target = 0.5 * total
    if half >= target:
        pos = mode + 0.5 * target / half
    else:
        acc = half
        pos = float(mode + 0.5)
        for i in range(mode + 1, h.size):
            if acc + h[i] >= target:
                pos = i - 0.5 + (target - acc) / h[i]
                break
            acc += h[i]
    return float(mode), (pos - mode) / 0.6745


def _expand(grid, b, shape):
    h, w = shape
    return np.repeat(np.repeat(grid, b, axis=0), b, axis=1)[:h, :w]


def _noise_floor_codes(work, floor_grid, strong_grid, b, tg):
    """The fused pass's codes (csrc/auto.h) without the stroke-edge test:
    ink below the block's noise floor (strong below its strong level)."""
    floor = _expand(floor_grid, b, work.shape)
    strong = _expand(strong_grid, b, work.shape)
    ink = work < floor
    codes = np.where(ink, np.where(work < strong, 0, 64), np.where(work <= tg, 192, 255)).astype(np.uint8)
    np.copyto(work, codes)


def _noisy_ink_level(nhist, med, sigma):
    """Ink/paper threshold of a smoothed noisy page: halfway between the
    paper ``med`` and the ink's level - the median of the pixels more than
    3 sigma below the paper (ink, with the noise averaged down) - and at
    least NOISY_MIN_SIGMA deviations below the paper.  The Bayes threshold
    between two Gaussian classes of equal spread lies halfway between them
    (Gonzalez & Woods: optimum global thresholding)."""
    floor = int(math.floor(med - 3.0 * sigma))
    if floor < 0 or nhist[: floor + 1].sum() <= 0:
        return med - 3.0 * sigma
    ink = _quantile(nhist[: floor + 1], 0.5)
    return min(0.5 * (med + ink), med - NOISY_MIN_SIGMA * sigma)


def _letter_pieces(work, codes, min_area, sw, nthreads=1):
    """Hysteresis on a smoothed noisy page.  ``work`` is cleaned: only the
    components with a pixel at the strong level and of a speck's area or
    more are left (the writing); ``codes`` holds the ink codes before that.
    The other ink components of at least ``min_area`` pixels that lie within
    PIECE_REACH stroke widths of the writing are added to ``work`` - the
    dots of small letters and the pieces of strokes the noise cut, which
    the smoothing left shallow and small - and their number returned; the
    noise's specks lie anywhere on the paper and stay out."""
    from .components import label_components
    from .morphology import erode

    clean(codes, min_area, False, 0, 0.0)
    codes[work == 0] = 255                     # the other components only
    added = np.flatnonzero(codes == 0)
    if added.size == 0:
        return 0
    reach = max(1, int(round(PIECE_REACH * sw)))
    near = erode(work, 2 * reach + 1, threads=nthreads).ravel()[added] == 0   # the writing, grown by the reach
    labels = label_components(codes)[0].ravel()[added]
    lut = np.zeros(int(labels.max()) + 1, bool)
    lut[labels[near]] = True
    work.ravel()[added[lut[labels]]] = 0
    return int(np.count_nonzero(lut))


def _box3(img):
    """3 x 3 mean (edges replicated), rounded."""
    p = np.pad(img, 1, mode="edge").astype(np.uint16)
    rows = p[:-2] + p[1:-1] + p[2:]
    acc = rows[:, :-2] + rows[:, 1:-1] + rows[:, 2:]
    return ((acc + 4) // 9).astype(np.uint8)


def _ink_excess(nhist, med, sigma):
    """Share of the page more than 2 sigma below the paper less the share
    more than 2 sigma above it (ink only darkens; noise is symmetric)."""
    lo = int(math.floor(med - 2.0 * sigma))
    hi = int(math.ceil(med + 2.0 * sigma))
    return float(nhist[: max(lo, 0)].sum() - nhist[min(hi + 1, 256):].sum()) / max(float(nhist.sum()), 1.0)


def _otsu_classes(hist, t):
    """(m0, m1, separation) at threshold t: the mean levels of the dark
    (<= t) and light classes, and Otsu's separability (between-class variance
    / total variance); (0, 0, 0) when a class is empty."""
    h = np.asarray(hist, dtype=np.float64)
    i = np.arange(h.size, dtype=np.float64)
    total = h.sum()
    n0 = h[: t + 1].sum()
    n1 = total - n0
    if total <= 0 or n0 == 0 or n1 == 0:
        return 0.0, 0.0, 0.0
    m0 = (h[: t + 1] * i[: t + 1]).sum() / n0
    m1 = (h[t + 1 :] * i[t + 1 :]).sum() / n1
    mean = (h * i).sum() / total
    var = (h * (i - mean) ** 2).sum() / total
    if var <= 0:
        return float(m0), float(m1), 0.0
    return float(m0), float(m1), float((n0 / total) * (n1 / total) * (m1 - m0) ** 2 / var)


def is_inverted(img, *, threads=None) -> bool:
    """Whether ``img`` looks like light text on a dark background.

    Text is made of thin strokes: in the 12 x 12 blocks they cross, dark ink
    on light paper pulls the block's minimum far below its mean while its
    maximum stays near it, and light ink on dark paper does the opposite;
    noise, texture and shading affect both sides alike.  Over the page
    (every block, or every n-th block row of a large page) the deviations
    beyond three typical half-ranges (the noise) and beyond 8 grey levels
    are summed on each side.  A second cue is the majority: text is the
    minority, so on a light-on-dark page most pixels lie below Otsu's
    threshold.  Both are read as log-odds, ``log(light / dark)`` and
    ``log(below / above)``, and the page is inverted when their sum is
    positive: strongly streaked paper can fool the first cue, large stains
    or heavy shading the second, rarely both.  On the 37 DIBCO pages the
    light/dark ratio is at most 0.5 and at least 72 % of the pixels lie
    above Otsu's threshold (for their negatives: at least 2.0, at most
    28 %).  A blank page has no evidence and is not inverted.

    Parameters
    ----------
    img : (H, W) uint8 ndarray
    threads : int or None, optional
        Accepted for uniformity (the sampled statistics take one thread).

    Returns
    -------
    bool

    Examples
    --------
    >>> import numpy as np
    >>> from ocrprep.auto import is_inverted
    >>> page = np.full((60, 80), 230, np.uint8); page[20:40, 10:70:4] = 20
    >>> is_inverted(page), is_inverted(255 - page)
    (False, True)
    """
    from ._background import block_skew

    img = _checks.image2d(img, contiguous=False)
    _checks.threads(threads, img.size)
    if img.strides[1] != 1:
        img = np.ascontiguousarray(img)
    b = 12  # a few stroke widths of body text at 300 dpi
    step = max(1, img.size // SAMPLE_PIXELS)
    d, l = block_skew(img, b, step)
    if d.size == 0:
        return False
    # deviations within three typical (noise) half-ranges, or below the
    # faintest ink contrast, carry no evidence
    tau = max(3.0 * float(np.median(np.minimum(d, l))), float(MIN_CONTRAST_LEVELS))
    dark = float(np.maximum(d - tau, 0.0).sum())
    light = float(np.maximum(l - tau, 0.0).sum())
    if light <= 0.0:
        return False
    # Second, independent cue: text is the minority, so on a light-on-dark
    # page most pixels lie below Otsu's threshold.  Each cue is read as
    # log-odds and the two are added: paper grain with bright streaks can
    # fool the stroke test, large stains or heavy shading the majority test,
    # rarely both at once.
    from .histogram import histogram

    hist = histogram(img[:: 4 * step], threads=1)  # every 4th sampled row is plenty
    t = _otsu(hist)
    below = min(max(float(hist[: t + 1].sum()) / max(float(hist.sum()), 1.0), 0.02), 0.98)
    score = math.log((light + 1.0) / (dark + 1.0)) + math.log(below / (1.0 - below))
    return score > 0.0


def _block_stats(page, nthreads, pre=None):
    """(paper, mins, maxs, b) on the b x b block grid: each block's paper
    level (from the mean of its pixels at or above its mean, so ink - which
    only darkens - does not pull it down however dense the text), minimum
    and maximum.  ``pre``: the (means, mins, upper, b) of ``page`` already
    computed."""
    if pre is None:
        mins, upper = [], []
        _, b = _block_means(page, nthreads, mins, upper)
    else:
        _, mn, upper, b = pre
        mins = [mn]
    up, mx = upper[0], upper[1].astype(np.float32)
    # the upper mean of paper lies UPPER_BIAS sigma above the paper's mean,
    # and its maximum UPPER_SPREAD sigma above it: remove the bias with the
    # block's own sigma, so shading and noise leave the surface unbiased
    paper = up - (UPPER_BIAS / UPPER_SPREAD) * np.maximum(mx - up, 0.0)
    return np.ascontiguousarray(paper, np.float32), mins[0], mx, b


def _local_edge_thresholds(te, te_floor, darkness, noise_ratio, strong, window, b):
    """Stroke-edge threshold of every block: the page's ``te`` scaled by the
    local ink depth over the page's (so faint writing is judged against its
    own edges), never below the noise floor ``te_floor`` (scaled by the
    local noise) nor above ``te``."""
    if not LOCAL_EDGES:
        return np.full(darkness.shape, te, np.uint16)
    inky = darkness >= strong
    if not inky.any():
        return np.full(darkness.shape, te, np.uint16)
    ref = max(float(np.percentile(darkness[inky], EDGE_REF_PERCENTILE)), 1.0)
    # the ink the statistics window (``window`` px) of a block's pixels
    # reaches: blocks within half a window, rounded (none beyond the block
    # itself for small type: a floor of one block let a dark word 8-16 px
    # away set the threshold of the thin faint strokes beside it)
    r = int(math.floor(window / (2.0 * b) + 0.5))
    depth = _grid_dilate(np.ascontiguousarray(darkness), r) if r > 0 else darkness
    local = np.maximum(te * np.clip(depth / ref, EDGE_LOCAL_MIN, 1.0), te_floor * np.maximum(noise_ratio, 1.0))
    return np.ascontiguousarray(np.clip(np.ceil(np.minimum(local, te)), 0, 65535).astype(np.uint16))


def _shape_measures(st, med):
    """(sharpness, depth, area) per component from :func:`ink_shapes`'s
    statistics: depth is ``med`` less its darkest 3 x 3 mean (the minimum
    would be the noise's), sharpness the mean Sobel magnitude on its
    boundary over that depth.  A step blurred by a Gaussian of deviation s
    gives about 3.2 / s: ink on the sheet is sharp, writing seen through the
    paper is diffused."""
    depth = np.maximum(med - st["min9"] / 9.0, 1.0)
    sharp = st["gsum"] / np.maximum(st["gcount"], 1) / depth
    return sharp, depth, st["area"].astype(np.float64)


def _writing_decision(med, front=None, tally=None, shape=None):
    """(decide, result) for the component pass: ``decide`` measures the ink
    components on the normalised page and selects for removal the diffused
    ones (less than BLUR_RATIO as sharp as the page's writing and less than
    BLUR_DEPTH as deep: bleed-through, soft stains) and the faint ones (no
    pixel half as dark as the ink around) that do not look like writing
    (FAINT_SHARPNESS as sharp, FAINT_AREA as large, on its lines);
    ``result`` then holds ``ref`` - (sharpness, depth, area) of the writing,
    medians over its larger components - and the numbers ``blurred`` and
    ``faint`` (kept)."""
    out = {}

    def decide(st):
        sharp, depth, area = _shape_measures(st, med)
        faint = st["faint"].astype(bool)
        solid = ~faint
        solid[0] = False
        if not solid.any():
            return faint if faint.any() else None
        big = solid & (area >= np.median(area[solid]))
        ref = (float(np.median(sharp[big])), float(np.median(depth[big])), float(np.median(area[big])),
               float(np.median((st["y1"] - st["y0"] + 1)[big])))
        out["ref"] = ref
        out["n_solid"] = int(solid.sum())
        remove = np.zeros(area.shape, bool)
        if BLUR_RATIO > 0:
            remove |= (sharp < BLUR_RATIO * ref[0]) & (depth < BLUR_DEPTH * ref[1])
        if faint.any():
            worded = np.zeros(area.shape, bool)
            writing = _looks_like_writing(st, faint, sharp, depth, area, ref,
                                          None if front is None else (lambda c: front(st, c, 0)), tally,
                                          worded)
            if FAINT_ALIGNED > 0 and writing.any():
                writing &= _beside_writing(st, writing, solid & ~remove) | _own_line(st, worded)
            remove |= faint & ~writing
            out["faint"] = int((faint & ~remove).sum())
        remove[0] = False
        out["blurred"] = int((remove & ~faint).sum())
        kept = solid & ~remove
        out["solid"] = tuple(st[k][kept] for k in ("y0", "y1", "x0", "x1"))
        if NET_SPAN > 0 and shape is not None:
            # nets: components spanning NET_SPAN of the page both ways,
            # sparse (a guilloche, a pale grid, with the text touching it)
            hh, ww = st["y1"] - st["y0"] + 1, st["x1"] - st["x0"] + 1
            net = kept & (hh >= NET_SPAN * shape[0]) & (ww >= NET_SPAN * shape[1]) \
                & (area <= NET_FILL * hh * ww)
            if net.any():
                out["nets"] = [tuple(int(st[k][i]) for k in ("y0", "y1", "x0", "x1")) for i in np.flatnonzero(net)]
        # pieces of a faint word the page-wide threshold kept (no deeper
        # than FAINT_MAX_DEPTH of the writing: far from dark ink they pass
        # the relative-contrast test against themselves) do not mark their
        # blocks as the writing's, so the faint pass looks at the word again
        shallow = kept & (depth <= FAINT_MAX_DEPTH * ref[1])
        st["faint"][shallow] = 1
        return remove

    return decide, out


def _faint_pass(work, norm, med, ref, n_solid, inked, local_thresholds, te, darkness, absolute, kc, nmin, k,
                tg, floor_grid, faint_grid, b, min_area, nthreads, front=None, tally=None):
    """Binarize again, with each block's own edge threshold, the rows holding
    blocks where that threshold is lower than the page's and their ink could
    pass the noise tests; add to ``work`` the new components as large
    (FAINT_AREA) as the page's writing, on its lines (FAINT_ALIGNED) and as
    sharp as it (FAINT_SHARPNESS) - or, when they are a second hand of their
    own (:func:`_second_hand`), as sharp as that hand.  Returns (their
    number, the hand's sharpness or None)."""
    h, w = work.shape
    # blocks deep enough to hold ink, away from the writing found (the
    # edges of its strokes spill into the neighbouring blocks; ``inked``
    # marks the blocks of the components that are not faint, so a faint
    # word some of whose letters the first pass kept is looked at again) ...
    want = darkness >= np.maximum(FAINT_NOISE * absolute, FAINT_MIN_DEPTH * ref[1])
    if not want.any():
        return 0, None, 0, 0
    # on a colour page ``inked`` marks the boxes of the solid components
    if callable(inked):
        inked = inked()
    want &= _grid_dilate(np.ascontiguousarray(inked, dtype=np.float32), 1) == 0
    if not want.any():
        return 0, None, 0, 0
    # ... where the local edge threshold is lower than the page's
    te_local = local_thresholds()
    want &= te_local < te
    if not want.any():
        return 0, None, 0, 0
    rows = np.nonzero(want.any(axis=1))[0]
    margin = max(1, int(math.ceil((_halo_rows(kc) + 2 * kc) / b)))
    spans = []
    for r in rows:
        lo, hi = max(0, r - margin), min(want.shape[0], r + margin + 1)
        if spans and lo <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], hi)
        else:
            spans.append([lo, hi])
    # every span binarized with its blocks' own edge thresholds, then the
    # components judged together: a second hand is judged as a whole
    faint_bw = np.full(work.shape, 255, np.uint8)
    for lo, hi in spans:
        y0, y1 = lo * b, min(h, hi * b)
        sub = np.array(norm[y0:y1], copy=True)
        _fused_pass(sub, np.ascontiguousarray(te_local[lo:hi]), kc, nmin, k, tg,
                    np.ascontiguousarray(floor_grid[lo:hi]), np.ascontiguousarray(faint_grid[lo:hi]), b,
                    nthreads)
        clean(sub, min_area, True, -1 if FILL_HOLES else 0, HOLE_DARK_FRACTION)
        faint_bw[y0:y1] = sub
    count = {}

    def decide(st):
        sharp, depth, area = _shape_measures(st, med)
        # a component holding ink of the first pass is that ink (with
        # bleed-through or a stain attached, maybe) unless it is faint as a
        # whole: a faint word some of whose letters were kept
        alone = (st["overlap"] == 0) | (depth <= FAINT_MAX_DEPTH * ref[1])
        alone[0] = False
        lines = _on_text_lines(work, st, alone) if FAINT_ALIGNED > 0 else alone
        worded = np.zeros(area.shape, bool)
        keep = _looks_like_writing(st, alone, sharp, depth, area, ref,
                                   None if front is None else (lambda c: front(st, c, 0, faint_bw)), tally,
                                   worded)
        keep &= lines | _own_line(st, worded)
        keep[0] = False
        cand = alone & lines & (area >= FAINT_AREA * ref[2])
        hand = _second_hand(sharp[cand], ref[0], n_solid)
        if hand is not None:
            # the hand's letters and the pieces of them the threshold left
            # (as large as a dot, the speck test) are judged against it, on
            # the lines of the writing or in a line of the hand itself (the
            # middle of a run of faint words is far from the dark writing)
            members = alone & (sharp >= BLUR_RATIO * hand)
            if FAINT_ALIGNED > 0 and members.any():
                members &= lines | _in_a_line(st, members)
            if HAND_WORDS and members.any():
                words = _hand_words(st, alone, members, depth, hand, ref)
                count["words"] = int((words & ~members & ~keep).sum())
                members |= words
            keep |= members
            count["members"] = members & keep
        count["n"] = int(keep.sum())
        count["hand"] = hand
        return keep

    ink_shapes(faint_bw, norm, other=work, decide=decide, target=work, value=0)
    cut = 0
    if HAND_STROKE_END and count.get("hand") is not None and count["members"].any():
        cut = _cut_at_own_edges(work, norm, faint_bw, count["members"], te_local, b)
    return count.get("n", 0), count.get("hand"), count.get("words", 0), cut


def _word_sharpness(st, cand, depth):
    """The components ``cand`` grouped into words (:func:`_word_groups`):
    ``(sel, inv, n, grad, norm)`` - the grouped components, the word of
    each (0..n-1), and per word the sum of its letters' boundary gradients
    and of their boundary lengths times depths; a word's sharpness is
    ``grad / norm`` (compared as ``grad >= s * norm``)."""
    groups = _word_groups(st, cand)
    sel = np.nonzero(groups >= 0)[0]
    uniq, inv = np.unique(groups[sel], return_inverse=True)
    grad = np.bincount(inv, weights=st["gsum"][sel].astype(np.float64), minlength=uniq.size)
    norm = np.bincount(inv, weights=(st["gcount"][sel] * depth[sel]).astype(np.float64), minlength=uniq.size)
    return sel, inv, uniq.size, grad, norm


def _hand_words(st, alone, members, depth, hand, ref):
    """The letters of the second hand's words: the candidates ``alone`` no
    taller than FAINT_WORD_HEIGHT times the writing grouped into words
    (:func:`_word_groups`), a word holding a letter of the hand
    (``members``: on a line, so its word is too) and as a whole at least
    BLUR_RATIO as sharp as the hand ``hand`` (its mean boundary gradient
    over its letters' depths).  One letter's sharpness spreads about 15 %
    around its hand's median (a letter with long stems, or over the
    bleed-through, measures deeper), so the letter test alone drops the
    tail of the hand's own letters."""
    pool = alone & ((st["y1"] - st["y0"] + 1) <= FAINT_WORD_HEIGHT * ref[3])
    sel, inv, n_words, grad, norm = _word_sharpness(st, pool, depth)
    words = np.zeros(alone.shape, bool)
    if sel.size == 0:
        return words
    of_hand = np.bincount(inv, weights=members[sel].astype(np.float64), minlength=n_words) > 0
    ok = of_hand & (grad >= BLUR_RATIO * hand * np.maximum(norm, 1e-9))
    words[sel] = ok[inv]
    return words


def _cut_at_own_edges(work, norm, bw, sel, te_grid, b):
    """Cut the components ``sel`` of ``bw`` (numbered as :func:`ink_shapes`
    numbers them) in ``work`` at the mean value of their own stroke-edge
    pixels: Su's threshold with k = 0, the level across the component's
    ink/paper transition - half its own contrast.

    The pixels of a component at or above that level become paper (their
    number is returned).  Its edge pixels are those of its pixels within
    HAND_EDGE_BAND of the paper (up, down, left or right) and their
    8-neighbours whose Sobel magnitude |gx| + |gy| on ``norm`` beats their
    block's threshold ``te_grid`` (b x b blocks), as in the fused pass."""
    h, w = work.shape
    pick = np.array(sel, dtype=bool)
    pick[0] = False
    labels = np.empty(bw.shape, np.int32)     # (label writes every pixel)
    label(bw, labels)
    labels = labels.ravel()
    ink = bw.ravel() < 128
    pix = np.flatnonzero(ink)
    ids = labels[pix]
    mine = pick[ids]
    pix, ids = pix[mine], ids[mine]
    if pix.size == 0:
        return 0
    # the components grown by one pixel (their edges lie on both sides of
    # the transition); a pixel beside two of them counts for one
    ys, xs = np.divmod(pix, w)
    grown = np.zeros(h * w, np.int32)
    for dy in (-1, 0, 1):
        ny = np.clip(ys + dy, 0, h - 1)
        for dx in (-1, 0, 1):
            grown[ny * w + np.clip(xs + dx, 0, w - 1)] = ids
    # ... less its inside (ink up to HAND_EDGE_BAND pixels away up, down,
    # left and right): the gradients there are the ink's own texture
    # (pencil grain, uneven ink), not its edge, and would pull the level
    # towards the ink; thin strokes have no inside
    inside = np.ones(ys.size, bool)
    for d in range(1, HAND_EDGE_BAND + 1):
        inside &= (ink[np.clip(ys - d, 0, h - 1) * w + xs] & ink[np.clip(ys + d, 0, h - 1) * w + xs]
                   & ink[ys * w + np.clip(xs - d, 0, w - 1)] & ink[ys * w + np.clip(xs + d, 0, w - 1)])
    grown[pix] = np.where(inside, 0, ids)
    top, bottom = max(0, int(ys[0]) - 1) * w, min(h, int(ys[-1]) + 2) * w
    ring = top + np.flatnonzero(grown[top:bottom].view(np.uint32) > 0)
    gid = grown[ring]
    # Sobel |gx| + |gy| there (rows and columns replicated at the page's edges)
    gy, gx = np.divmod(ring, w)
    rows = [np.clip(gy + d, 0, h - 1) * w for d in (-1, 0, 1)]
    cols = [np.clip(gx + d, 0, w - 1) for d in (-1, 0, 1)]
    flat = norm.ravel()
    v = [[flat[rows[i] + cols[j]].astype(np.int16) for j in range(3)] for i in range(3)]
    sgx = (v[0][2] + 2 * v[1][2] + v[2][2]) - (v[0][0] + 2 * v[1][0] + v[2][0])
    sgy = (v[2][0] + 2 * v[2][1] + v[2][2]) - (v[0][0] + 2 * v[0][1] + v[0][2])
    te = te_grid[np.minimum(gy // b, te_grid.shape[0] - 1), np.minimum(gx // b, te_grid.shape[1] - 1)]
    edge = (np.abs(sgx) + np.abs(sgy)) > te
    cnt = np.bincount(gid[edge], minlength=pick.size)
    tot = np.bincount(gid[edge], weights=v[1][1][edge], minlength=pick.size)
    level = np.where(cnt > 0, tot / np.maximum(cnt, 1), np.inf)
    cut = pix[flat[pix] >= level[ids]]
    work[cut // w, cut % w] = 255
    return int(cut.size)


def _second_hand(sharp, ref_sharp, n_solid):
    """The sharpness of a second, fainter hand among the faint candidates
    ``sharp`` (on the lines of the writing, as large as its letters), or
    None.  The candidates are a hand of their own when they are many - at
    least FAINT_HAND_SHARE of the writing's components: a few faint words
    are judged one by one against the writing (FAINT_SHARPNESS) - and
    typically at least FAINT_HAND_SHARPNESS as sharp as the writing; each is
    then judged against the hand's median like any component against the
    page's writing (BLUR_RATIO).  Writing seen through the sheet is a
    population too, but diffused as a whole (median sharpness 0.5-0.8 of
    the front's on DIBCO's bleed-through pages)."""
    n = sharp.size
    if n == 0 or n < FAINT_HAND_SHARE * max(n_solid, 1):
        return None
    hand = float(np.median(sharp))
    return hand if hand >= FAINT_HAND_SHARPNESS * ref_sharp else None


def _word_groups(st, cand):
    """Group labels (-1: not a candidate) of the components ``cand``: those
    on one line (their rows overlap by half the lower's height) and at most
    WORD_GAP of that height apart are one word (letters, and the pieces of
    a letter, group; the gap between words is about a third of the type's
    height)."""
    groups = np.full(cand.shape, -1, np.int64)
    idx = np.nonzero(cand)[0]
    if idx.size == 0:
        return groups
    y0, y1 = st["y0"][idx].astype(np.int64), st["y1"][idx].astype(np.int64)
    x0, x1 = st["x0"][idx].astype(np.int64), st["x1"][idx].astype(np.int64)
    hgt = y1 - y0 + 1
    order = np.argsort(x0, kind="stable")
    # every pair (a, b), b after a in x order and starting within a's reach
    reach = x1[order] + WORD_GAP * hgt[order] + 1
    last = np.searchsorted(x0[order], reach, side="right")
    span = np.maximum(last - np.arange(idx.size) - 1, 0)
    a = np.repeat(np.arange(idx.size), span)
    b = a + 1 + (np.arange(a.size) - np.repeat(np.cumsum(span) - span, span))
    a, b = order[a], order[b]
    rows = np.minimum(y1[a], y1[b]) - np.maximum(y0[a], y0[b]) + 1
    near = (rows >= 0.5 * np.minimum(hgt[a], hgt[b])) & (x0[b] - x1[a] <= WORD_GAP * np.maximum(hgt[a], hgt[b]) + 1)
    a, b = a[near], b[near]
    # connected components of those pairs: each takes its smallest member
    root = np.arange(idx.size)
    while a.size:
        low = np.minimum(root[a], root[b])
        before = root.copy()
        np.minimum.at(root, a, low)
        np.minimum.at(root, b, low)
        root = root[root]
        if np.array_equal(root, before):
            break
    groups[idx] = idx[root]
    return groups

def _looks_like_writing(st, cand, sharp, depth, area, ref, front=None, tally=None, worded=None):
    """Of the components ``cand``: those as sharp (FAINT_SHARPNESS) and as
    large (FAINT_AREA) as the page's writing ``ref``; on a colour page also
    those whose colour says they lie on the sheet (``front(cand)``, see
    :func:`_front_ink`) and whose word is, as a whole, FAINT_WORD_SHARPNESS
    as sharp.

    One letter's sharpness spreads about 15 % around its hand's and the
    writing's reference is a median, so a faint word exactly as sharp as
    the writing loses about half its letters to the test at
    FAINT_SHARPNESS; a word (:func:`_word_groups`) averages that spread
    out: its sharpness is the mean over its letters' boundaries of the
    Sobel magnitude over the letter's depth, its area at least FAINT_AREA
    of a letter's.  On a grey page the word test is not made: a sharp
    show-through (DIBCO 2011-PR2, printed on the back) is as sharp, as
    faint and on the same lines as a light grey word; only its colour
    tells them apart."""
    ok = cand & (sharp >= FAINT_SHARPNESS * ref[0]) & (area >= FAINT_AREA * ref[2])
    if front is None or FAINT_WORD_SHARPNESS <= 0:
        return ok
    # letters: no taller than FAINT_WORD_HEIGHT times the writing's (the
    # edge of a sheet or of a fragment is sharp, and long)
    letters = cand & ((st["y1"] - st["y0"] + 1) <= FAINT_WORD_HEIGHT * ref[3])
    if (letters & ~ok).any():
        rest = letters & front(letters)       # the word: its sharp letters too
    else:
        return ok
    if not rest.any():
        return ok
    sel, inv, n_words, grad, norm = _word_sharpness(st, rest, depth)
    garea = np.bincount(inv, weights=area[sel], minlength=n_words)
    word_ok = (grad >= FAINT_WORD_SHARPNESS * ref[0] * np.maximum(norm, 1e-9)) & (garea >= FAINT_AREA * ref[2])
    if tally is not None:
        tally["words"] = tally.get("words", 0) + int((word_ok[inv] & ~ok[sel]).sum())
    ok[sel] |= word_ok[inv]
    if worded is not None:
        # (words of at least two letters: what :func:`_own_line` may take
        # for a line of writing)
        worded[sel] |= word_ok[inv] & (np.bincount(inv, minlength=n_words)[inv] >= 2)
    return ok


def _own_line(st, worded):
    """The components of front-ink words (``worded``, colour pages) that
    make a line with each other (:func:`_in_a_line`).  Such a word's colour
    says it lies on the sheet - not seen through it - so, like a second
    hand, it needs no dark writing beside it to be writing: a light phrase
    at the start of a line is farther than FAINT_LINE_REACH from the dark
    words after it."""
    if not worded.any():
        return worded
    return worded & _in_a_line(st, worded)


def _box_blocks(boxes, shape, b):
    """The b x b blocks (grid ``shape``) the boxes (y0, y1, x0, x1 arrays,
    inclusive pixel bounds) touch, as a uint8 grid."""
    y0, y1, x0, x1 = (np.asarray(v, np.int64) // b for v in boxes)
    gw = shape[1] + 1
    size = (shape[0] + 1) * gw
    # corner increments of every box, summed (a 2-d difference array)
    acc = (np.bincount(y0 * gw + x0, minlength=size) - np.bincount(y0 * gw + x1 + 1, minlength=size)
           - np.bincount((y1 + 1) * gw + x0, minlength=size) + np.bincount((y1 + 1) * gw + x1 + 1, minlength=size))
    acc = acc.reshape(shape[0] + 1, gw)
    return (acc.cumsum(axis=0).cumsum(axis=1)[: shape[0], : shape[1]] > 0).astype(np.uint8)


def _beside_writing(st, cand, solid):
    """For the components ``cand``: whether FAINT_ALIGNED of their rows are
    rows of a ``solid`` component (bounding boxes) within FAINT_LINE_REACH of
    their own height to the left or right - the same line of writing."""
    ok = np.zeros(cand.shape, bool)
    sy0, sy1, sx0, sx1 = (st[k][solid] for k in ("y0", "y1", "x0", "x1"))
    for c in np.nonzero(cand)[0]:
        y0, y1, x0, x1 = int(st["y0"][c]), int(st["y1"][c]), int(st["x0"][c]), int(st["x1"][c])
        reach = FAINT_LINE_REACH * (y1 - y0 + 1)
        near = (sx1 >= x0 - reach) & (sx0 <= x1 + reach) & (sy1 >= y0) & (sy0 <= y1)
        if not near.any():
            continue
        ok[c] = _rows_shared(y0, y1, sy0[near], sy1[near]) >= FAINT_ALIGNED
    return ok


def _rows_shared(y0, y1, top, bottom) -> float:
    """Share of the rows y0..y1 (inclusive) that lie within one of the row
    spans top[i]..bottom[i] (inclusive)."""
    rows = np.zeros(y1 - y0 + 1, bool)
    for a, b in zip(np.maximum(top, y0) - y0, np.minimum(bottom, y1) - y0):
        rows[a: b + 1] = True
    return rows.mean()

def _in_a_line(st, cand):
    """For the components ``cand``: whether FAINT_ALIGNED of their rows are
    rows of another of them (bounding boxes) within FAINT_LINE_REACH of
    their own height to the left or right - a line of their own."""
    ok = np.zeros(cand.shape, bool)
    idx = np.nonzero(cand)[0]
    sy0, sy1, sx0, sx1 = (st[k][idx] for k in ("y0", "y1", "x0", "x1"))
    for j, c in enumerate(idx):
        y0, y1, x0, x1 = int(sy0[j]), int(sy1[j]), int(sx0[j]), int(sx1[j])
        reach = FAINT_LINE_REACH * (y1 - y0 + 1)
        near = (sx1 >= x0 - reach) & (sx0 <= x1 + reach) & (sy1 >= y0) & (sy0 <= y1)
        near[j] = False
        if not near.any():
            continue
        ok[c] = _rows_shared(y0, y1, sy0[near], sy1[near]) >= FAINT_ALIGNED
    return ok


def _on_text_lines(bw, st, cand):
    """For the components ``cand`` (bounding boxes in ``st``): whether
    FAINT_ALIGNED of their rows hold ink of ``bw`` within FAINT_LINE_REACH
    of their own height to the left or right - the same text line: a fainter
    word in a line of writing.  Writing seen through the sheet runs between
    the lines of the front."""
    h, w = bw.shape
    cb = 8
    wb = (w + cb - 1) // cb
    padded = np.ones((h, wb * cb), np.uint8)
    padded[:, :w] = bw
    blocks = padded.reshape(h, wb, cb).min(axis=2) < 128
    pre = np.zeros((h, wb + 1), np.int32)
    np.cumsum(blocks, axis=1, out=pre[:, 1:])
    ok = np.zeros(cand.shape, bool)
    idx = np.nonzero(cand)[0]
    if idx.size == 0:
        return ok
    # every row of every candidate at once (a candidate per run of rows)
    y0 = st["y0"][idx].astype(np.int64)
    height = st["y1"][idx].astype(np.int64) - y0 + 1
    reach = FAINT_LINE_REACH * height
    a = np.maximum(0, np.floor((st["x0"][idx] - reach) / cb)).astype(np.int64)
    b = np.minimum(wb, np.floor((st["x1"][idx] + reach) / cb).astype(np.int64) + 1)
    owner = np.repeat(np.arange(idx.size), height)
    starts = np.cumsum(height) - height
    rows = y0[owner] + (np.arange(owner.size) - starts[owner])
    hit = (pre[rows, b[owner]] - pre[rows, a[owner]]) > 0
    ok[idx] = np.bincount(owner, weights=hit, minlength=idx.size) / height >= FAINT_ALIGNED
    return ok


def _fused_pass(work, te_grid, kc, nmin, k, tg, floor_grid, strong_grid, b, nthreads, dest=None,
                faint_grid=None):
    """Classify every pixel of the normalised page ``work`` (codes of
    csrc/auto.h) in place, or into ``dest``, in bands of whole 2 x 2 cells;
    in place, each band gets copies of the rows its neighbours overwrite."""
    h = work.shape[0]
    ch2 = (h + 1) // 2
    halo = _halo_rows(kc)
    min_rows = max(32, 2 * halo)
    nspans = 1 if nthreads <= 1 else min(4 * nthreads, max(1, ch2 // min_rows))
    spans = [(2 * c0, min(h, 2 * c1)) for c0, c1 in bands(ch2, nspans)]
    if dest is None:
        snaps = [
            (np.array(work[max(0, y0 - halo) : y0], copy=True), np.array(work[y1 : min(h, y1 + halo)], copy=True))
            for y0, y1 in spans
        ]
    else:   # nothing is overwritten: the neighbours' rows are read in place
        snaps = [(work[max(0, y0 - halo) : y0], work[y1 : min(h, y1 + halo)]) for y0, y1 in spans]

    def fused(i0, i1):
        for i in range(i0, i1):
            y0, y1 = spans[i]
            top, bottom = snaps[i]
            fused_band(work, y0, y1, top, bottom, te_grid, kc, nmin, k, tg, floor_grid, strong_grid, b,
                       dest, faint_grid)

    run_bands(fused, len(spans), nthreads, min_rows=1)


def _ink_channel(rgb, backdrop, nthreads, stats=None, tint_info=None):
    """The grey page the colour page is binarized as: the luma darkened by
    CHROMA_WEIGHT times the chroma distance of each pixel from the paper's
    chroma (scaled to the pixel's brightness, so shading keeps the paper's
    hue).  The
    paper's colour is the mean of the brightest PAPER_SHARE of the
    (sampled) pixels of the writing surface.  Ink of any hue differs from
    the paper in luma or in chroma or both; a grey page (R = G = B) gives
    its luma exactly."""
    from ._color import ink_band, paper_sample
    from .color import to_grayscale
    from .tinted import BLOCK as TINT_BLOCK, TINT_DISTANCE, TINT_RAMP, tint_grid

    h, w = rgb.shape[:2]
    # a sample of about COLOUR_SAMPLE pixels is plenty for one colour
    step = max(1, int(math.sqrt((h * w) / COLOUR_SAMPLE)))
    hist = None
    if backdrop is not None:
        mask, cell = backdrop
        hist, sums, coloured = paper_sample(rgb, step, np.ascontiguousarray(mask, dtype=np.uint8), cell)
    if hist is None or hist.sum() == 0:
        hist, sums, coloured = paper_sample(rgb, step)
    k = int((1.0 - PAPER_SHARE) * (int(hist.sum()) - 1))
    # the brightest PAPER_SHARE: every pixel at or above the k-th smallest
    # luma, read off the luma histogram
    top = int(np.searchsorted(np.cumsum(hist), k, side="right"))
    n = float(hist[top:].sum())
    r0, g0, b0 = (float(v) / n for v in sums[top:].sum(axis=0))
    l0 = float((hist[top:] * np.arange(top, 256)).sum()) / n
    ka = kc = 0
    if l0 >= 16.0:   # (a black page has no paper colour to speak of)
        ka = int(round(512.0 * (r0 - g0) / l0))
        kc = int(round(512.0 * (r0 + g0 - 2.0 * b0) / l0))
    if ka == 0 and kc == 0 and not coloured:
        # grey paper and not one coloured pixel in the sample: a grey page
        # stored as colour (R = G = B: the ink channel is the luma)
        return to_grayscale(rgb, threads=nthreads), None
    src = rgb if rgb.strides[2] == 1 and rgb.strides[1] in (3, 4) else np.ascontiguousarray(rgb)
    out = np.empty((h, w), np.uint8)
    kw = int(round(256 * CHROMA_WEIGHT))
    paper = (r0, g0, b0, l0) if l0 >= 16.0 else None
    # highlighter, coloured cells: areas of another colour under the writing
    # are measured against their own colour too (ocrprep.tinted)
    tints = tint_grid(src, ka, kc, l0) if TINTS and l0 >= 16.0 else None
    if tints is None:
        produce = lambda y0, y1: ink_band(src, out, y0, y1, ka, kc, kw)  # noqa: E731
    else:
        from ._tinted import tint_band

        tint_grid_, tint_count = tints
        near, span = TINT_DISTANCE, max(1, int(round(TINT_RAMP * TINT_DISTANCE)))

        def produce(y0, y1):
            ink_band(src, out, y0, y1, ka, kc, kw)
            tint_band(src, out, y0, y1, tint_grid_, tint_count, TINT_BLOCK, ka, kc, near, span)

        if tint_info is not None:
            tint_info["tinted"] = float(np.count_nonzero(tint_count)) / tint_count.size
    if stats is not None:
        # the block statistics of the page, each band measured as soon as
        # it is written (one read of the ink channel less, from the cache)
        mins, upper = [], []
        means, b = _block_means(out, nthreads, mins, upper, produce=produce)
        stats.append((means, mins[0], upper, b))
    else:
        run_bands(produce, h, nthreads, min_rows=32)
    return out, paper


def _front_ink(rgb, paper, binary):
    """``front(st, cand, y0=0, bw=None)``: which of the components ``cand``
    (bounding boxes in ``st``, rows offset by ``y0`` in the page; ink 0 in
    ``bw``, the page's result ``binary`` by default) are coloured like ink
    on the sheet rather than like something under or in it.

    Show-through is seen through the paper and stains are in it: both are
    the paper's colour darkened, as saturated in the paper's own hue as the
    paper or more.  Ink on the sheet brings its own colour: a different hue
    or (grey, black) less of the paper's.  Per pixel the chroma (opponent
    axes R - G, (R + G - 2 B) / 2) is compared with the paper's at the
    pixel's luma; what deviates across the paper's hue or against it is
    the ink's evidence.  A component is front ink when its mean evidence
    (less that of the paper around it: the chroma noise) is FRONT_HUE of
    its depth in the ink channel (luma depth plus that evidence) and at
    least FRONT_LEVELS grey levels."""
    r0, g0, b0, l0 = paper
    h, w = rgb.shape[:2]
    pa, pc = (r0 - g0) / l0, (r0 + g0 - 2.0 * b0) / (2.0 * l0)
    norm = math.hypot(pa, pc)
    ua, uc = (pa / norm, pc / norm) if norm > 1e-3 else (0.0, 0.0)

    def front(st, cand, y0=0, bw=None):
        bw = binary if bw is None else bw
        out = np.zeros(cand.shape, bool)
        for c in np.nonzero(cand)[0]:
            cy0, cy1, cx0, cx1 = int(st["y0"][c]), int(st["y1"][c]) + 1, int(st["x0"][c]), int(st["x1"][c]) + 1
            pad = max(2, (cy1 - cy0) // 2)
            ay0, ay1 = max(0, cy0 - pad), min(bw.shape[0], cy1 + pad)
            ax0, ax1 = max(0, cx0 - pad), min(w, cx1 + pad)
            px = rgb[y0 + ay0: y0 + ay1, ax0: ax1, :3].astype(np.float32)
            r, g, b = px[..., 0], px[..., 1], px[..., 2]
            lum = 0.299 * r + 0.587 * g + 0.114 * b
            da = (r - g) - pa * lum
            dc = 0.5 * (r + g - 2.0 * b) - pc * lum
            if ua or uc:
                along = da * ua + dc * uc
                evidence = np.abs(da * uc - dc * ua) + np.maximum(-along, 0.0)
            else:
                evidence = np.hypot(da, dc)
            region = bw[ay0:ay1, ax0:ax1]
            core = np.zeros(region.shape, bool)
            core[cy0 - ay0: cy1 - ay0, cx0 - ax0: cx1 - ax0] = region[cy0 - ay0: cy1 - ay0, cx0 - ax0: cx1 - ax0] < 128
            # the paper around: 2 pixels clear of any ink (the anti-aliased
            # fringe of the strokes is partly ink, in colour as in depth)
            grown = region < 128
            for _ in range(2):
                g = grown.copy()
                g[1:] |= grown[:-1]
                g[:-1] |= grown[1:]
                g[:, 1:] |= grown[:, :-1]
                g[:, :-1] |= grown[:, 1:]
                grown = g
            around = ~grown
            if not core.any() or not around.any():
                continue
            hue = float(evidence[core].mean() - evidence[around].mean())
            depth = float(lum[around].mean() - lum[core].mean())
            out[c] = hue >= FRONT_LEVELS and hue >= FRONT_HUE * max(depth + hue, 1.0)
        return out

    return front


def _halo_rows(k: int) -> int:
    return 2 * k + 4


def auto_binarize(
    img,
    *,
    invert="auto",
    background_window=None,
    k: float = 0.5,
    postprocess: bool = True,
    info: dict | None = None,
    out=None,
    threads=None,
):
    """Binarize a document page with parameters chosen from the page itself.

    The method (see the module documentation for the details and the
    references) flattens the paper background, measures stroke width,
    noise and edge strength on the page, thresholds each pixel against
    the stroke edges around it (Su, Lu & Tan 2013), and removes specks /
    fills stroke interiors with a connected-component pass.  It needs no
    parameters; the keywords are for experts.

    Parameters
    ----------
    img : (H, W) or (H, W, 3|4) uint8 ndarray
        Grey or colour page; any strides.  A colour page is binarized by
        the colour distance of its ink from the paper (step 0 of the module
        documentation); R = G = B gives the grey result exactly.  RGBA is
        first laid on white paper (:func:`ocrprep.flatten_alpha`).
    invert : "auto", bool, optional
        ``"auto"`` (default) inverts light-on-dark pages first (detected by
        :func:`is_inverted`), so the result is always dark text (0) on white
        (255); ``True`` always inverts, ``False`` never does.
    background_window : int or None, optional
        Size in pixels of the paper-level estimate's neighbourhood (see
        :func:`ocrprep.estimate_background`), 3..4095.  ``None`` (default)
        picks it from the page: 5 blocks of 8 pixels, or about
        ``BACKGROUND_WINDOW_FACTOR`` stroke widths when the strokes are
        thicker (the page is then normalised a second time).
    k : float, optional
        Weight of the standard deviation of the stroke-edge values in the
        local threshold ``mean + k * std``; default 0.5 (Su et al.).
    postprocess : bool, optional
        Run the component pass (speck removal, hole filling); default True.
    info : dict, optional
        If given, filled with the parameters chosen and the decisions made
        for this page (``inverted``, ``stroke_width``, ``window``,
        ``edge_threshold``, ``noise``, ``paper``, ``smoothing_passes``,
        ``noisy_threshold``, ``letter_pieces``, ``backdrop``, ``tinted``, ``blurred_removed``,
        ``faint_components``, ``faint_hand``, ``hand_words``,
        ``hand_stroke_cut``, ``nets_peeled``, ``border_removed``, ``rescued_from_rules``, ...).
    out : (H, W) uint8 ndarray, optional
        Destination; may be ``img`` itself.
    threads : int or None, optional
        Worker threads; ``None`` uses every core for large images.

    Returns
    -------
    (H, W) uint8 ndarray with values in {0, 255}
        Ink 0, paper 255.

    Notes
    -----
    A blank page (flat, noisy or shaded) gives an all-white result: no
    component of pixels 3 noise deviations darker than the paper is as
    large as a dot and holds one 4 deviations darker.  A
    clean black-on-white page gives Otsu's result up to the anti-aliased
    edge pixels.

    Each calling thread keeps one page-sized uint8 scratch buffer (the
    normalised page, never part of a result) between calls, up to
    ``SCRATCH_MAX_PIXELS`` pixels (64 Mi; larger pages get a fresh one):
    about 8.7 MB for an A4 300-dpi page.  A fresh buffer would cost its
    page faults on every call.

    References
    ----------
    B. Su, S. Lu, C. L. Tan, "Robust document image binarization technique
    for degraded document images", IEEE Trans. Image Processing 22(4), 2013.
    S. Lu, B. Su, C. L. Tan, "Document image binarization using background
    estimation and stroke edges", IJDAR 13(4), 2010.
    B. Gatos, I. Pratikakis, S. J. Perantonis, "Adaptive degraded document
    image binarization", Pattern Recognition 39(3), 2006.

    Examples
    --------
    >>> import numpy as np, ocrprep
    >>> yy, xx = np.mgrid[0:120, 0:200]
    >>> page = (150 + 80 * xx / 200).astype(np.uint8)    # shaded paper
    >>> page[30:90, 40:44] = page[30:90, 40:44] - 90      # faint strokes
    >>> page[30:90, 150:154] = 40                         # dark strokes
    >>> bw = ocrprep.auto_binarize(page)
    >>> sorted(np.unique(bw).tolist())
    [0, 255]
    >>> bool((bw[30:90, 40:44] == 0).all() and (bw[30:90, 150:154] == 0).all())
    True
    >>> int((bw == 0).sum()) == 2 * 60 * 4                # nothing else
    True
    """
    img = _checks.image_gray_or_color(img)
    if img.ndim == 3 and img.shape[2] == 4:
        from .color import flatten_alpha

        img = flatten_alpha(img)  # transparent pixels are paper, not the black under them
    nthreads = _checks.threads(threads, img.shape[0] * img.shape[1])
    rgb = paper_rgb = None
    ink_stats = []
    tint_info = {}
    if img.ndim == 3 and img.shape[2] >= 3:
        # 1. colour: ink is what differs from the paper's colour
        rgb = img
        img, paper_rgb = _ink_channel(rgb, None, nthreads, ink_stats if BACKDROP else None, tint_info)
    elif img.ndim == 3:
        img = img[..., 0]
    img = _checks.image2d(img)
    h, w = img.shape
    if not (invert == "auto" or isinstance(invert, (bool, np.bool_))):
        raise ParameterTypeError(f"invert must be 'auto', True or False, got {invert!r}")
    if background_window is not None:
        background_window = _checks.integer(background_window, "background_window")
        if not 3 <= background_window <= 4095:
            raise InvalidParameterError(
                f"background_window must be between 3 and 4095, got {background_window}"
            )
    k = _checks.real(k, "k", 0.0, 10.0)
    if not isinstance(postprocess, (bool, np.bool_)):
        raise ParameterTypeError(f"postprocess must be a bool, got {type(postprocess).__name__}")
    if info is not None and not isinstance(info, dict):
        raise ParameterTypeError(f"info must be a dict or None, got {type(info).__name__}")

    # 0. a document photographed on a table: the table is no paper
    surface_info = {}
    grey_stats = None
    found = None
    if BACKDROP:
        # the block statistics the paper estimate needs, computed once
        if ink_stats:
            bmeans, bmin, bupper, bb = ink_stats[0]
            bmins = [bmin]
        else:
            bmins, bupper = [], []
            bmeans, bb = _block_means(img, nthreads, bmins, bupper)
        grey_stats = (bmeans, bmins[0], bupper, bb)
        found = find_backdrop(img, info=surface_info, stats=(bmeans, bmins[0], bupper[1], bb))
    backdrop = None
    if found is not None:
        if rgb is not None:   # the paper's colour is the surface's, not the table's
            img, paper_rgb = _ink_channel(rgb, found, nthreads, tint_info=tint_info)
            bmins, bupper = [], []
            bmeans, bb = _block_means(img, nthreads, bmins, bupper)
        img, backdrop = fill_backdrop(img, *found, stats=(bmeans, bmins[0], bupper[1], bb))
        grey_stats = None

    inverted = is_inverted(img, threads=nthreads) if invert == "auto" else bool(invert)
    src = np.subtract(255, img, dtype=np.uint8) if inverted else img
    # a colour page's ink channel is ours: once the page is normalised it
    # holds the codes of the fused pass (a fresh page buffer costs its page
    # faults on every call)
    spare = img if rgb is not None else None

    if out is None:
        work = scratch = _page_scratch(img.shape)
    else:
        scratch = None
        work, out = _checks.output(out, img.shape, img)

    # 2. background normalisation (work holds N from here on)
    if np.shares_memory(work, src):
        src = src.copy()  # the page may be normalised a second time
    paper_blocks, mins, maxs, b = _block_stats(src, nthreads, None if inverted else grey_stats)
    if background_window is None:
        radius = BACKGROUND_MIN_BLOCKS
    else:
        radius = _radius(background_window, b)
    step = max(1, (h * w) // SAMPLE_PIXELS)

    def normalise(r):
        # blocks half as dark as the paper within FAR_INK_BLOCKS are ink
        # too, so thick dark strokes and bars never count as paper
        grid = paper_surface(paper_blocks, r, far_radius=max(r, FAR_INK_BLOCKS), far_delta=FAR_INK_DELTA)
        gain = np.ascontiguousarray(PAPER / np.maximum(grid, 1.0), dtype=np.float32)
        return grid, _apply_gain(src, gain, b, work, nthreads, hist_step=step)

    grid, nhist = normalise(radius)

    # 3. page statistics
    tg = _otsu(nhist)
    med, noise = _paper_level_and_noise(nhist)
    sigma = max(1.0, noise)  # at least one level
    # Faded ink on grainy paper: when the ink class (below Otsu's threshold)
    # is on average fewer than LOW_SNR noise deviations below the paper, the
    # pixel tests cannot tell it from the grain.  A 3 x 3 median roughly
    # halves the grain and keeps the stroke edges; the page is then
    # measured again.
    ink_mean = _otsu_classes(nhist, tg)[0]
    snr = (med - ink_mean) / sigma
    # ... provided there is ink at all: more pixels 2 sigma below the paper
    # than above it (a blank noisy page is symmetric and stays as it is).
    # Under heavy noise the ink hides inside the paper's spread, so the test
    # is repeated on the smoothed page; each median pass roughly halves the
    # grain, and the page is smoothed again while the ink is still within
    # LOW_SNR deviations (at most MAX_SMOOTHING passes).
    excess = _ink_excess(nhist, med, sigma)
    smoothed = 0
    snr0, noise0 = snr, noise
    # A page whose paper noise is NOISY_SIGMA (5 %) or more may hide its ink
    # entirely inside the grain: it is smoothed (3 x 3 means, each dividing
    # white noise by 3) up to MAX_SMOOTHING times while the ink stays within
    # LOW_SNR deviations, and the excess test is made on the smoothed page.
    noisy = noise >= NOISY_SIGMA
    if snr < LOW_SNR and (excess > LOW_SNR_INK or noisy):
        from .median import median as _median

        raw = (src, paper_blocks, mins, maxs, b, radius)
        passes = MAX_SMOOTHING if noisy else 1
        while smoothed < passes and snr < LOW_SNR:
            src = _box3(src) if noisy else _median(src, 3, threads=nthreads)
            paper_blocks, mins, maxs, b = _block_stats(src, nthreads)
            if background_window is None:
                # faint ink is not 15 % darker than the paper, so its blocks
                # are not set aside: a wider window dilutes their pull
                radius = max(radius, SMOOTHED_MIN_BLOCKS)
            grid, nhist = normalise(radius)
            tg = _otsu(nhist)
            med, noise = _paper_level_and_noise(nhist)
            sigma = max(1.0, noise)
            smoothed += 1
            if noisy:
                excess = max(excess, _ink_excess(nhist, med, sigma))
                if excess <= LOW_SNR_INK:
                    break
            snr = (med - _otsu_classes(nhist, tg)[0]) / sigma
        if excess <= LOW_SNR_INK:   # no ink even when smoothed: the page as it was
            src, paper_blocks, mins, maxs, b, radius = raw
            grid, nhist = normalise(radius)
            tg = _otsu(nhist)
            med, noise = _paper_level_and_noise(nhist)
            sigma = max(1.0, noise)
            smoothed = 0

    # A clean page - flat paper, little noise, two well separated tones - is
    # what a global threshold handles exactly; the local method would only
    # move the anti-aliased edge pixels.  Give Otsu's result as it is.
    p5, p95 = np.percentile(grid, [5, 95])
    flatness = float(p95 / max(p5, 1.0))
    # flat enough for one threshold: the paper varies by a small share of
    # the ink's contrast (Otsu's class means of N)
    m0, m1, separation = _otsu_classes(nhist, tg)
    flat = flatness - 1.0 <= CLEAN_FLATNESS_SHARE * max(m1 - m0, 0.0) / max(m1, 1.0)
    if flat and noise <= CLEAN_NOISE and separation >= CLEAN_SEPARATION:
        from .threshold import apply_threshold, otsu_threshold

        apply_threshold(src, otsu_threshold(src, threads=nthreads), out=work, threads=nthreads)
        if backdrop is not None:
            work[backdrop] = 255
        if info is not None:
            info.update(surface_info)
            info.update(tinted=float(tint_info.get("tinted", 0.0)))
            info.update(inverted=bool(inverted), clean=True, paper=float(med), noise=float(noise),
                        flatness=flatness, separation=separation)
        return _result(work, out, scratch)

    def stats(y0, y1):
        gh = np.zeros(GRAD_BINS, np.int64)
        ar = np.zeros(2, np.int64)
        gm = np.zeros(grid.shape, np.uint16)
        stats_band(work, y0, y1, step, tg, gh, ar, gm, b)
        return gh, ar, gm

    def page_stats():
        ghist = np.zeros(GRAD_BINS, np.int64)
        area = np.zeros(2, np.int64)
        gmax = np.zeros(grid.shape, np.uint16)
        for gh, ar, gm in run_bands(stats, h, nthreads, min_rows=64):
            ghist += gh
            area += ar
            np.maximum(gmax, gm, out=gmax)
        ink = float(area[0])
        if SOLID_BLOCKS:
            # the inside of solid dark areas (a table's header band, a
            # filled box: blocks wholly below Otsu's threshold) has no
            # boundary and is no stroke; counted, it made the strokes of
            # a page with a dark band look three times as wide (and the
            # speck area removed the stems of its i's)
            solid = maxs * (PAPER / np.maximum(grid, 1.0)) <= tg
            # (in a 2 x 2 square of them: letters that smoothing ran
            # together fill a block now and then, not four in a square)
            solid = _grid_open2(solid)
            if solid.any():
                rows = np.minimum(b, h - np.arange(solid.shape[0]) * b)
                cols = np.minimum(b, w - np.arange(solid.shape[1]) * b)
                inside = float((solid * np.outer(rows, cols)).sum()) / step
                ink = max(ink - inside, 0.0)
        sw = 2.0 * ink / area[1] if area[1] > 0 else 1.0
        return ghist, min(max(sw, 1.0), 64.0), gmax

    ghist, sw, gmax = page_stats()
    if background_window is None:
        # the paper level is averaged over about BACKGROUND_WINDOW_FACTOR
        # stroke widths: thick strokes need a wider window
        want = int(round(BACKGROUND_WINDOW_FACTOR * sw / (2.0 * b)))
        if want > radius:
            radius = want
            grid, nhist = normalise(radius)
            tg = _otsu(nhist)
            med, noise = _paper_level_and_noise(nhist)
            sigma = max(1.0, noise)
            ghist, sw, gmax = page_stats()
    del src
    te_otsu = _otsu(ghist)
    # The median magnitude is the noise's where most of the page is paper;
    # on densely set text most pixels lie next to a stroke, and the paper
    # noise (measured on the ink-free side) says what noise alone gives.
    g_noise = min(_quantile(ghist, 0.5), SOBEL_NOISE_MEDIAN * sigma)
    # ... and a stroke edge is at least as steep as the faintest ink any
    # component may have (MIN_CONTRAST of the paper) spread over two pixels:
    # a soft shadow or fold on a quiet page is not a stroke.
    te_floor = max(math.ceil(EDGE_NOISE_FACTOR * g_noise), math.ceil(EDGE_MIN_STEP * MIN_CONTRAST * med))
    te = int(max(te_otsu, te_floor))
    window = WINDOW_FACTOR * sw
    kc = max(3, int(round(window / 2.0)) | 1)  # window in 2 x 2 cells, odd, >= 3
    nmin = 2 * kc
    # Noise is additive in the scan (sensor noise, paper grain of fixed
    # contrast in grey levels): divided by a darker background it grows, so
    # each background block gets sigma * (typical paper level / its level).
    paper_level = float(np.median(grid))
    scale = (paper_level / np.maximum(grid, 1.0)) ** NOISE_EXPONENT
    noise_grid = sigma * scale
    if LOCAL_NOISE_BLOCKS > 0:
        # Local noise from the paper side of each block only (ink only
        # darkens): its maximum lies ~UPPER_SPREAD sigma above the mean of
        # its upper half whatever the ink in it; the quietest block nearby
        # (a grey opening: min then max over the window) is the noise floor.
        spread = (np.maximum(maxs - paper_blocks, 0.0) * (PAPER / np.maximum(grid, 1.0))).astype(np.float32)
        r = LOCAL_NOISE_BLOCKS
        quiet = _grid_dilate(np.ascontiguousarray(-_grid_dilate(np.ascontiguousarray(-spread), r)), r)
        noise_grid = np.maximum(noise_grid, quiet / UPPER_SPREAD)
    floor_grid = np.clip(np.ceil(med - 3.0 * noise_grid), 0, 255).astype(np.uint8)
    contrast = np.maximum(MIN_CONTRAST * med, MIN_CONTRAST_LEVELS * PAPER / np.maximum(grid, 1.0))
    # local ink darkness: the darkest block (in N) within INK_RADIUS_FACTOR sw
    darkness = np.maximum(PAPER * (1.0 - mins / np.maximum(grid, 1.0)), 0.0).astype(np.float32)
    ink_radius = max(1, int(round(INK_RADIUS_FACTOR * sw / b)))
    local_ink = _grid_dilate(np.ascontiguousarray(darkness), ink_radius)
    # on a faded, grainy page the block minima are the grain's, not the
    # ink's: no ink level to compare with
    relative = 0.0 if smoothed else RELATIVE_CONTRAST
    absolute = np.maximum(STRONG_SIGMA * noise_grid, contrast)
    strong_grid = np.clip(np.ceil(med - np.maximum(absolute, relative * local_ink)), 0, 255).astype(np.uint8)
    faint_grid = np.clip(np.ceil(med - absolute), 0, 255).astype(np.uint8)
    te_page = int(te)
    shapes = bool(postprocess and relative > 0 and (LOCAL_EDGES or BLUR_RATIO > 0))
    norm = None
    floor_level = med - 3.0 * sigma
    strong_level = med - max(STRONG_SIGMA * sigma, MIN_CONTRAST * med)

    noisy_level = None
    if _DEBUG.get("keep"):
        _DEBUG["N"] = work.copy()
    # 4. fused stroke-edge threshold pass, in bands of whole 2 x 2 cells.
    if smoothed >= NOISE_FLOOR_PASSES and noisy:
        # Noisy low-contrast page, smoothed: the stroke edges are too weak and
        # too blurred to carry the threshold, but the paper noise is now known
        # and small, so every pixel 3 deviations below the paper is ink
        # (the component tests below still remove the noise's specks).
        # ... at the level halfway between the paper and the ink (the median
        # of the pixels below the noise floor): the floor itself lies most
        # of the way down to the smoothed ink of small type and cuts its
        # letters into pieces; never within NOISY_MIN_SIGMA deviations of
        # the paper
        noisy_level = _noisy_ink_level(nhist, med, sigma)
        floor_grid = np.maximum(floor_grid, np.uint8(min(255, max(0, math.ceil(noisy_level)))))
        _noise_floor_codes(work, floor_grid, strong_grid, b, tg)
    elif shapes:
        # the component tests measure the normalised page: keep it, and
        # write the codes into a buffer of their own (the result from now on)
        reuse = spare is not None and spare.flags.c_contiguous and spare.shape == work.shape \
            and not np.shares_memory(spare, work)
        norm, work = work, (spare if reuse else np.empty_like(work))
        _fused_pass(norm, te_page, kc, nmin, k, tg, floor_grid, strong_grid, b, nthreads, dest=work,
                    faint_grid=faint_grid)
    else:
        _fused_pass(work, te_page, kc, nmin, k, tg, floor_grid, strong_grid, b, nthreads)

    # 5. components
    faint_found = blurred = pieces = hand_words = hand_cut = peeled = 0
    faint_hand = None
    words = {}    # faint components kept as words of front ink (colour pages)
    if postprocess:
        min_area = int(math.ceil(SPECK_FACTOR * sw * sw))
        if shapes:
            # 6. the page's writing and what is diffused (bleed-through),
            # measured on the components left (one labelling for both)
            inked = np.zeros(grid.shape, np.uint8)
            # on a colour page, the colour of a faint component says whether
            # it lies on the sheet (ink) or under it (show-through, stains)
            front = _front_ink(rgb, paper_rgb, work) if (
                paper_rgb is not None and not inverted and FAINT_WORD_SHARPNESS > 0) else None
            decide, result = _writing_decision(med, front, words, work.shape)
            removed, filled = clean(work, min_area, True, -1 if FILL_HOLES else 0, HOLE_DARK_FRACTION,
                                    norm, decide, inked, b, keep_faint=LOCAL_EDGES)
            ref, blurred = result.get("ref"), result.get("blurred", 0)
            faint_found = result.get("faint", 0)
        else:
            # (the holes are the inside of strokes the edge window is too
            # small for; a smoothed noisy page is thresholded pixel by pixel,
            # and its darkened letter counters are no stroke)
            fill = -1 if FILL_HOLES and noisy_level is None else 0
            # (a smoothed noisy page: the pieces of its letters, see below)
            codes = work.copy() if noisy_level is not None and PIECE_REACH > 0 else None
            removed, filled = clean(work, min_area, True, fill, HOLE_DARK_FRACTION)
            if codes is not None:
                pieces = _letter_pieces(work, codes, int(math.ceil(PIECE_AREA * sw * sw)), sw, nthreads)
        if shapes:
            if LOCAL_EDGES and ref is not None:
                # 7. faint writing: where the local edge thresholds are
                # lower and nothing was found, the page once more with
                # them; separate components shaped like the writing and
                # on its lines are added
                if front is not None and "solid" in result and result.get("faint", 0):
                    # (without kept faint ink the solid ink's blocks are all the ink's)
                    inked = (lambda boxes=result["solid"], shape=inked.shape: _box_blocks(boxes, shape, b))
                added, faint_hand, hand_words, hand_cut = _faint_pass(work, norm, med, ref, result.get("n_solid", 0), inked,
                                                lambda: _local_edge_thresholds(te, te_floor, darkness,
                                                                               noise_grid / sigma, absolute,
                                                                               window, b),
                                                te, darkness, absolute, kc, nmin, k, tg, floor_grid, faint_grid,
                                                b, min_area, nthreads, front, words)
                faint_found += added
            if ref is not None and result.get("nets") and paper_rgb is not None:
                from .structures import peel_nets

                peeled = peel_nets(work, norm, result["nets"], med - NET_DEPTH * ref[1], nthreads)
    else:
        removed = filled = 0
        np.copyto(work, np.where(work < 128, 0, 255).astype(np.uint8))
    border_removed = rescued = 0
    if postprocess and BORDER_SPAN > 0 and (
            not work[0].all() or not work[-1].all() or not work[:, 0].all() or not work[:, -1].all()):
        # 7. book edges, gutter shadows, the table under the page: long
        # structures on the border that are no text
        border_removed, removed_runs = clear_border_structures(
            work, int(math.ceil(BORDER_SPAN * h)), int(math.ceil(BORDER_SPAN * w)),
            max(2, int(round(BORDER_THIN * sw))), runs=True)
        if border_removed and RULE_LENGTH > 0:
            from .structures import rescue_from_rules

            rescued = rescue_from_rules(removed_runs, work, sw, int(math.ceil(SPECK_FACTOR * sw * sw)), nthreads)

    if backdrop is not None:
        work[backdrop] = 255
    if info is not None:
        info.update(surface_info)
        info.update(tinted=float(tint_info.get("tinted", 0.0)))
        info.update(
            inverted=bool(inverted),
            paper=float(med),
            noise=float(noise),
            clean=False,
            flatness=flatness,
            separation=separation,
            ink_threshold=int(tg),
            stroke_width=float(sw),
            window=int(2 * kc),
            edge_threshold=int(te),
            noise_floor=float(floor_level),
            strong_level=float(strong_level),
            sample_step=int(step),
            background_radius=int(radius * b),
            contrast_to_noise=float(snr0),
            ink_excess=float(excess),
            smoothed=bool(smoothed),
            smoothing_passes=int(smoothed),
            noisy_threshold=None if noisy_level is None else float(noisy_level),
            letter_pieces=int(pieces),
            specks_removed=int(removed),
            holes_filled=int(filled),
            faint_components=int(faint_found),
            faint_hand=None if faint_hand is None else float(faint_hand),
            hand_words=int(hand_words),
            hand_stroke_cut=int(hand_cut),
            faint_words=int(words.get("words", 0)),
            blurred_removed=int(blurred),
            border_removed=int(border_removed),
            nets_peeled=int(peeled),
            rescued_from_rules=int(rescued),
        )
    return _result(work, out, scratch)
