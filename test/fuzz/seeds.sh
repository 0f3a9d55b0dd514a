#!/usr/bin/env bash
# Seed corpora for the fuzz targets, taken from the regression inputs:
# every quoted literal in sql/*.sql for the parser, binary messages built
# from a few of them for the decoder, and some byte strings for shapes.
set -euo pipefail
top=$1 out=$2
mkdir -p "$out/fuzz_parse" "$out/fuzz_binary" "$out/fuzz_shape"
i=0
grep -ohE "'[^']*'" "$top"/sql/*.sql | sed "s/^'//; s/'$//" | sort -u | while IFS= read -r lit; do
	i=$((i + 1)); printf '%s' "$lit" >"$out/fuzz_parse/seed$i"
done
# binary: ndim, dtype, flags, dims, data (network order)
printf '\x01\x03\x00\x00\x00\x00\x00\x02\x00\x00\x00\x07\xff\xff\xff\xf9' >"$out/fuzz_binary/i32"
printf '\x02\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x02\x3f\x80\x00\x00\x40\x00\x00\x00' >"$out/fuzz_binary/f32"
printf '\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x2a' >"$out/fuzz_binary/i64_scalar"
printf '\x01\x02\x00\x00\x00\x00\x00\x00' >"$out/fuzz_binary/f64_empty"
printf '\x02\x03\x05\x02\x01\x00\x01\x02\x00\x01' >"$out/fuzz_shape/s1"
printf '\x03\x03\x01\x05\x02\x01\x02\x05\x01\x02\x02\x00\x01\x02\x03\xff\x06' >"$out/fuzz_shape/keras"
printf '\x03\x02\x02\x01\x03\x04\x01\x05' >"$out/fuzz_shape/broadcast"
