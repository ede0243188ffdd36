# RTL co-simulation (docs/cosim.md): the driver that builds and runs the Verilator/SystemC
# simulator of a configuration. The harness sources in this folder are embedded into the
# library, so that tandem builds simulators at run time without the source tree.
set(cosim_harness_entries
  "tandem_cosim_main.cpp=${CMAKE_CURRENT_LIST_DIR}/tandem_cosim_main.cpp"
  "core/program.h=${PROJECT_SOURCE_DIR}/core/program.h"
  "core/accelerator_config.h=${PROJECT_SOURCE_DIR}/core/accelerator_config.h"
  "core/isa.h=${PROJECT_SOURCE_DIR}/core/isa.h")
set(cosim_embedded ${CMAKE_CURRENT_BINARY_DIR}/cosim_harness_embedded.cpp)
tandem_embed_files(OUTPUT ${cosim_embedded} HEADER sim/cosim/harness_sources.h TYPE HarnessSource
                   FUNCTION cosim_harness_sources COMMENT "Embedding the co-simulation harness"
                   ENTRIES ${cosim_harness_entries})

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
