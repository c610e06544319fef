// twin::signal_set — a signal set on an io_context (basic_signal_set.hpp).
#pragma once

#include "twin/basic_signal_set.hpp"

namespace twin {

using signal_set = basic_signal_set<>;

}  // namespace twin
