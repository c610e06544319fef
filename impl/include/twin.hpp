// The whole of twin's public API, as <boost/asio.hpp> is for Asio.
#pragma once

#include "twin/executor_work_guard.hpp"
#include "twin/io_context.hpp"
#include "twin/post.hpp"
