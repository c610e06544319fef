#include "twin/detail/timer_queue.hpp"

namespace twin::detail {

// The steady clock's queue is compiled here once; every other clock's where
// its timers are used.
template class basic_timer_queue<std::chrono::steady_clock, wait_traits<std::chrono::steady_clock>>;

}  // namespace twin::detail
