/*
 * shape.c: shape logic of the operations (see shape.h).
 */
#include "shape.h"

#include <string.h>

#include "kern_poll.h"

int64_t
dtx_mul_sat(int64_t a, int64_t b)
{
	int64_t		r;

	if (a == 0 || b == 0)
		return 0;
	return __builtin_mul_overflow(a, b, &r) ? INT64_MAX : r;
}

int64_t
dtx_numel(int ndim, const int64_t *dims, int64_t max_numel)
{
	int64_t		n = 1;
	int			zero = 0;

	/* a zero dim makes the product 0 whatever the others are */
	for (int k = 0; k < ndim; k++)
	{
		if (dims[k] < 0)
			return -1;
		if (dims[k] == 0)
			zero = 1;
	}
	if (zero)
		return 0;
	for (int k = 0; k < ndim; k++)
	{
		if (__builtin_mul_overflow(n, dims[k], &n) || n > max_numel)
			return -1;
	}
	return n;
}

DtxShapeCode
dtx_rows_plan(int andim, const int64_t *adims, int bndim, const int64_t *bdims,
			  DtxRowSpec *spec, int *out_ndim, int64_t *out_dims)
{
	int			nlead;
	int64_t		astr = 1,
				bstr = 1;

	if (andim < 1 || bndim < 1)
		return DTX_SHAPE_RANK;
	if (adims[andim - 1] != bdims[bndim - 1])
		return DTX_SHAPE_MISMATCH;
	nlead = (andim > bndim ? andim : bndim) - 1;
	memset(spec, 0, sizeof(*spec));
	spec->nlead = nlead;
	spec->n = adims[andim - 1];
	/* walk the leading dims from the innermost out, aligned at the right */
	for (int k = nlead - 1; k >= 0; k--)
	{
		int			ka = k - (nlead - (andim - 1));
		int			kb = k - (nlead - (bndim - 1));
		int64_t		da = ka >= 0 ? adims[ka] : 1;
		int64_t		db = kb >= 0 ? bdims[kb] : 1;
		int64_t		d;

		if (da != db && da != 1 && db != 1)
			return DTX_SHAPE_MISMATCH;
		d = da == 1 ? db : da;
		spec->out_dims[k] = d;
		out_dims[k] = d;
		spec->a_stride[k] = da == 1 ? 0 : astr;
		spec->b_stride[k] = db == 1 ? 0 : bstr;
		astr = dtx_mul_sat(astr, da);
		bstr = dtx_mul_sat(bstr, db);
	}
	*out_ndim = nlead;
	return DTX_SHAPE_OK;
}

int
dtx_resolve_axis(int64_t axis, int ndim)
{
	if (axis < -(int64_t) ndim || axis >= ndim)
		return -1;
	return (int) (axis < 0 ? axis + ndim : axis);
}

DtxShapeCode
dtx_axis_plan(int xndim, const int64_t *xdims, int yndim, const int64_t *ydims,
			  int64_t ax, int64_t ay, DtxAxisPlan *plan)
{
	int			rx,
				ry;
	int			nx = 0,
				ny = 0,
				no = 0;

	memset(plan, 0, sizeof(*plan));
	if (xndim < 1 || yndim < 1 || xndim > DTX_MAX_NDIM || yndim > DTX_MAX_NDIM)
		return DTX_SHAPE_RANK;
	rx = dtx_resolve_axis(ax, xndim);
	ry = dtx_resolve_axis(ay, yndim);
	if (rx <= 0 || ry <= 0)		/* out of range, or the batch axis */
		return DTX_SHAPE_BAD_AXIS;
	if (xdims[0] != ydims[0] || xdims[rx] != ydims[ry])
		return DTX_SHAPE_MISMATCH;
	/* the batch, x's other dims, y's other dims: check before writing any */
	if (1 + (xndim - 2) + (yndim - 2) > DTX_MAX_NDIM)
		return DTX_SHAPE_TOO_LARGE;
	plan->B = xdims[0];
	plan->K = xdims[rx];
	plan->M = 1;
	plan->P = 1;
	plan->out_dims[no++] = xdims[0];
	plan->xperm[nx++] = 0;
	for (int k = 1; k < xndim; k++)
	{
		if (k == rx)
			continue;
		plan->xperm[nx++] = k;
		plan->out_dims[no++] = xdims[k];
		plan->M = dtx_mul_sat(plan->M, xdims[k]);
	}
	plan->xperm[nx++] = rx;
	plan->yperm[ny++] = 0;
	plan->yperm[ny++] = ry;
	for (int k = 1; k < yndim; k++)
	{
		if (k == ry)
			continue;
		plan->yperm[ny++] = k;
		plan->out_dims[no++] = ydims[k];
		plan->P = dtx_mul_sat(plan->P, ydims[k]);
	}
	/* Keras expands a (B) result to (B, 1) */
	if (no == 1)
		plan->out_dims[no++] = 1;
	plan->out_ndim = no;
	return DTX_SHAPE_OK;
}

