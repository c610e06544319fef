# asio_uring: Boost.Asio 1.81 with its io_uring backend. Its configuration
# macros change Asio's inline code, so it must never meet the epoll one in a
# program: it has programs of its own (conformance_uring, perf_uring,
# perf_syscalls_uring). Off with -DASIO_TWIN_IO_URING=OFF.
option(ASIO_TWIN_IO_URING "Build the Boost.Asio io_uring reference backend" ON)
if(NOT ASIO_TWIN_IO_URING)
  return()
endif()

find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBURING REQUIRED IMPORTED_TARGET liburing)
add_library(reference_asio_uring INTERFACE)
target_include_directories(reference_asio_uring INTERFACE ${CMAKE_CURRENT_LIST_DIR}/include)
target_compile_definitions(reference_asio_uring INTERFACE
  BOOST_ASIO_HAS_IO_URING BOOST_ASIO_DISABLE_EPOLL)
target_link_libraries(reference_asio_uring INTERFACE
  reference_common Boost::headers Threads::Threads PkgConfig::LIBURING)

asio_twin_backend(asio_uring
  LABEL "Boost.Asio 1.81 (io_uring)"
  ASIO_VERSION 1.26.0
  PROGRAM_SUFFIX _uring)
