#!/bin/sh
# A stand-in accuracy evaluator for search tests (the `command` kind of accuracy spec): a
# deterministic accuracy in [0.50, 0.95) from the network hash, after an optional delay.
# usage: fake_accuracy.sh HASH [SECONDS]
n=$(printf '%d' "0x$(echo "$1" | cut -c1-4)")
sleep "${2:-0}"
echo "{\"accuracy\": 0.$((500 + n % 450))}"
