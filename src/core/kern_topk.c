/*
 * kern_topk.c: a bounded min-heap keeping the k best (score, id) pairs.
 * The root is the worst entry held, so most pushes of a long scan cost one
 * comparison.
 */
#include <math.h>
#include <stdlib.h>

#include "kern_poll.h"
#include "kernels.h"

/* true when (s1, i1) ranks below (s2, i2) */
static inline int
worse(double s1, int64_t i1, double s2, int64_t i2)
{
	if (isnan(s1) || isnan(s2))
		return isnan(s1) && (!isnan(s2) || i1 > i2);
	return s1 < s2 || (s1 == s2 && i1 > i2);
}

void
dtx_topk_init(DtxTopK *t, int64_t k, double *score_buf, int64_t *id_buf)
{
	t->k = k;
	t->n = 0;
	t->score = score_buf;
	t->id = id_buf;
}

static void
sift_down(DtxTopK *t, int64_t i)
{
	for (;;)
	{
		int64_t		l = 2 * i + 1,
					r = l + 1,
					m = i;

		if (l < t->n && worse(t->score[l], t->id[l], t->score[m], t->id[m]))
			m = l;
		if (r < t->n && worse(t->score[r], t->id[r], t->score[m], t->id[m]))
			m = r;
		if (m == i)
			return;
		{
			double		s = t->score[i];
			int64_t		d = t->id[i];

			t->score[i] = t->score[m];
			t->id[i] = t->id[m];
			t->score[m] = s;
			t->id[m] = d;
		}
		i = m;
	}
}

void
dtx_topk_push(DtxTopK *t, double score, int64_t id)
{
	if (t->n < t->k)
	{
		int64_t		i = t->n++;

		/* sift up */
		while (i > 0)
		{
			int64_t		p = (i - 1) / 2;

			if (!worse(score, id, t->score[p], t->id[p]))
				break;
			t->score[i] = t->score[p];
			t->id[i] = t->id[p];
			i = p;
		}
		t->score[i] = score;
		t->id[i] = id;
		return;
	}
	if (t->k == 0 || !worse(t->score[0], t->id[0], score, id))
		return;
	t->score[0] = score;
	t->id[0] = id;
	sift_down(t, 0);
}

void
dtx_topk_sorted(DtxTopK *t)
{
	/* heap sort: move the worst to the end, repeatedly */
	int64_t		n = t->n;
	DtxPoll		poll = DTX_POLL_INIT;

	while (t->n > 1)
	{
		/* a sift costs about log2(k) steps: k may be tens of millions */
		dtx_poll(&poll, 64);
		int64_t		last = --t->n;
		double		s = t->score[0];
		int64_t		d = t->id[0];

		t->score[0] = t->score[last];
		t->id[0] = t->id[last];
		t->score[last] = s;
		t->id[last] = d;
		sift_down(t, 0);
	}
	t->n = n;
}

void
dtx_topk_merge(DtxTopK *dst, const DtxTopK *src)
{
	DtxPoll		poll = DTX_POLL_INIT;

	for (int64_t i = 0; i < src->n; i++)
	{
		dtx_topk_push(dst, src->score[i], src->id[i]);
		dtx_poll(&poll, 64);
	}
}

static inline int64_t
clamp_min1(int64_t v)
{
	return v < 1 ? 1 : v;
}

void
dtx_topk_blocks(int64_t nq, int64_t d, int64_t *rows, int64_t *queries)
{
	int64_t		cap,
				square,
				m,
				qb;

	d = clamp_min1(d);
	nq = clamp_min1(nq);
	/* rows that fit the copy buffer and the scratch */
	cap = clamp_min1(DTX_TOPK_BLOCK_ELEMS / d);
	if (cap > DTX_TOPK_BLOCK_SCORES)
		cap = DTX_TOPK_BLOCK_SCORES;
	/* a square block, rows x queries, for when all queries are too many */
	square = clamp_min1((int64_t) sqrt((double) (DTX_TOPK_BLOCK_WORK / d)));
	/* all queries in one call while that leaves at least a square's rows */
	m = nq <= DTX_TOPK_BLOCK_WORK / d ? DTX_TOPK_BLOCK_WORK / (nq * d) : 0;
	if (m > DTX_TOPK_BLOCK_SCORES / nq)
		m = DTX_TOPK_BLOCK_SCORES / nq;
	if (m >= square || m >= cap)
	{
		*rows = m < cap ? m : cap;
		*queries = nq;
		return;
	}
	/* else split the queries too, so each call still reuses what it reads */
	m = square < cap ? square : cap;
	qb = clamp_min1(DTX_TOPK_BLOCK_WORK / (m * d));
	if (qb > DTX_TOPK_BLOCK_SCORES / m)
		qb = clamp_min1(DTX_TOPK_BLOCK_SCORES / m);
	*rows = m;
	*queries = qb < nq ? qb : nq;
}
