// Every conformance category, for the per-backend instantiation files.
#pragma once

#include "suites/fault.hpp"
#include "suites/interrupt.hpp"
#include "suites/ordering.hpp"
#include "suites/socket.hpp"
#include "suites/strand.hpp"
#include "suites/stress.hpp"
#include "suites/timer.hpp"
