/*
 * bench_parse.c: the text parser's throughput against a pgvector-style
 * loop (strtof per element after skipping white space and commas), on the
 * same literals, in thread CPU time so that other load on the machine
 * counts less.  Median of 9 rounds.
 *
 *   build/bench_parse [ROWS]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decimal.h"
#include "parse.h"

static double
cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static uint64_t rng = 88172645463325252ULL;

static double
gauss(void)
{
	double		u = 0;

	for (int i = 0; i < 12; i++)
	{
		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		u += (double) (rng >> 11) / 9007199254740992.0;
	}
	return (u - 6.0) * 0.05;
}

/* what pgvector's vector_in does per element */
static int
pgvector_like(const char *s, float *out)
{
	const char *p = s + 1;
	int			n = 0;

	for (;;)
	{
		char	   *end;

		while (*p == ' ')
			p++;
		out[n] = strtof(p, &end);
		if (end == p || isinf(out[n]))
			return -1;
		n++;
		p = end;
		while (*p == ' ')
			p++;
		if (*p == ',')
			p++;
		else if (*p == ']')
			return n;
		else
			return -1;
	}
}

static int
cmp(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

static void
run(const char *label, char **lits, int rows, int dim, int dtype)
{
	double		t_dtx[9],
				t_pgv[9];
	void	   *buf = malloc((size_t) dim * 8);
	size_t		bytes = 0;

	for (int r = 0; r < rows; r++)
		bytes += strlen(lits[r]);
	for (int round = 0; round < 9; round++)
	{
		double		t0 = cpu_ms();

		for (int r = 0; r < rows; r++)
		{
			DtxParseInfo info;
			DtxParseError err;

			/* what the server does: count commas, then one pass */
			if (dtx_parse(lits[r], dtype, buf, dtx_parse_capacity(lits[r]), &info, &err,
						  NULL) != DTX_PARSE_OK || info.numel != dim)
				abort();
		}
		t_dtx[round] = cpu_ms() - t0;
		t0 = cpu_ms();
		for (int r = 0; r < rows; r++)
			if (pgvector_like(lits[r], buf) != dim)
				abort();
		t_pgv[round] = cpu_ms() - t0;
	}
	qsort(t_dtx, 9, sizeof(double), cmp);
	qsort(t_pgv, 9, sizeof(double), cmp);
	printf("%-44s %6.1f MB  dotext %7.1f ms (%5.0f MB/s)  strtof loop %7.1f ms  ratio %.2fx\n",
		   label, bytes / 1e6, t_dtx[4], bytes / 1e3 / t_dtx[4], t_pgv[4], t_pgv[4] / t_dtx[4]);
	free(buf);
}

int
main(int argc, char **argv)
{
	int			rows = argc > 1 ? atoi(argv[1]) : 2000;
	int			dims[] = {128, 768};

	for (int di = 0; di < 2; di++)
	{
		int			dim = dims[di];
		char	  **l32 = malloc(sizeof(char *) * rows),
				  **l64 = malloc(sizeof(char *) * rows);

		for (int r = 0; r < rows; r++)
		{
			size_t		cap = (size_t) dim * 32 + 8,
						p32 = 0,
						p64 = 0;

			l32[r] = malloc(cap);
			l64[r] = malloc(cap);
			l32[r][p32++] = '[';
			l64[r][p64++] = '[';
			for (int k = 0; k < dim; k++)
			{
				double		d = gauss();

				/* %.9g is at most the shortest float32 digits' length */
				p32 += sprintf(l32[r] + p32, k ? ",%.8g" : "%.8g", (double) (float) d);
				p64 += sprintf(l64[r] + p64, k ? ",%.17g" : "%.17g", d);
			}
			strcpy(l32[r] + p32, "]");
			strcpy(l64[r] + p64, "]");
		}
		char		label[64];

		snprintf(label, sizeof label, "%d x %d, 8 digits -> float32", rows, dim);
		run(label, l32, rows, dim, DTX_FLOAT32);
		snprintf(label, sizeof label, "%d x %d, 17 digits -> float32", rows, dim);
		run(label, l64, rows, dim, DTX_FLOAT32);
		snprintf(label, sizeof label, "%d x %d, 17 digits -> float64", rows, dim);
		run(label, l64, rows, dim, DTX_FLOAT64);
	}
	return 0;
}