int
dtx_perm_is_identity(int ndim, const int *perm)
{
	for (int k = 0; k < ndim; k++)
		if (perm[k] != k)
			return 0;
	return 1;
}

DtxShapeCode
dtx_perm_check(int ndim, const int64_t *perm, int nperm, int *out)
{
	int			seen[DTX_MAX_NDIM] = {0};

	if (nperm != ndim)
		return DTX_SHAPE_BAD_ARG;
	for (int k = 0; k < ndim; k++)
	{
		int			a = dtx_resolve_axis(perm[k], ndim);

		if (a < 0 || seen[a])
			return DTX_SHAPE_BAD_ARG;
		seen[a] = 1;
		out[k] = a;
	}
	return DTX_SHAPE_OK;
}

void
dtx_copy(void *dst, const void *src, size_t bytes)
{
	char	   *d = dst;
	const char *s = src;
	DtxPoll		poll = DTX_POLL_INIT;

	while (bytes > 0)
	{
		size_t		n = bytes < (size_t) DTX_POLL_WORK ? bytes : (size_t) DTX_POLL_WORK;

		memcpy(d, s, n);
		d += n;
		s += n;
		bytes -= n;
		dtx_poll(&poll, (int64_t) n);
	}
}

void
dtx_permute_copy(size_t elem_size, int ndim, const int64_t *dims,
				 const int *perm, const void *src, void *dst)
{
	int64_t		sstride[DTX_MAX_NDIM];	/* src strides in elements */
	int64_t		odims[DTX_MAX_NDIM];
	int64_t		ostride[DTX_MAX_NDIM];	/* src stride of each dst dim */
	int64_t		idx[DTX_MAX_NDIM] = {0};
	int64_t		numel = 1,
				off = 0,
				inner,
				istride;
	const char *s = src;
	char	   *d = dst;
	DtxPoll		poll = DTX_POLL_INIT;

	/* an empty tensor's other dims may be huge: their product means nothing */
	for (int k = 0; k < ndim; k++)
		if (dims[k] == 0)
			return;
	for (int k = ndim - 1; k >= 0; k--)
	{
		sstride[k] = numel;
		numel *= dims[k];
	}
	if (ndim == 0 || dtx_perm_is_identity(ndim, perm))
	{
		dtx_copy(dst, src, (size_t) numel * elem_size);
		return;
	}
	for (int k = 0; k < ndim; k++)
	{
		odims[k] = dims[perm[k]];
		ostride[k] = sstride[perm[k]];
	}
	/* innermost dst dim as a strided run, odometer over the rest */
	inner = odims[ndim - 1];
	istride = ostride[ndim - 1];
	for (int64_t done = 0; done < numel; done += inner)
	{
		const char *sp = s + off * (int64_t) elem_size;

		if (istride == 1)
		{
			memcpy(d, sp, (size_t) inner * elem_size);
			d += inner * elem_size;
		}
		else
		{
			for (int64_t j = 0; j < inner; j++)
			{
				memcpy(d, sp, elem_size);
				d += elem_size;
				sp += istride * (int64_t) elem_size;
			}
		}
		/* a strided element is a cache miss: weigh it as many streamed ones */
		dtx_poll(&poll, istride == 1 ? inner : inner * 32);
		for (int k = ndim - 2; k >= 0; k--)
		{
			off += ostride[k];
			if (++idx[k] < odims[k])
				break;
			off -= ostride[k] * odims[k];
			idx[k] = 0;
		}
	}
}

DtxShapeCode
dtx_reshape_plan(int64_t numel, const int64_t *newdims, int nnew, int64_t *out)
{
	int			infer = -1;
	int64_t		known = 1;

	if (nnew > DTX_MAX_NDIM)
		return DTX_SHAPE_TOO_LARGE;
	for (int k = 0; k < nnew; k++)
	{
		if (newdims[k] == -1)
		{
			if (infer >= 0)
				return DTX_SHAPE_BAD_ARG;	/* only one -1 */
			infer = k;
			continue;
		}
		if (newdims[k] < 0)
			return DTX_SHAPE_BAD_ARG;
		known = dtx_mul_sat(known, newdims[k]);
		out[k] = newdims[k];
	}
	if (infer >= 0)
	{
		/* as PyTorch: -1 with a zero-size known part is ambiguous */
		if (known == 0 || numel % known != 0)
			return DTX_SHAPE_BAD_ARG;
		out[infer] = numel / known;
	}
	else if (known != numel)	/* a saturated product never equals a real numel */
		return DTX_SHAPE_BAD_ARG;
	return DTX_SHAPE_OK;
}
