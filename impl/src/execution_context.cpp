#include "twin/execution_context.hpp"

#include <vector>

namespace twin {

execution_context::~execution_context() {
  shutdown();
  destroy();
}

bool execution_context::key::operator==(const key& other) const noexcept {
  if (identity && identity == other.identity) return true;
  return type && other.type && *type == *other.type;
}

void execution_context::shutdown() {
  for (service* s = newest_; s; s = s->next_) s->shutdown();
}

void execution_context::destroy() {
  while (service* s = newest_) {
    newest_ = s->next_;
    delete s;
  }
}

void execution_context::notify_fork(fork_event event) {
  // A copy, so that no lock is held while a service runs (it may use other
  // services).
  std::vector<service*> services;
  {
    std::lock_guard lock(mutex_);
    for (service* s = newest_; s; s = s->next_) services.push_back(s);
  }
  // Before the fork the newest first, after it the oldest first: each
  // service is prepared before those it was built on, and restored after.
  if (event == fork_prepare) {
    for (service* s : services) s->notify_fork(event);
  } else {
    for (auto it = services.rbegin(); it != services.rend(); ++it) (*it)->notify_fork(event);
  }
}

execution_context::service* execution_context::find(const key& k) const {
  for (service* s = newest_; s; s = s->next_)
    if (s->key_ == k) return s;
  return nullptr;
}

execution_context::service& execution_context::use(const key& k, factory make, void* owner) {
  {
    std::lock_guard lock(mutex_);
    if (service* existing = find(k)) return *existing;
  }
  // Made without the lock: its constructor may use other services.
  service* made = make(owner);
  made->key_ = k;
  std::unique_lock lock(mutex_);
  // Another thread may have made one meanwhile: theirs wins.
  if (service* existing = find(k)) {
    lock.unlock();
    delete made;
    return *existing;
  }
  made->next_ = newest_;
  newest_ = made;
  return *made;
}

void execution_context::add(const key& k, service* svc) {
  if (&svc->context() != this) throw invalid_service_owner();
  std::lock_guard lock(mutex_);
  if (find(k)) throw service_already_exists();
  svc->key_ = k;
  svc->next_ = newest_;
  newest_ = svc;
}

bool execution_context::has(const key& k) const {
  std::lock_guard lock(mutex_);
  return find(k) != nullptr;
}

}  // namespace twin
