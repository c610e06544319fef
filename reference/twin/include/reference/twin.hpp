// reference::twin — the backend under test: twin's io_context on epoll.
//
// A backend traits struct names the types a scenario uses; the functions
// (post, dispatch, defer, make_work_guard, ...) are found by argument-
// dependent lookup on those types, so scenario code reads like Asio code.
#pragma once

#include <sys/syscall.h>

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

#include <twin.hpp>

namespace reference {

struct twin {
  static constexpr std::string_view name = "twin";

  using io_context = ::twin::io_context;
  template <typename Executor>
  using executor_work_guard = ::twin::executor_work_guard<Executor>;
  template <typename Executor>
  using strand = ::twin::strand<Executor>;
  // The type-erased executor every I/O object defaults to.
  using any_io_executor = ::twin::any_io_executor;
  // Asio's older polymorphic executor, and what an empty one throws.
  using executor = ::twin::executor;
  using bad_executor = ::twin::bad_executor;
  // The executor of no context of the program's own, and what scenarios
  // ask of executors' properties (Asio's require and query are objects,
  // which argument-dependent lookup does not find: forwarded).
  using system_executor = ::twin::system_executor;
  template <typename Executor>
  static auto require_blocking_never(const Executor& ex) {
    return ::twin::require(ex, ::twin::execution::blocking.never);
  }
  template <typename Executor>
  static bool blocking_is_never(const Executor& ex) {
    return ::twin::query(ex, ::twin::execution::blocking) == ::twin::execution::blocking.never;
  }
  template <typename Executor>
  static auto& query_context(const Executor& ex) {
    return ::twin::query(ex, ::twin::execution::context);
  }
  template <typename Executor>
  static bool maps_to_threads(const Executor& ex) {
    return ::twin::query(ex, ::twin::execution::mapping) == ::twin::execution::mapping.thread;
  }
  template <typename Executor>
  static bool uses_the_standard_allocator(const Executor& ex) {
    return ::twin::query(ex, ::twin::execution::allocator) == std::allocator<void>();
  }
  template <typename T>
  static auto associated_executor_of(const T& t) {
    return ::twin::get_associated_executor(t);
  }

  // I/O (timers, TCP, buffers). Functions whose arguments are not twin
  // types (so argument-dependent lookup cannot find them) are forwarded.
  using error_code = std::error_code;
  using system_error = std::system_error;
  using steady_timer = ::twin::steady_timer;
  using system_timer = ::twin::system_timer;
  using high_resolution_timer = ::twin::high_resolution_timer;
  template <typename Clock>
  using wait_traits = ::twin::wait_traits<Clock>;
  template <typename Clock, typename WaitTraits = wait_traits<Clock>>
  using basic_waitable_timer = ::twin::basic_waitable_timer<Clock, WaitTraits>;
  using tcp = ::twin::ip::tcp;
  using udp = ::twin::ip::udp;
  using local_datagram = ::twin::local::datagram_protocol;
  using streambuf = ::twin::streambuf;
  using socket_base = ::twin::socket_base;
  using signal_set = ::twin::signal_set;
  // Local (AF_UNIX) stream sockets and POSIX descriptors; connect_pair is
  // found by argument-dependent lookup.
  using local_stream = ::twin::local::stream_protocol;
  using stream_descriptor = ::twin::posix::stream_descriptor;
  using descriptor_base = ::twin::posix::descriptor_base;

  // Services (template arguments only, so forwarded).
  using thread_pool = ::twin::thread_pool;
  using execution_context = ::twin::execution_context;
  using service_already_exists = ::twin::service_already_exists;
  using invalid_service_owner = ::twin::invalid_service_owner;
  template <typename Service, typename Context>
  static Service& use_service(Context& ctx) {
    return ::twin::use_service<Service>(ctx);
  }
  template <typename Service, typename... Args>
  static Service& make_service(execution_context& ctx, Args&&... args) {
    return ::twin::make_service<Service>(ctx, std::forward<Args>(args)...);
  }
  template <typename Service>
  static void add_service(execution_context& ctx, Service* svc) {
    ::twin::add_service(ctx, svc);
  }
  template <typename Service>
  static bool has_service(execution_context& ctx) {
    return ::twin::has_service<Service>(ctx);
  }

  template <typename... Args>
  static auto buffer(Args&&... args) {
    return ::twin::buffer(std::forward<Args>(args)...);
  }
  template <typename... Args>
  static auto dynamic_buffer(Args&&... args) {
    return ::twin::dynamic_buffer(std::forward<Args>(args)...);
  }
  template <typename Executor, typename Handler>
  static auto bind_executor(const Executor& ex, Handler&& handler) {
    return ::twin::bind_executor(ex, std::forward<Handler>(handler));
  }
  static auto transfer_all() { return ::twin::transfer_all(); }
  static auto transfer_at_least(std::size_t n) { return ::twin::transfer_at_least(n); }
  static auto transfer_exactly(std::size_t n) { return ::twin::transfer_exactly(n); }
  static auto make_address(const std::string& s) { return ::twin::ip::make_address(s); }
  // IP addresses, with the members Asio keeps as deprecated (from_string, ...).
  using address = ::twin::ip::address;
  using address_v4 = ::twin::ip::address_v4;
  using address_v6 = ::twin::ip::address_v6;
  using bad_address_cast = ::twin::ip::bad_address_cast;
  // IP socket options beyond socket_base's.
  using multicast_join_group = ::twin::ip::multicast::join_group;
  using multicast_leave_group = ::twin::ip::multicast::leave_group;
  using multicast_outbound_interface = ::twin::ip::multicast::outbound_interface;
  using multicast_hops = ::twin::ip::multicast::hops;
  using multicast_enable_loopback = ::twin::ip::multicast::enable_loopback;
  using unicast_hops = ::twin::ip::unicast::hops;
  using v6_only = ::twin::ip::v6_only;
  // The older buffer names Asio keeps as deprecated.
  using mutable_buffers_1 = ::twin::mutable_buffers_1;
  using const_buffers_1 = ::twin::const_buffers_1;
  template <typename PointerToPodType, typename Buffer>
  static PointerToPodType buffer_cast(const Buffer& b) {
    return ::twin::buffer_cast<PointerToPodType>(b);
  }
  // What a read past the end of a stream reports.
  static error_code eof() { return ::twin::error::eof; }

  // Creates the reactor (and its service) now, as Asio's first I/O object
  // would, so that an idle run thread blocks in epoll_wait rather than on a
  // condvar.
  static void start_reactor(io_context& ctx) { ::twin::detail::reactor_service::of(ctx); }

  // The system calls an idle run thread blocks in when it holds the reactor.
  static constexpr std::array<long, 2> reactor_wait_syscalls{SYS_epoll_wait, SYS_epoll_pwait};
};

}  // namespace reference
