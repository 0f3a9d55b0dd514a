# tap.sh: the TAP helper the shell tests in test/sh/ share.  Source it,
# call ok "what was checked" 1-or-0 per check, end with echo "1..$n".
n=0
ok() { n=$((n + 1)); if [ "$2" = 1 ]; then echo "ok $n - $1"; else echo "not ok $n - $1"; fi; }
