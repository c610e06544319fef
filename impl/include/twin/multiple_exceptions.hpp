// twin::multiple_exceptions — what run()/poll() throw when more than one
// handler that execute() ran inline threw during one outer handler (see
// io_context::executor_type::execute). Holds the first of them.
#pragma once

#include <exception>
#include <utility>

namespace twin {

class multiple_exceptions : public std::exception {
public:
  explicit multiple_exceptions(std::exception_ptr first) noexcept : first_(std::move(first)) {}

  const char* what() const noexcept override { return "multiple exceptions"; }

  // The exception captured first.
  std::exception_ptr first_exception() const { return first_; }

private:
  std::exception_ptr first_;
};

}  // namespace twin
