// Event-driven model of the controller's in-order dispatch (tandem_controller.v) and of the
// co-simulation host (cosim/harness/tandem_cosim_main.cpp): one instruction held, dispatched in the
// first cycle in which every unit that blocks it is idle. Jumps from dispatch to dispatch; never
// steps cycle by cycle.
#pragma once

#include "core/program.h"
#include "analytic/counters.h"

namespace tandem::analytic {

// Every counter of docs/isa.md at completion, exactly as the RTL co-simulation reports them,
// except zero_operand_macs (left 0: data-dependent).
Counters run_dispatch_model(const Program& program);

}  // namespace tandem::analytic
