/*
 * broadcast.h: NumPy broadcasting of two shapes, for the element-wise
 * operators.  Plain C, no PostgreSQL headers: unit-tested and fuzzed.
 */
#ifndef DOTEXT_BROADCAST_H
#define DOTEXT_BROADCAST_H

#include <stdint.h>
#include "dtype.h"
#include "shape.h"

/*
 * The output shape and, for each output dim, the stride (in elements) of a
 * and of b along it: 0 where that operand is broadcast (its dim is 1 or it
 * has no such dim).  Output element i, in C order, reads a at
 * sum_k idx_k(i) * a_stride[k] and b likewise.
 */
typedef struct DtxBroadcast
{
	int			ndim;
	int64_t		numel;
	int64_t		dims[DTX_MAX_NDIM];
	int64_t		a_stride[DTX_MAX_NDIM];
	int64_t		b_stride[DTX_MAX_NDIM];
} DtxBroadcast;

/* DtxShapeCode's values, so that one reporter serves both planners */
typedef enum DtxBroadcastCode
{
	DTX_BROADCAST_OK = DTX_SHAPE_OK,
	DTX_BROADCAST_MISMATCH = DTX_SHAPE_MISMATCH,	/* a pair of dims is neither equal nor 1 (22000) */
	DTX_BROADCAST_TOO_LARGE = DTX_SHAPE_TOO_LARGE	/* more than max_numel elements, or a rank above 16 (54000) */
} DtxBroadcastCode;

/*
 * NumPy's rule: shapes aligned at the right; each pair of dims must be
 * equal or contain a 1, the output taking the other (so 1 with 0 is 0).
 * Ranks up to DTX_MAX_NDIM; dims must be >= 0.  The output element count is
 * computed without overflow and capped at max_numel.
 */
DtxBroadcastCode dtx_broadcast_plan(int andim, const int64_t *adims,
									int bndim, const int64_t *bdims,
									int64_t max_numel, DtxBroadcast *bc);

/*
 * Offsets into a and b of output element i (0 <= i < numel), and the
 * multi-index of i in idx (ndim entries), for a loop to continue from.
 */
void		dtx_broadcast_seek(const DtxBroadcast *bc, int64_t i, int64_t *idx,
							   int64_t *aoff, int64_t *boff);

#endif
