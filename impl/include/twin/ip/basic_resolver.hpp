// twin::ip::basic_resolver — turns host and service names into endpoints, and
// endpoints back into names (Asio's ip::basic_resolver; ip::tcp::resolver is
// basic_resolver<tcp>).
//
// resolve() is getaddrinfo (getnameinfo for an endpoint) on the calling
// thread: it blocks for as long as the lookup takes. async_resolve() returns
// at once; the lookup runs on the resolver's private thread (see
// detail/resolver_thread.hpp) and the handler,
//   void(std::error_code ec, results_type results),
// is then posted to the resolver's executor and run through the handler's
// associated executor (a strand, with bind_executor) by a thread running the
// io_context — never inside async_resolve. The context counts the lookup as
// outstanding work from the call until the handler has run, so run() does
// not return meanwhile. cancel(), or destroying the resolver, makes every
// lookup that has not started yet complete with error::operation_aborted; a
// lookup in progress is not interrupted and delivers its result.
//
// Failures are Asio's error codes: error::host_not_found (EAI_NONAME),
// host_not_found_try_again (EAI_AGAIN), service_not_found (EAI_SERVICE), ...
// The overloads without an error_code throw std::system_error.
//
// Thread safety, as for every I/O object: distinct resolvers may be used
// concurrently; one resolver must not be used by two threads at once.
#pragma once

#include <concepts>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>

#include "twin/any_io_executor.hpp"
#include "twin/associated_executor.hpp"
#include "twin/detail/addrinfo.hpp"
#include "twin/detail/bind_handler.hpp"
#include "twin/detail/resolver_thread.hpp"
#include "twin/error.hpp"
#include "twin/execution_concepts.hpp"
#include "twin/executor_work_guard.hpp"
#include "twin/io_context.hpp"
#include "twin/ip/basic_resolver_entry.hpp"
#include "twin/ip/basic_resolver_results.hpp"
#include "twin/ip/resolver_base.hpp"
#include "twin/post.hpp"

namespace twin::detail {

// What an async_resolve handler must accept.
template <typename Handler, typename Results>
concept resolve_handler =
    std::invocable<std::decay_t<Handler> &&, const std::error_code&, const Results&>;

}  // namespace twin::detail

namespace twin::ip {

template <typename InternetProtocol, typename Executor = any_io_executor>
class basic_resolver : public resolver_base {
public:
  using executor_type = Executor;
  template <typename Executor1>
  struct rebind_executor {
    using other = basic_resolver<InternetProtocol, Executor1>;
  };
  using protocol_type = InternetProtocol;
  using endpoint_type = typename InternetProtocol::endpoint;
  using results_type = basic_resolver_results<InternetProtocol>;

  // A resolver whose handlers are posted to `ex`.
  explicit basic_resolver(const executor_type& ex) : executor_(ex) {}
  // A resolver whose handlers are posted to `ctx`'s executor.
  template <detail::execution_context Context>
    requires std::convertible_to<decltype(std::declval<Context&>().get_executor()), executor_type>
  explicit basic_resolver(Context& ctx) : executor_(ctx.get_executor()) {}

  // Takes over `other`'s pending lookups; `other` may only be destroyed or
  // assigned to.
  basic_resolver(basic_resolver&& other) noexcept = default;
  // Cancels this resolver's lookups (as the destructor does), then takes
  // over `other`'s.
  basic_resolver& operator=(basic_resolver&& other) noexcept {
    if (this != &other) {
      token_ = std::move(other.token_);    // first: expires our lookups' tokens
      thread_ = std::move(other.thread_);  // then: joins our thread
      executor_ = other.executor_;
    }
    return *this;
  }
  // Cancels the lookups not yet started and waits for the private thread to
  // deliver every completion (a lookup in progress is waited for).
  ~basic_resolver() {
    token_.reset();
    thread_.reset();
  }

  executor_type get_executor() const noexcept { return executor_; }

  // Makes every pending asynchronous lookup that has not started complete
  // with error::operation_aborted. Later lookups are not affected.
  void cancel() { token_ = new_token(); }

  // Forward resolution: the endpoints of `host` (a name, "localhost", or a
  // numeric address; empty: loopback, or any with `passive`) for `service`
  // (a name from /etc/services or a port number; empty: port 0). All
  // families, the protocol's socket type. A successful result is never
  // empty.
  results_type resolve(std::string_view host, std::string_view service) {
    return resolve(host, service, flags{});
  }
  results_type resolve(std::string_view host, std::string_view service, std::error_code& ec) {
    return resolve(host, service, flags{}, ec);
  }
  results_type resolve(std::string_view host, std::string_view service, flags resolve_flags) {
    return detail::or_throw(
        "resolve", [&](std::error_code& ec) { return resolve(host, service, resolve_flags, ec); });
  }
  results_type resolve(std::string_view host, std::string_view service, flags resolve_flags,
                       std::error_code& ec) {
    return lookup(make_query(endpoint_type().protocol(), AF_UNSPEC, host, service, resolve_flags),
                  ec);
  }

