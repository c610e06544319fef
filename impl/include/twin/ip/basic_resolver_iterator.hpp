// twin::ip::basic_resolver_iterator — a forward iterator over the entries of
// a basic_resolver_results (Asio's ip::basic_resolver_iterator).
//
// It shares ownership of the entries, so it stays valid after the results
// object it came from is gone. Past the last entry it becomes equal to a
// default-constructed iterator, as in Asio, so the old idiom
// `while (it != iterator())` works. A value type; copies may be used from
// different threads.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <vector>

#include "twin/ip/basic_resolver_entry.hpp"

namespace twin::ip {

template <typename InternetProtocol>
class basic_resolver_results;

template <typename InternetProtocol>
class basic_resolver_iterator {
public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = basic_resolver_entry<InternetProtocol>;
  using difference_type = std::ptrdiff_t;
  using pointer = const value_type*;
  using reference = const value_type&;

  // The end iterator.
  basic_resolver_iterator() noexcept = default;

  reference operator*() const { return (*values_)[index_]; }
  pointer operator->() const { return &(*values_)[index_]; }

  basic_resolver_iterator& operator++() {
    if (++index_ == values_->size()) {
      values_.reset();
      index_ = 0;
    }
    return *this;
  }
  basic_resolver_iterator operator++(int) {
    basic_resolver_iterator previous(*this);
    ++*this;
    return previous;
  }

  // Equal when both are at the end, or at the same entry of the same results.
  friend bool operator==(const basic_resolver_iterator& a,
                         const basic_resolver_iterator& b) noexcept {
    return a.values_ == b.values_ && a.index_ == b.index_;
  }

private:
  friend class basic_resolver_results<InternetProtocol>;
  using values_type = std::vector<value_type>;

  // The first entry of `values`, or the end iterator if there is none.
  explicit basic_resolver_iterator(std::shared_ptr<const values_type> values) noexcept
      : values_(values && !values->empty() ? std::move(values) : nullptr) {}

  std::shared_ptr<const values_type> values_;
  std::size_t index_ = 0;
};

}  // namespace twin::ip
