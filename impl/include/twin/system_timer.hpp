// twin::system_timer — the timer on std::chrono::system_clock: its expiry
// is a wall-clock time (the reactor waits for the distance to it, measured
// again each time it waits).
#pragma once

#include <chrono>

#include "twin/basic_waitable_timer.hpp"

namespace twin {

using system_timer = basic_waitable_timer<std::chrono::system_clock>;

}  // namespace twin
