// reference::asio_standalone — standalone Asio 1.22.1 (Debian's libasio-dev:
// header-only, namespace `asio`, std::error_code) on its default Linux
// reactor, epoll. An older Asio than the oracle's (Boost 1.81 ships Asio
// 1.26): where the two disagree, the report shows a difference between two
// Asio versions, not a bug in either.
//
// Like every backend's traits, it names the types a scenario uses; the
// functions (post, dispatch, make_work_guard, ...) are found by argument-
// dependent lookup on them, and the rest are forwarded here.
#pragma once

#include <sys/syscall.h>

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <asio.hpp>

namespace reference {

struct asio_standalone {
  static constexpr std::string_view name = "asio_standalone";

  using io_context = ::asio::io_context;
  template <typename Executor>
  using executor_work_guard = ::asio::executor_work_guard<Executor>;
  template <typename Executor>
  using strand = ::asio::strand<Executor>;
  // The type-erased executor every I/O object defaults to.
  using any_io_executor = ::asio::any_io_executor;
  // Asio's older polymorphic executor, and what an empty one throws.
  using executor = ::asio::executor;
  using bad_executor = ::asio::bad_executor;
  // The executor of no context of the program's own, and what scenarios
  // ask of executors' properties (Asio's require and query are objects,
  // which argument-dependent lookup does not find: forwarded).
  using system_executor = ::asio::system_executor;
  template <typename Executor>
  static auto require_blocking_never(const Executor& ex) {
    return ::asio::require(ex, ::asio::execution::blocking.never);
  }
  template <typename Executor>
  static bool blocking_is_never(const Executor& ex) {
    return ::asio::query(ex, ::asio::execution::blocking) == ::asio::execution::blocking.never;
  }
  template <typename Executor>
  static auto& query_context(const Executor& ex) {
    return ::asio::query(ex, ::asio::execution::context);
  }
  template <typename Executor>
  static bool maps_to_threads(const Executor& ex) {
    return ::asio::query(ex, ::asio::execution::mapping) == ::asio::execution::mapping.thread;
  }
  template <typename Executor>
  static bool uses_the_standard_allocator(const Executor& ex) {
    return ::asio::query(ex, ::asio::execution::allocator) == std::allocator<void>();
  }
  template <typename T>
  static auto associated_executor_of(const T& t) {
    return ::asio::get_associated_executor(t);
  }

  // I/O (timers, TCP, buffers).
  using error_code = std::error_code;
  using system_error = std::system_error;
  using steady_timer = ::asio::steady_timer;
  using system_timer = ::asio::system_timer;
  using high_resolution_timer = ::asio::high_resolution_timer;
  template <typename Clock>
  using wait_traits = ::asio::wait_traits<Clock>;
  template <typename Clock, typename WaitTraits = wait_traits<Clock>>
  using basic_waitable_timer = ::asio::basic_waitable_timer<Clock, WaitTraits>;
  using tcp = ::asio::ip::tcp;
  using udp = ::asio::ip::udp;
  using local_datagram = ::asio::local::datagram_protocol;
  using streambuf = ::asio::streambuf;
  using socket_base = ::asio::socket_base;
  using signal_set = ::asio::signal_set;
  // Local (AF_UNIX) stream sockets and POSIX descriptors; connect_pair is
  // found by argument-dependent lookup.
  using local_stream = ::asio::local::stream_protocol;
  using stream_descriptor = ::asio::posix::stream_descriptor;
  using descriptor_base = ::asio::posix::descriptor_base;

  // Services (template arguments only, so forwarded).
  using thread_pool = ::asio::thread_pool;
  using execution_context = ::asio::execution_context;
  using service_already_exists = ::asio::service_already_exists;
  using invalid_service_owner = ::asio::invalid_service_owner;
  template <typename Service, typename Context>
  static Service& use_service(Context& ctx) {
    return ::asio::use_service<Service>(ctx);
  }
  template <typename Service, typename... Args>
  static Service& make_service(execution_context& ctx, Args&&... args) {
    return ::asio::make_service<Service>(ctx, std::forward<Args>(args)...);
  }
  template <typename Service>
  static void add_service(execution_context& ctx, Service* svc) {
    ::asio::add_service(ctx, svc);
  }
  template <typename Service>
  static bool has_service(execution_context& ctx) {
    return ::asio::has_service<Service>(ctx);
  }

  template <typename... Args>
  static auto buffer(Args&&... args) {
    return ::asio::buffer(std::forward<Args>(args)...);
  }
  template <typename... Args>
  static auto dynamic_buffer(Args&&... args) {
    return ::asio::dynamic_buffer(std::forward<Args>(args)...);
  }
  template <typename Executor, typename Handler>
  static auto bind_executor(const Executor& ex, Handler&& handler) {
    return ::asio::bind_executor(ex, std::forward<Handler>(handler));
  }
  static auto transfer_all() { return ::asio::transfer_all(); }
  static auto transfer_at_least(std::size_t n) { return ::asio::transfer_at_least(n); }
  static auto transfer_exactly(std::size_t n) { return ::asio::transfer_exactly(n); }
  static auto make_address(const std::string& s) { return ::asio::ip::make_address(s); }
  // IP addresses, with the members Asio keeps as deprecated (from_string, ...).
  using address = ::asio::ip::address;
  using address_v4 = ::asio::ip::address_v4;
  using address_v6 = ::asio::ip::address_v6;
  using bad_address_cast = ::asio::ip::bad_address_cast;
  // IP socket options beyond socket_base's.
  using multicast_join_group = ::asio::ip::multicast::join_group;
  using multicast_leave_group = ::asio::ip::multicast::leave_group;
  using multicast_outbound_interface = ::asio::ip::multicast::outbound_interface;
  using multicast_hops = ::asio::ip::multicast::hops;
  using multicast_enable_loopback = ::asio::ip::multicast::enable_loopback;
  using unicast_hops = ::asio::ip::unicast::hops;
  using v6_only = ::asio::ip::v6_only;
  // The older buffer names Asio keeps as deprecated.
  using mutable_buffers_1 = ::asio::mutable_buffers_1;
  using const_buffers_1 = ::asio::const_buffers_1;
  template <typename PointerToPodType, typename Buffer>
  static PointerToPodType buffer_cast(const Buffer& b) {
    return ::asio::buffer_cast<PointerToPodType>(b);
  }
  // What a read past the end of a stream reports.
  static error_code eof() { return ::asio::error::eof; }

  // Creates the scheduler's task (the epoll reactor) now rather than with
  // the first I/O object.
  static void start_reactor(io_context& ctx) {
    ::asio::use_service<::asio::detail::scheduler>(ctx).init_task();
  }

  // The system calls an idle run thread blocks in when it holds the reactor.
  static constexpr std::array<long, 2> reactor_wait_syscalls{SYS_epoll_wait, SYS_epoll_pwait};
};

}  // namespace reference
