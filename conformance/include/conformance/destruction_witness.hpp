// conformance::destruction_witness — a move-aware marker captured by a
// handler, so a scenario can see handlers destroyed without being invoked.
#pragma once

#include <string>
#include <utility>

#include "conformance/trace.hpp"

namespace conformance {

// Records "destroyed <label>" when destroyed, unless it was moved from (a
// backend may move a handler several times before it queues it).
class destruction_witness {
public:
  destruction_witness(recorder& rec, std::string label) : rec_(&rec), label_(std::move(label)) {}
  destruction_witness(destruction_witness&& other) noexcept
      : rec_(std::exchange(other.rec_, nullptr)), label_(std::move(other.label_)) {}
  destruction_witness& operator=(destruction_witness&&) = delete;
  ~destruction_witness() {
    if (rec_) rec_->record("destroyed " + label_);
  }

private:
  recorder* rec_;
  std::string label_;
};

}  // namespace conformance
