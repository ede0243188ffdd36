// Validating a chosen design on the RTL: its accelerator is generated as a Verilog package and
// its network (the trained int8 network when there is one) runs layer by layer in the
// Verilator/SystemC co-simulation, bit-exact against the golden reference and cycle-equal to
// the analytic model. The reported latency and energy of a validated design come from here.
#pragma once

#include <optional>
#include <string>

#include "models/network.h"
#include "search/search_flow.h"
#include "search/study.h"
#include "search/trial.h"

namespace tandem {

// <output_dir>/designs/trial_<N>: where a validated design's package goes.
std::string design_directory(const SearchFlow& flow, std::int64_t trial);

// Writes design_directory() (accelerator.yaml, network.yaml, rtl/, metrics.json,
// validation.json). `agree` is false when a layer fails, is not bit-exact, differs from the
// analytic model, or when the RTL's cycle count differs from the trial's analytic one.
// Never throws for a failing design; `message` says why. `retrained_accuracy`: the network's
// stand-alone accuracy when the search ranked by a supernet (recorded beside the result).
ValidationRecord validate_design(const SearchFlow& flow, const TrialRecord& trial, const Network& network,
                                 const std::string& cache_dir,
                                 std::optional<double> retrained_accuracy = std::nullopt);

}  // namespace tandem
