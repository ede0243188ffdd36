#!/bin/sh
# A stand-in accuracy meter for search tests (the `command` kind of accuracy spec): checks
# that the network file exists, then prints a deterministic accuracy in [0.50, 0.95) from the
# network hash, after an optional delay (FAKE_ACCURACY_DELAY, when set, overrides SECONDS: a
# test slows one run of a flow down without changing the flow).
# usage: fake_accuracy.sh NETWORK_YAML HASH [SECONDS]
[ -f "$1" ] || { echo "no network file '$1'" >&2; exit 2; }
n=$(printf '%d' "0x$(echo "$2" | cut -c1-4)")
sleep "${FAKE_ACCURACY_DELAY:-${3:-0}}"
echo "{\"accuracy\": 0.$((500 + n % 450))}"
