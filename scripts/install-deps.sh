#!/usr/bin/env bash
# Installs every system package tandem needs, from Debian 12.
# Idempotent: packages already present are skipped, and `apt-get update` runs only when
# something is missing and the package lists are absent or older than a day.
set -euo pipefail

# One list, grouped by the stage that needs it. Add a package here, nowhere else.
PACKAGES=(
  # build
  build-essential cmake ninja-build pkg-config git
  # configuration, CLI, data formats
  libyaml-cpp-dev libcli11-dev nlohmann-json3-dev libsqlite3-dev libssl-dev
  # numerics
  libeigen3-dev
  # tests (chromium: headless rendering of the HTML report in t_report_render; libpng-dev:
  # reading its screenshot back)
  catch2 chromium libpng-dev
  # RTL: lint, simulation, synthesis
  verilator libsystemc-dev iverilog yosys
  # ASIC timing: OpenSTA (`sta`) for tandem synth --target sky130
  opensta
  # RTL handoff: place and route for iCE40 FPGAs (tandem synth --target ice40)
  nextpnr-ice40 fpga-icestorm
  # accuracy: quantization-aware training (tandem-train, libtorch CPU) on the Fashion-MNIST
  # proxy data set (IDX .gz files, read with zlib)
  libtorch-dev dataset-fashion-mnist zlib1g-dev
  # interoperability: ONNX import/export (the ONNX protobuf classes) and the tests' model
  # builder (python3-onnx's helper API, numpy)
  libonnx-dev libprotobuf-dev protobuf-compiler python3-onnx python3-numpy
  # cluster execution: a private single-node Slurm cluster (tests/slurm/cluster.sh) for the tests
  # of execution: {kind: slurm}. slurmdbd and a private MariaDB give it accounting, which `sacct`
  # needs (with accounting_storage/none it refuses); the -core packages have the server,
  # mariadb-install-db and the client without mariadb-server's system service. iproute2: `ss`
  # for free ports.
  slurmctld slurmd slurm-client slurmdbd munge mariadb-server-core mariadb-client-core iproute2
)

if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-deps: this system has no apt-get/dpkg (tandem targets Debian 12)." >&2
  echo "install-deps: install these packages (Debian 12 names) with your package manager:" >&2
  echo "  ${PACKAGES[*]}" >&2
  exit 1
fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

lists=/var/lib/apt/lists
if [ -z "$(find "$lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -n1)" ]; then
  echo "install-deps: refreshing package lists"
  $SUDO apt-get update -qq
fi

echo "install-deps: installing ${missing[*]}"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
