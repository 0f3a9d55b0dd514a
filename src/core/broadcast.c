/*
 * broadcast.c: NumPy broadcasting of two shapes (see broadcast.h).
 */
#include "broadcast.h"
#include "shape.h"

#include <string.h>

DtxBroadcastCode
dtx_broadcast_plan(int andim, const int64_t *adims, int bndim, const int64_t *bdims,
				   int64_t max_numel, DtxBroadcast *bc)
{
	int			nd = andim > bndim ? andim : bndim;
	int64_t		astr = 1,
				bstr = 1;

	if (andim < 0 || bndim < 0 || nd > DTX_MAX_NDIM)
		return DTX_BROADCAST_TOO_LARGE;
	memset(bc, 0, sizeof(*bc));
	bc->ndim = nd;
	/* from the innermost dim out, so a stride is the product of inner dims */
	for (int k = nd - 1; k >= 0; k--)
	{
		int			ka = k - (nd - andim);
		int			kb = k - (nd - bndim);
		int64_t		da = ka >= 0 ? adims[ka] : 1;
		int64_t		db = kb >= 0 ? bdims[kb] : 1;

		if (da < 0 || db < 0 || (da != db && da != 1 && db != 1))
			return DTX_BROADCAST_MISMATCH;
		bc->dims[k] = da == 1 ? db : da;
		bc->a_stride[k] = da == 1 ? 0 : astr;
		bc->b_stride[k] = db == 1 ? 0 : bstr;
		/* an empty operand's other dims may be huge: saturate, never wrap */
		astr = dtx_mul_sat(astr, da);
		bstr = dtx_mul_sat(bstr, db);
	}
	bc->numel = dtx_numel(nd, bc->dims, max_numel);
	return bc->numel < 0 ? DTX_BROADCAST_TOO_LARGE : DTX_BROADCAST_OK;
}

void
dtx_broadcast_seek(const DtxBroadcast *bc, int64_t i, int64_t *idx,
				   int64_t *aoff, int64_t *boff)
{
	int64_t		ao = 0,
				bo = 0;

	for (int k = bc->ndim - 1; k >= 0; k--)
	{
		int64_t		d = bc->dims[k];

		idx[k] = d > 0 ? i % d : 0;
		i = d > 0 ? i / d : 0;
		ao += idx[k] * bc->a_stride[k];
		bo += idx[k] * bc->b_stride[k];
	}
	*aoff = ao;
	*boff = bo;
}
