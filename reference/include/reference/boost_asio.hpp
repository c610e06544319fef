// reference::boost_asio_common — what the `asio` and `asio_uring` backends
// share: the same Boost.Asio 1.81 API, compiled in two configurations (see
// asio.hpp and asio_uring.hpp; a program includes exactly one of them).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <utility>

#include <boost/asio.hpp>

namespace reference {

struct boost_asio_common {
  using io_context = boost::asio::io_context;
  template <typename Executor>
  using executor_work_guard = boost::asio::executor_work_guard<Executor>;

  // I/O (timers, TCP, buffers). Functions whose arguments are not Asio
  // types (so argument-dependent lookup cannot find them) are forwarded.
  using error_code = boost::system::error_code;
  using system_error = boost::system::system_error;
  using steady_timer = boost::asio::steady_timer;
  using system_timer = boost::asio::system_timer;
  using high_resolution_timer = boost::asio::high_resolution_timer;
  template <typename Clock>
  using wait_traits = boost::asio::wait_traits<Clock>;
  template <typename Clock, typename WaitTraits = wait_traits<Clock>>
  using basic_waitable_timer = boost::asio::basic_waitable_timer<Clock, WaitTraits>;
  using tcp = boost::asio::ip::tcp;
  using udp = boost::asio::ip::udp;
  using local_datagram = boost::asio::local::datagram_protocol;
  using streambuf = boost::asio::streambuf;
  using socket_base = boost::asio::socket_base;
  using signal_set = boost::asio::signal_set;
  // Local (AF_UNIX) stream sockets and POSIX descriptors; connect_pair is
  // found by argument-dependent lookup.
  using local_stream = boost::asio::local::stream_protocol;
  using stream_descriptor = boost::asio::posix::stream_descriptor;
  using descriptor_base = boost::asio::posix::descriptor_base;

  // Services (template arguments only, so forwarded).
  using thread_pool = boost::asio::thread_pool;
  using execution_context = boost::asio::execution_context;
  using service_already_exists = boost::asio::service_already_exists;
  using invalid_service_owner = boost::asio::invalid_service_owner;
  template <typename Service, typename Context>
  static Service& use_service(Context& ctx) {
    return boost::asio::use_service<Service>(ctx);
  }
  template <typename Service, typename... Args>
  static Service& make_service(execution_context& ctx, Args&&... args) {
    return boost::asio::make_service<Service>(ctx, std::forward<Args>(args)...);
  }
  template <typename Service>
  static void add_service(execution_context& ctx, Service* svc) {
    boost::asio::add_service(ctx, svc);
  }
  template <typename Service>
  static bool has_service(execution_context& ctx) {
    return boost::asio::has_service<Service>(ctx);
  }

  template <typename... Args>
  static auto buffer(Args&&... args) {
    return boost::asio::buffer(std::forward<Args>(args)...);
  }
  template <typename... Args>
  static auto dynamic_buffer(Args&&... args) {
    return boost::asio::dynamic_buffer(std::forward<Args>(args)...);
  }
  template <typename Executor, typename Handler>
  static auto bind_executor(const Executor& ex, Handler&& handler) {
    return boost::asio::bind_executor(ex, std::forward<Handler>(handler));
  }
  static auto transfer_all() { return boost::asio::transfer_all(); }
  static auto transfer_at_least(std::size_t n) { return boost::asio::transfer_at_least(n); }
  static auto transfer_exactly(std::size_t n) { return boost::asio::transfer_exactly(n); }
  static auto make_address(const std::string& s) { return boost::asio::ip::make_address(s); }
  // IP addresses, with the members Asio keeps as deprecated (from_string, ...).
  using address = boost::asio::ip::address;
  using address_v4 = boost::asio::ip::address_v4;
  using address_v6 = boost::asio::ip::address_v6;
  using bad_address_cast = boost::asio::ip::bad_address_cast;
  // IP socket options beyond socket_base's.
  using multicast_join_group = boost::asio::ip::multicast::join_group;
  using multicast_leave_group = boost::asio::ip::multicast::leave_group;
  using multicast_outbound_interface = boost::asio::ip::multicast::outbound_interface;
  using multicast_hops = boost::asio::ip::multicast::hops;
  using multicast_enable_loopback = boost::asio::ip::multicast::enable_loopback;
  using unicast_hops = boost::asio::ip::unicast::hops;
  using v6_only = boost::asio::ip::v6_only;
  // The older buffer names Asio keeps as deprecated.
  using mutable_buffers_1 = boost::asio::mutable_buffers_1;
  using const_buffers_1 = boost::asio::const_buffers_1;
  template <typename PointerToPodType, typename Buffer>
  static PointerToPodType buffer_cast(const Buffer& b) {
    return boost::asio::buffer_cast<PointerToPodType>(b);
  }
  // What a read past the end of a stream reports.
  static error_code eof() { return boost::asio::error::eof; }
  template <typename Executor>
  using strand = boost::asio::strand<Executor>;
  // The type-erased executor every I/O object defaults to.
  using any_io_executor = boost::asio::any_io_executor;
  // Asio's older polymorphic executor, and what an empty one throws.
  using executor = boost::asio::executor;
  using bad_executor = boost::asio::bad_executor;
  // The executor of no context of the program's own, and what scenarios
  // ask of executors' properties (Asio's require and query are objects,
  // which argument-dependent lookup does not find: forwarded).
  using system_executor = boost::asio::system_executor;
  template <typename Executor>
  static auto require_blocking_never(const Executor& ex) {
    return boost::asio::require(ex, boost::asio::execution::blocking.never);
  }
  template <typename Executor>
  static bool blocking_is_never(const Executor& ex) {
    return boost::asio::query(ex, boost::asio::execution::blocking) ==
           boost::asio::execution::blocking.never;
  }
  template <typename Executor>
  static auto& query_context(const Executor& ex) {
    return boost::asio::query(ex, boost::asio::execution::context);
  }
  template <typename Executor>
  static bool maps_to_threads(const Executor& ex) {
    return boost::asio::query(ex, boost::asio::execution::mapping) ==
           boost::asio::execution::mapping.thread;
  }
  template <typename Executor>
  static bool uses_the_standard_allocator(const Executor& ex) {
    return boost::asio::query(ex, boost::asio::execution::allocator) == std::allocator<void>();
  }
  template <typename T>
  static auto associated_executor_of(const T& t) {
    return boost::asio::get_associated_executor(t);
  }

  // Creates the scheduler's task (the epoll reactor or the io_uring
  // service) now rather than with the first I/O object.
  static void start_reactor(io_context& ctx) {
    boost::asio::use_service<boost::asio::detail::scheduler>(ctx).init_task();
  }
};

}  // namespace reference
