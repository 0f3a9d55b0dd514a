/*
 * kern_normalize.c: rows divided by their L2 norm, for l2_normalize() (see
 * elementwise.h).  Apart from kern_elementwise.c because it needs
 * dtx_sumsq from the dot kernels.
 */
#include "elementwise.h"

#include <math.h>

#include "kern_half.h"
#include "kern_poll.h"
#include "kern_util.h"

DtxStatus
dtx_l2_normalize_rows(int dtype, const void *a, int64_t n, int out_dtype, void *out,
					  int64_t row0, int64_t nrows)
{
	DtxPoll		poll = DTX_POLL_INIT;

	if (!dtx_dtype_supported(dtype) || !dtx_dtype_is_float(out_dtype))
		return DTX_ERR_DTYPE;
	for (int64_t r = row0; r < row0 + nrows; r++)
	{
		int64_t		base = r * n;
		double		norm;

		dtx_sumsq(dtype, (const char *) a + base * dtx_elem_size(dtype), n, &norm);
		norm = sqrt(norm);
		for (int64_t i = base; i < base + n; i++)
		{
			/* norm 0: zeros, as pgvector; NaN propagates */
			double		v = norm == 0 ? 0.0 : dtx_load_double(dtype, a, i) / norm;

			dtx_store_float_result(out_dtype, out, i, v);
			if (((i - base) & 0xFFFF) == 0xFFFF)	/* a single long row polls too */
				dtx_poll(&poll, 0x10000);
		}
		dtx_poll(&poll, (n & 0xFFFF) + 1);
	}
	return DTX_OK;
}
