# asio_standalone: standalone Asio 1.22.1 (Debian's libasio-dev, header-only,
# namespace asio) on epoll: an older Asio than the oracle's 1.26, so what it
# does differently is a difference between two Asio versions. Programs of its
# own (conformance_standalone, perf_standalone, perf_syscalls_standalone):
# they never include Boost. Off with -DASIO_TWIN_ASIO_STANDALONE=OFF.
option(ASIO_TWIN_ASIO_STANDALONE "Build the standalone Asio (libasio-dev) backend" ON)
if(NOT ASIO_TWIN_ASIO_STANDALONE)
  return()
endif()

find_path(ASIO_TWIN_ASIO_STANDALONE_INCLUDE asio/version.hpp
          DOC "the folder holding standalone Asio's asio.hpp (package libasio-dev)")
if(NOT ASIO_TWIN_ASIO_STANDALONE_INCLUDE)
  message(FATAL_ERROR "standalone Asio not found: install libasio-dev (scripts/setup), "
                      "or configure with -DASIO_TWIN_ASIO_STANDALONE=OFF")
endif()
add_library(reference_asio_standalone INTERFACE)
target_include_directories(reference_asio_standalone INTERFACE ${CMAKE_CURRENT_LIST_DIR}/include)
target_include_directories(reference_asio_standalone SYSTEM INTERFACE
                           ${ASIO_TWIN_ASIO_STANDALONE_INCLUDE})
target_link_libraries(reference_asio_standalone INTERFACE Threads::Threads)

asio_twin_backend(asio_standalone
  LABEL "standalone Asio 1.22 (epoll)"
  ASIO_VERSION 1.22.1
  PROGRAM_SUFFIX _standalone
  UNSUPPORTED Executor.TargetOfAnotherTypeIsNull
              "Asio 1.22's any_io_executor::target<T>() casts the executor it holds to T whatever its type (later Asio returns null)")
