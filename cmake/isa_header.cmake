# tandem_isa_header(<dir_var>): writes tandem_isa.vh, the Verilog header of core/isa.h, into the
# build tree and sets <dir_var> to its directory, for RTL verilated straight from rtl_templates/
# (tandem_verilate_variants). It is made at configure time because verilate() runs Verilator at
# configure time; the header is the text of isa::verilog_header(), from a tiny tool compiled
# with core/isa.cpp, so it cannot disagree with the generator's. Editing core/isa.h or isa.cpp
# reconfigures; Verilator's own dependency list then re-verilates what includes the header.
function(tandem_isa_header dir_var)
  set(dir ${PROJECT_BINARY_DIR}/isa_header)
  set(sources ${PROJECT_SOURCE_DIR}/core/isa.cpp ${PROJECT_SOURCE_DIR}/core/tools/write_isa_header.cpp)
  set_property(DIRECTORY ${PROJECT_SOURCE_DIR} APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
               ${sources} ${PROJECT_SOURCE_DIR}/core/isa.h)
  # Build the tool only when its sources changed since the last configure.
  set(stamp_text "")
  foreach(file IN LISTS sources ITEMS ${PROJECT_SOURCE_DIR}/core/isa.h)
    file(SHA256 ${file} hash)
    string(APPEND stamp_text "${hash}\n")
  endforeach()
  set(stamp ${dir}/sources.sha256)
  set(previous "")
  if(EXISTS ${stamp})
    file(READ ${stamp} previous)
  endif()
  if(NOT previous STREQUAL stamp_text OR NOT EXISTS ${dir}/tandem_isa.vh)
    try_compile(built ${dir}/build SOURCES ${sources}
                CMAKE_FLAGS "-DINCLUDE_DIRECTORIES=${PROJECT_SOURCE_DIR}"
                CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON
                OUTPUT_VARIABLE log COPY_FILE ${dir}/write_isa_header)
    if(NOT built)
      message(FATAL_ERROR "building core/tools/write_isa_header.cpp failed:\n${log}")
    endif()
    execute_process(COMMAND ${dir}/write_isa_header ${dir}/tandem_isa.vh.tmp RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "write_isa_header failed (${rc})")
    endif()
    # An unchanged header keeps its time stamp: nothing is re-verilated for a comment edit.
    execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different ${dir}/tandem_isa.vh.tmp
                            ${dir}/tandem_isa.vh)
    file(WRITE ${stamp} "${stamp_text}")
  endif()
  set(${dir_var} ${dir} PARENT_SCOPE)
endfunction()
