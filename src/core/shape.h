/*
 * shape.h: shape logic of the tensor operations (sizes, broadcasting, axes,
 * permutation).  Plain C, no PostgreSQL headers: unit-tested and fuzzed.
 */
#ifndef DOTEXT_SHAPE_H
#define DOTEXT_SHAPE_H

#include <stdint.h>
#include "dtype.h"
#include "kernels.h"

typedef enum DtxShapeCode
{
	DTX_SHAPE_OK = 0,
	DTX_SHAPE_MISMATCH,			/* sizes that must match do not (22000) */
	DTX_SHAPE_RANK,				/* wrong rank (22000) */
	DTX_SHAPE_BAD_AXIS,			/* axis out of range or the batch axis (22023) */
	DTX_SHAPE_BAD_ARG,			/* bad reshape/permute argument (22023) */
	DTX_SHAPE_TOO_LARGE			/* element count or bytes overflow (54000) */
} DtxShapeCode;

/*
 * a * b for sizes (both >= 0): 0 when either is 0, INT64_MAX when the
 * product overflows.  Products of dims use it so that huge dims next to a
 * zero one give 0 whatever their order, and never overflow on the way.
 */
int64_t		dtx_mul_sat(int64_t a, int64_t b);

/*
 * Number of elements of a shape, or -1 if a dim is negative or the product
 * exceeds max_numel (pass INT64_MAX for no cap).
 */
int64_t		dtx_numel(int ndim, const int64_t *dims, int64_t max_numel);

/*
 * rowdot/rowcosine broadcasting: the last dims must be equal, the leading
 * dims broadcast as in NumPy.  Fills spec and the output shape (rank =
 * max(rank a, rank b) - 1).  Both ranks must be at least 1.
 */
DtxShapeCode dtx_rows_plan(int andim, const int64_t *adims,
						   int bndim, const int64_t *bdims,
						   DtxRowSpec *spec, int *out_ndim, int64_t *out_dims);

/* resolve a possibly negative axis of a rank-ndim tensor; -1 if out of range */
int			dtx_resolve_axis(int64_t axis, int ndim);

/*
 * Keras Dot / batch_dot: contract axis ax of x with axis ay of y, dim 0 being
 * the batch.  Produces the permutations that make x (B, M..., K) and y
 * (B, K, P...), and the output shape (B, x's other dims, y's other dims),
 * (B, 1) when that would be rank 1.
 */
typedef struct DtxAxisPlan
{
	int64_t		B,
				M,
				K,
				P;
	int			xperm[DTX_MAX_NDIM];
	int			yperm[DTX_MAX_NDIM];
	int			out_ndim;
	int64_t		out_dims[DTX_MAX_NDIM];
} DtxAxisPlan;

DtxShapeCode dtx_axis_plan(int xndim, const int64_t *xdims,
						   int yndim, const int64_t *ydims,
						   int64_t ax, int64_t ay, DtxAxisPlan *plan);

/* true when perm is the identity on its first ndim entries */
int			dtx_perm_is_identity(int ndim, const int *perm);

/*
 * Validate a permutation (PyTorch permute: negative entries count from the
 * end, each axis once).  Writes the resolved one into out.
 */
DtxShapeCode dtx_perm_check(int ndim, const int64_t *perm, int nperm, int *out);

/* memcpy in slices that poll for cancel (a 1 GB copy takes a while) */
void		dtx_copy(void *dst, const void *src, size_t bytes);

/*
 * dst = src permuted: dst's dim k is src's dim perm[k].  elem_size bytes per
 * element.  Copies rows [0, numel) in C order of dst.
 */
void		dtx_permute_copy(size_t elem_size, int ndim, const int64_t *dims,
							 const int *perm, const void *src, void *dst);

/*
 * Reshape: newdims (nnew entries) may hold one -1, inferred from numel.
 * Writes the result into out.
 */
DtxShapeCode dtx_reshape_plan(int64_t numel, const int64_t *newdims, int nnew,
							  int64_t *out);

#endif
