// The whole of twin's public API, as <boost/asio.hpp> is for Asio.
#pragma once

#include "twin/associated_executor.hpp"
#include "twin/bind_executor.hpp"
#include "twin/executor_work_guard.hpp"
#include "twin/io_context.hpp"
#include "twin/io_context_strand.hpp"
#include "twin/post.hpp"
#include "twin/strand.hpp"
