// twin::high_resolution_timer — the timer on
// std::chrono::high_resolution_clock (with libstdc++ the system clock, so
// the same type as system_timer).
#pragma once

#include <chrono>

#include "twin/basic_waitable_timer.hpp"

namespace twin {

using high_resolution_timer = basic_waitable_timer<std::chrono::high_resolution_clock>;

}  // namespace twin
