// Every scenario category, and the one call a perf program makes to
// register them all for its backends. A new category is a header beside
// these with its own scenario_list, added to register_all below.
#pragma once

#include "perf/registry.hpp"
#include "scenarios/interrupt.hpp"
#include "scenarios/pipe.hpp"
#include "scenarios/scheduler.hpp"
#include "scenarios/strand.hpp"
#include "scenarios/tcp.hpp"
#include "scenarios/timer.hpp"
#include "scenarios/udp.hpp"

namespace perf {

// Registers every scenario for each of Backends (see registry.hpp).
template <typename... Backends>
void register_all() {
  register_scenarios<Backends...>(scheduler::scenarios{}, strand::scenarios{},
                                  interrupt::scenarios{}, timer::scenarios{}, tcp::scenarios{},
                                  pipe::scenarios{}, udp::scenarios{});
}

}  // namespace perf
