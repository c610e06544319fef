# asio: Boost.Asio 1.81 on its default Linux reactor, epoll, the oracle. It
# lives in the shared programs, beside twin.
add_library(reference_asio INTERFACE)
target_include_directories(reference_asio INTERFACE ${CMAKE_CURRENT_LIST_DIR}/include)
target_link_libraries(reference_asio INTERFACE reference_common Boost::headers Threads::Threads)

asio_twin_backend(asio
  LABEL "Boost.Asio 1.81 (epoll)"
  ASIO_VERSION 1.26.0
  ORACLE)
