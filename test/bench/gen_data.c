/*
 * gen_data.c: deterministic embeddings as a binary COPY stream, so that the
 * ranking benchmark loads millions of rows in seconds and dotext, pgvector
 * and real[] tables hold the very same floats.
 *
 *   gen_data ROWS DIM SEED FORMAT [FIRST_ID]
 *   FORMAT: tensor (id bigint, emb tensor), vector (id bigint, emb vector),
 *           real (id bigint, emb real[]), query (one (ROWS,DIM) tensor, no id)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

static uint64_t state;

/* xorshift64*: uniform floats in [-1, 1), the same on every machine */
static float
next_float(void)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (float) ((double) ((state * 2685821657736338717ULL) >> 40) / (double) (1 << 23) - 1.0);
}

static void
put16(int16_t v)
{
	uint16_t	n = htons((uint16_t) v);

	fwrite(&n, 2, 1, stdout);
}

static void
put32(int32_t v)
{
	uint32_t	n = htonl((uint32_t) v);

	fwrite(&n, 4, 1, stdout);
}

static void
put64(int64_t v)
{
	put32((int32_t) (v >> 32));
	put32((int32_t) v);
}

static void
putf(float f)
{
	uint32_t	u;

	memcpy(&u, &f, 4);
	put32((int32_t) u);
}

int
main(int argc, char **argv)
{
	long		rows,
				dim;
	const char *fmt;
	long		first_id;

	if (argc < 5)
	{
		fprintf(stderr, "usage: gen_data ROWS DIM SEED tensor|vector|real|query [FIRST_ID]\n");
		return 2;
	}
	rows = atol(argv[1]);
	dim = atol(argv[2]);
	state = strtoull(argv[3], NULL, 10) * 0x9E3779B97F4A7C15ULL + 1;
	fmt = argv[4];
	first_id = argc > 5 ? atol(argv[5]) : 1;
	static char buf[1 << 20];

	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	fwrite("PGCOPY\n\377\r\n\0", 11, 1, stdout);
	put32(0);
	put32(0);
	if (strcmp(fmt, "query") == 0)
	{
		/* one row, one column: a (ROWS, DIM) float32 tensor */
		put16(1);
		put32((int32_t) (4 + 8 + 4 * rows * dim));
		put16(0x0201);			/* ndim 2, dtype float32 */
		put16(0);
		put32((int32_t) rows);
		put32((int32_t) dim);
		for (long i = 0; i < rows * dim; i++)
			putf(next_float());
		put16(-1);
		return 0;
	}
	for (long r = 0; r < rows; r++)
	{
		put16(2);
		put32(8);
		put64(first_id + r);
		if (strcmp(fmt, "tensor") == 0)
		{
			put32((int32_t) (8 + 4 * dim));
			put16(0x0101);		/* ndim 1, dtype float32 */
			put16(0);
			put32((int32_t) dim);
		}
		else if (strcmp(fmt, "vector") == 0)
		{
			put32((int32_t) (4 + 4 * dim));
			put16((int16_t) dim);
			put16(0);
		}
		else
		{
			/* array_recv: ndim, hasnull flag, element type oid (float4 700), dim, lbound */
			put32((int32_t) (20 + 8 * dim));
			put32(1);
			put32(0);
			put32(700);
			put32((int32_t) dim);
			put32(1);
		}
		for (long j = 0; j < dim; j++)
		{
			if (strcmp(fmt, "real") == 0)
				put32(4);
			putf(next_float());
		}
	}
	put16(-1);
	return 0;
}
