# RTL co-simulation (docs/cosim.md): the driver that builds and runs the Verilator/SystemC
# simulator of a configuration. The harness sources in this folder are embedded into the
# library, so that tandem builds simulators at run time without the source tree.
set(cosim_harness_entries
  "tandem_cosim_main.cpp=${CMAKE_CURRENT_LIST_DIR}/tandem_cosim_main.cpp"
  "core/program.h=${PROJECT_SOURCE_DIR}/core/program.h"
  "core/accelerator_config.h=${PROJECT_SOURCE_DIR}/core/accelerator_config.h"
  "core/isa.h=${PROJECT_SOURCE_DIR}/core/isa.h")
set(cosim_harness_files "")
foreach(entry IN LISTS cosim_harness_entries)
  string(REGEX REPLACE "^[^=]*=" "" file "${entry}")
  list(APPEND cosim_harness_files ${file})
endforeach()
set(cosim_embedded ${CMAKE_CURRENT_BINARY_DIR}/cosim_harness_embedded.cpp)
string(REPLACE ";" "|" cosim_harness_arg "${cosim_harness_entries}")
add_custom_command(
  OUTPUT ${cosim_embedded}
  COMMAND ${CMAKE_COMMAND} -DOUTPUT=${cosim_embedded} "-DSOURCES=${cosim_harness_arg}"
          -P ${CMAKE_CURRENT_LIST_DIR}/embed_harness.cmake
  DEPENDS ${cosim_harness_files} ${CMAKE_CURRENT_LIST_DIR}/embed_harness.cmake
  COMMENT "Embedding the co-simulation harness"
  VERBATIM)

target_sources(tandem_sim PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../rtl_cosim.cpp ${cosim_embedded})
target_link_libraries(tandem_sim PUBLIC tandem_generator)
# The simulator links the static core library (Program file reading) and its dependencies.
set(cosim_link_libs "$<TARGET_FILE:tandem_core> $<TARGET_FILE:yaml-cpp> $<TARGET_FILE:OpenSSL::Crypto>")
set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/../rtl_cosim.cpp APPEND PROPERTY COMPILE_DEFINITIONS
  "TANDEM_COSIM_LINK_LIBS=\"${cosim_link_libs}\"")
if(TANDEM_SANITIZE)
  set_property(SOURCE ${CMAKE_CURRENT_LIST_DIR}/../rtl_cosim.cpp APPEND PROPERTY COMPILE_DEFINITIONS
    TANDEM_COSIM_SANITIZE)
endif()
