// twin::dispatch — see post.hpp, which defines post, dispatch and defer.
#pragma once
#include "twin/post.hpp"
