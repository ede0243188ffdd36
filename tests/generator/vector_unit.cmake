# Block test of the vector unit (rtl_templates/tandem_vector_unit.v): one Catch2 executable linking the
# module verilated for several parameter sets (prefix Vvec_<n>); the sets must match the Config
# constants in t_vector_unit.cpp. Included from tests/generator/CMakeLists.txt.
tandem_add_test(t_vector_unit LABEL rtl SOURCES
  ${CMAKE_CURRENT_SOURCE_DIR}/t_vector_unit.cpp)
target_include_directories(t_vector_unit PRIVATE ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR})

set(_vec_rtl ${PROJECT_SOURCE_DIR}/rtl_templates/tandem_vector_unit.v)
# name:R:C:LANES:IBUF_AW:OBUF_AW:PARAM_AW
set(_vec_sets
  "a:4:6:1:10:7:6"      # LANES = 1, W not a power of two
  "b:16:16:16:10:7:6"   # LANES = W
  "c:6:4:64:10:7:6"     # LANES > W
  "d:12:5:4:6:10:5"     # partial beats, OBUF_AW > IBUF_AW
  "e:3:12:8:10:7:5")    # R < LANES < C
foreach(_spec IN LISTS _vec_sets)
  string(REPLACE ":" ";" _set "${_spec}")
  list(GET _set 0 _n)
  list(GET _set 1 _r)
  list(GET _set 2 _c)
  list(GET _set 3 _l)
  list(GET _set 4 _iaw)
  list(GET _set 5 _oaw)
  list(GET _set 6 _paw)
  verilate(t_vector_unit PREFIX Vvec_${_n} TOP_MODULE tandem_vector_unit
    SOURCES ${_vec_rtl}
    VERILATOR_ARGS -Wall -GR=${_r} -GC=${_c} -GLANES=${_l}
                   -GIBUF_AW=${_iaw} -GOBUF_AW=${_oaw} -GPARAM_AW=${_paw})
endforeach()
# Verilator's runtime headers trip -Wunused-parameter: include them as system headers (an
# -isystem directory overrides the same -I directory), so -Werror stays on for our code.
target_include_directories(t_vector_unit SYSTEM PRIVATE
  ${VERILATOR_ROOT}/include ${VERILATOR_ROOT}/include/vltstd)
# Verilator's runtime sources (verilated.cpp, ...) include those headers by relative path, and
# its generated model sources are not ours: relax the same warning on those files only.
get_target_property(_vec_srcs t_vector_unit SOURCES)
foreach(_src IN LISTS _vec_srcs)
  if(_src MATCHES "^${VERILATOR_ROOT}/include/" OR _src MATCHES "/Vvec_[a-z]+\\.dir/")
    set_property(SOURCE ${_src} APPEND PROPERTY COMPILE_OPTIONS -Wno-unused-parameter)
  endif()
endforeach()
