// twin::steady_timer — the timer on std::chrono::steady_clock.
#pragma once

#include <chrono>

#include "twin/basic_waitable_timer.hpp"

namespace twin {

using steady_timer = basic_waitable_timer<std::chrono::steady_clock>;

}  // namespace twin
