/*
 * test_topk.c: how topk splits its work (dtx_topk_blocks) and merges
 * partial top k (dtx_topk_merge), as parallel workers' states are merged.
 */
#include <stdlib.h>

#include "kernels.h"
#include "tap.h"

static void
test_blocks(void)
{
	static const int64_t cases[][2] = {
		{1, 128}, {100, 768}, {1000, 128}, {8192, 1024}, {1, 1}, {2147483647, 1},
		{1, 2147483647}, {2147483647, 2147483647}, {3, 40000000}, {100000, 100000}
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		int64_t		nq = cases[i][0],
					d = cases[i][1],
					rows,
					qs;
		int			ok;

		dtx_topk_blocks(nq, d, &rows, &qs);
		ok = rows >= 1 && qs >= 1 && qs <= nq &&
		/* the work bound holds unless a single (row, query) dot exceeds it */
			(rows * qs * d <= DTX_TOPK_BLOCK_WORK || (rows == 1 && qs == 1)) &&
			(rows * qs <= DTX_TOPK_BLOCK_SCORES || rows == 1) &&
			(rows * d <= DTX_TOPK_BLOCK_ELEMS || rows == 1);
		tap_ok(ok, "blocks for %lld queries of length %lld: %lld rows x %lld queries",
			   (long long) nq, (long long) d, (long long) rows, (long long) qs);
	}
	{
		int64_t		rows,
					qs;

		/* the common case keeps all queries in one sgemm */
		dtx_topk_blocks(100, 768, &rows, &qs);
		tap_ok(qs == 100 && rows >= 128, "100 x 768: one call for all queries, %lld rows", (long long) rows);
	}
}

static void
test_merge(void)
{
	/* split 1000 scores between 3 heaps, merge, compare with one heap */
	enum {N = 1000, K = 7};
	double		s[4][K];
	int64_t		id[4][K];
	DtxTopK		h[4];
	int			ok = 1;

	for (int i = 0; i < 4; i++)
		dtx_topk_init(&h[i], K, s[i], id[i]);
	for (int j = 0; j < N; j++)
	{
		double		v = (double) ((j * 7919) % 101);	/* many ties */

		dtx_topk_push(&h[3], v, j);
		dtx_topk_push(&h[j % 3], v, j);
	}
	dtx_topk_merge(&h[0], &h[1]);
	dtx_topk_merge(&h[0], &h[2]);
	dtx_topk_sorted(&h[0]);
	dtx_topk_sorted(&h[3]);
	for (int i = 0; i < K; i++)
		ok &= h[0].score[i] == h[3].score[i] && h[0].id[i] == h[3].id[i];
	tap_ok(ok && h[0].n == K, "merging three partial top %d equals one top %d, ties included", K, K);
	/* merging an empty heap changes nothing, merging into an empty one copies */
	dtx_topk_init(&h[1], K, s[1], id[1]);
	dtx_topk_init(&h[2], K, s[2], id[2]);
	dtx_topk_merge(&h[1], &h[2]);
	tap_ok(h[1].n == 0, "merging two empty heaps leaves an empty heap");
}

int
main(void)
{
	test_blocks();
	test_merge();
	return tap_done();
}