  // Forward resolution restricted to `protocol`'s family (tcp::v4(), tcp::v6()).
  results_type resolve(const protocol_type& protocol, std::string_view host,
                       std::string_view service) {
    return resolve(protocol, host, service, flags{});
  }
  results_type resolve(const protocol_type& protocol, std::string_view host,
                       std::string_view service, std::error_code& ec) {
    return resolve(protocol, host, service, flags{}, ec);
  }
  results_type resolve(const protocol_type& protocol, std::string_view host,
                       std::string_view service, flags resolve_flags) {
    return detail::or_throw("resolve", [&](std::error_code& ec) {
      return resolve(protocol, host, service, resolve_flags, ec);
    });
  }
  results_type resolve(const protocol_type& protocol, std::string_view host,
                       std::string_view service, flags resolve_flags, std::error_code& ec) {
    return lookup(make_query(protocol, protocol.family(), host, service, resolve_flags), ec);
  }

  // Reverse resolution: one entry with `endpoint`'s host and service names
  // (numeric when the address or port has no name).
  results_type resolve(const endpoint_type& endpoint) {
    return detail::or_throw("resolve", [&](std::error_code& ec) { return resolve(endpoint, ec); });
  }
  results_type resolve(const endpoint_type& endpoint, std::error_code& ec) {
    return reverse_lookup(endpoint, ec);
  }

  // The asynchronous forms of the resolve() overloads above; `handler` is
  // void(std::error_code, results_type).
  template <detail::resolve_handler<results_type> Handler>
  void async_resolve(std::string_view host, std::string_view service, Handler&& handler) {
    async_resolve(host, service, flags{}, std::forward<Handler>(handler));
  }
  template <detail::resolve_handler<results_type> Handler>
  void async_resolve(std::string_view host, std::string_view service, flags resolve_flags,
                     Handler&& handler) {
    start(forward_lookup{make_query(endpoint_type().protocol(), AF_UNSPEC, host, service,
                                    resolve_flags)},
          std::forward<Handler>(handler));
  }
  template <detail::resolve_handler<results_type> Handler>
  void async_resolve(const protocol_type& protocol, std::string_view host, std::string_view service,
                     Handler&& handler) {
    async_resolve(protocol, host, service, flags{}, std::forward<Handler>(handler));
  }
  template <detail::resolve_handler<results_type> Handler>
  void async_resolve(const protocol_type& protocol, std::string_view host, std::string_view service,
                     flags resolve_flags, Handler&& handler) {
    start(forward_lookup{make_query(protocol, protocol.family(), host, service, resolve_flags)},
          std::forward<Handler>(handler));
  }
  template <detail::resolve_handler<results_type> Handler>
  void async_resolve(const endpoint_type& endpoint, Handler&& handler) {
    start(reverse_lookup_of{endpoint}, std::forward<Handler>(handler));
  }

private:
  basic_resolver(const basic_resolver&) = delete;
  basic_resolver& operator=(const basic_resolver&) = delete;

  // The cancellation token: lookups hold a weak_ptr to it and give up when
  // it has expired. Like Asio's, it owns nothing, only a control block.
  static std::shared_ptr<void> new_token() {
    return std::shared_ptr<void>(static_cast<void*>(nullptr), [](void*) {});
  }

  static detail::addrinfo_query make_query(const protocol_type& protocol, int family,
                                           std::string_view host, std::string_view service,
                                           flags f) {
    return {std::string(host), std::string(service), family,
            protocol.type(),   protocol.protocol(),  static_cast<int>(f)};
  }

  static results_type lookup(const detail::addrinfo_query& query, std::error_code& ec) {
    detail::addrinfo_ptr list = detail::getaddrinfo(query, ec);
    if (ec) return results_type();
    return results_type::create(list.get(), query.host, query.service);
  }

  static results_type reverse_lookup(const endpoint_type& endpoint, std::error_code& ec) {
    std::string host, service;
    detail::getnameinfo(endpoint.data(), endpoint.size(), endpoint.protocol().type(), host, service,
                        ec);
    if (ec) return results_type();
    return results_type::create(endpoint, host, service);
  }

  // The two kinds of lookup, as function objects run on the private thread.
  struct forward_lookup {
    detail::addrinfo_query query;
    results_type operator()(std::error_code& ec) const { return lookup(query, ec); }
  };
  struct reverse_lookup_of {
    endpoint_type endpoint;
    results_type operator()(std::error_code& ec) const { return reverse_lookup(endpoint, ec); }
  };

  // Queues `run_lookup` on the private thread; once it is done, posts
  // `handler` with its result to the resolver's executor. The work guards
  // keep both the resolver's and the handler's executor counted meanwhile;
  // they are released after the post has counted the handler itself.
  template <typename Lookup, typename Handler>
  void start(Lookup run_lookup, Handler&& handler) {
    using handler_type = std::decay_t<Handler>;
    auto handler_ex = get_associated_executor(handler, executor_);
    if (!thread_) thread_ = std::make_unique<detail::resolver_thread>();
    thread_->post([token = std::weak_ptr<void>(token_), run_lookup = std::move(run_lookup),
                   io_work = executor_work_guard<executor_type>(executor_),
                   handler_work = executor_work_guard<decltype(handler_ex)>(handler_ex),
                   handler = handler_type(std::forward<Handler>(handler))]() mutable {
      std::error_code ec;
      results_type results;
      if (token.expired())
        ec = error::operation_aborted;
      else
        results = run_lookup(ec);
      twin::post(io_work.get_executor(),
                 detail::bind_handler(std::move(handler), ec, std::move(results)));
    });
  }

  executor_type executor_;
  std::shared_ptr<void> token_ = new_token();
  std::unique_ptr<detail::resolver_thread> thread_;
};

}  // namespace twin::ip
