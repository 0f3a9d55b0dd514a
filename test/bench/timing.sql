-- The timing functions the benchmark scripts share (rank_bench.sh,
-- half_bench.sh, flat_bench.sh read this file with psql -f).

-- this backend's run time in ns.  The kernel brings a running task's
-- counter up to date only at a tick or a switch, so a read in the middle
-- of a CPU-bound stretch can be a tick (4 ms) stale: sleep a moment first
-- (a switch) to read an exact figure.
CREATE FUNCTION cpu_ns() RETURNS float8 LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_sleep(0.0001);
	RETURN split_part(pg_read_file('/proc/self/schedstat'), ' ', 1)::float8;
END $$;

-- the queries of qs in turn, n rounds after one warm-up round.  Returns
-- each query's median on-CPU ms (the backend's own run time from
-- /proc/self/schedstat: on a shared machine, time spent waiting for a core
-- is not the query's), then each one's median wall-clock ms.
CREATE FUNCTION bench_many(qs text[], n int) RETURNS float8[] LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; c0 float8; m int := array_length(qs, 1);
	cpu float8[] := '{}'; wall float8[] := '{}'; r float8[] := '{}';
BEGIN
	FOR j IN 1..m LOOP EXECUTE qs[j]; END LOOP;
	FOR i IN 1..n LOOP
		FOR j IN 1..m LOOP
			c0 := cpu_ns();
			t0 := clock_timestamp();
			EXECUTE qs[j];
			wall := wall || extract(epoch FROM clock_timestamp() - t0) * 1000;
			cpu := cpu || (cpu_ns() - c0) / 1e6;
		END LOOP;
	END LOOP;
	FOR j IN 1..m LOOP
		r := r || (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY cpu[(k - 1) * m + j])
				   FROM generate_series(1, n) k);
	END LOOP;
	FOR j IN 1..m LOOP
		r := r || (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY wall[(k - 1) * m + j])
				   FROM generate_series(1, n) k);
	END LOOP;
	RETURN r;
END $$;

-- a buffer pool that has been in use: called after a restart, reads every
-- block of rels once, in shuffled order, so that no relation's blocks sit
-- in consecutive buffers
CREATE FUNCTION churn(rels regclass[]) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
	CREATE EXTENSION IF NOT EXISTS pg_prewarm;
	RETURN (SELECT count(pg_prewarm(rel, 'buffer', 'main', blk, blk)) FROM (
		SELECT rel, blk FROM unnest(rels) rel,
			LATERAL generate_series(0, pg_relation_size(rel) / current_setting('block_size')::int - 1) blk
		ORDER BY random()) s);
END $$;
