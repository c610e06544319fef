# asio_twin_backend(): how a backend folder (reference/<name>/backend.cmake)
# declares itself to the rest of the build. Everything a backend is lives in
# its folder: its traits header (<name>/include/reference/<name>.hpp, the
# struct reference::<name>), the interface target reference_<name> that
# compiles and links it, and one call to this function:
#
#   asio_twin_backend(<name>
#     LABEL "<what the report calls it>"
#     [PROGRAM_SUFFIX <suffix>]   # its programs are conformance<suffix>,
#                                 # perf<suffix> and perf_syscalls<suffix>,
#                                 # generated here; without one it lives in
#                                 # the shared programs (conformance, perf,
#                                 # perf_syscalls), which name it themselves
#     [ASIO_VERSION <x.y.z>]      # the Asio it is, if it is one: a divergence
#                                 # between two of them is a difference
#                                 # between Asio versions (or configurations)
#     [ORACLE]                    # the default oracle (scripts' --oracle)
#     [CHECKED_AGAINST <backend>] # its deterministic traces are also compared
#                                 # with <backend>'s in-process, and a
#                                 # divergence fails its test (twin's)
#     [UNSUPPORTED <Category>|<Category.Scenario> "<why>" ...])
#                                 # what it cannot run: a whole category
#                                 # (not instantiated for it) or one
#                                 # scenario (never run: ctest and
#                                 # scripts/compare leave it out)
#
# The declarations are global properties (read with asio_twin_backend_get),
# so conformance/, perf/ and scripts/ (which writes <build>/backends.json
# for the scripts) pick every backend up without naming it.
function(asio_twin_backend name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "ORACLE" "LABEL;PROGRAM_SUFFIX;CHECKED_AGAINST;ASIO_VERSION"
                        "UNSUPPORTED")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "asio_twin_backend(${name}): unknown arguments ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_LABEL)
    message(FATAL_ERROR "asio_twin_backend(${name}): LABEL is required")
  endif()
  if(NOT TARGET reference_${name})
    message(FATAL_ERROR "asio_twin_backend(${name}): its folder must define reference_${name}")
  endif()
  list(LENGTH arg_UNSUPPORTED n)
  math(EXPR odd "${n} % 2")
  if(odd)
    message(FATAL_ERROR
            "asio_twin_backend(${name}): UNSUPPORTED takes pairs <Category>[.<Scenario>] \"<why>\"")
  endif()
  set_property(GLOBAL APPEND PROPERTY asio_twin_backends ${name})
  foreach(key LABEL PROGRAM_SUFFIX CHECKED_AGAINST ASIO_VERSION ORACLE UNSUPPORTED)
    set_property(GLOBAL PROPERTY asio_twin_backend_${name}_${key} "${arg_${key}}")
  endforeach()
endfunction()

# asio_twin_backend_get(<var> <name> <key>): one declared value (<key> is one
# of the arguments above); asio_twin_backend_get(<var> "" BACKENDS) the
# backends in declaration order.
function(asio_twin_backend_get var name key)
  if(key STREQUAL "BACKENDS")
    get_property(value GLOBAL PROPERTY asio_twin_backends)
  else()
    get_property(value GLOBAL PROPERTY asio_twin_backend_${name}_${key})
  endif()
  set(${var} "${value}" PARENT_SCOPE)
endfunction()

# _asio_twin_backend_unsupported_lists(<whats> <whys> <name>): <name>'s
# UNSUPPORTED pairs as two parallel lists, what (<Category> or
# <Category.Scenario>) and why.
function(_asio_twin_backend_unsupported_lists whats_var whys_var name)
  asio_twin_backend_get(pairs ${name} UNSUPPORTED)
  set(whats "")
  set(whys "")
  while(pairs)
    list(POP_FRONT pairs what why)
    list(APPEND whats "${what}")
    list(APPEND whys "${why}")
  endwhile()
  set(${whats_var} "${whats}" PARENT_SCOPE)
  set(${whys_var} "${whys}" PARENT_SCOPE)
endfunction()

# asio_twin_backend_unsupported(<var> <name> <Category>): why <name> cannot
# run <Category>, or empty when it can (or when it declares only some of
# its scenarios: asio_twin_backend_unsupported_scenarios).
function(asio_twin_backend_unsupported var name category)
  _asio_twin_backend_unsupported_lists(whats whys ${name})
  list(FIND whats "${category}" at)
  set(reason "")
  if(at GREATER -1)
    list(GET whys ${at} reason)
  endif()
  set(${var} "${reason}" PARENT_SCOPE)
endfunction()

# asio_twin_backend_unsupported_scenarios(<var> <name> <Category>): the
# scenarios of <Category> that <name> declares it cannot run (names only).
function(asio_twin_backend_unsupported_scenarios var name category)
  _asio_twin_backend_unsupported_lists(whats whys ${name})
  set(scenarios "")
  foreach(what IN LISTS whats)
    if(what MATCHES "^${category}\\.(.+)$")
      list(APPEND scenarios ${CMAKE_MATCH_1})
    endif()
  endforeach()
  set(${var} "${scenarios}" PARENT_SCOPE)
endfunction()

# asio_twin_backend_programs(<var> <prefix> <template> <libraries>...): for
# each backend declared with a PROGRAM_SUFFIX, the program <prefix><suffix>,
# generated from <template> (configure_file @ONLY: it sees @program@,
# @backend@ and @label@) and linked with <libraries>, reference_<backend>
# and reference_common. <var> gets their names. Backends without a suffix
# live in the shared program <prefix>, which names them itself.
function(asio_twin_backend_programs var prefix template)
  set(programs "")
  asio_twin_backend_get(backends "" BACKENDS)
  foreach(backend IN LISTS backends)
    asio_twin_backend_get(suffix ${backend} PROGRAM_SUFFIX)
    if(NOT suffix)
      continue()
    endif()
    set(program ${prefix}${suffix})
    asio_twin_backend_get(label ${backend} LABEL)
    configure_file(${template} ${CMAKE_CURRENT_BINARY_DIR}/${program}.cpp @ONLY)
    add_executable(${program} ${CMAKE_CURRENT_BINARY_DIR}/${program}.cpp)
    target_link_libraries(${program} PRIVATE ${ARGN} reference_${backend} reference_common)
    asio_twin_warnings(${program})
    list(APPEND programs ${program})
  endforeach()
  set(${var} "${programs}" PARENT_SCOPE)
endfunction()
