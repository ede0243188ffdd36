# t_cosim: RTL co-simulation of hand-assembled Programs (docs/cosim.md). Simulators are built
# into a cache below the build tree, once per configuration.
tandem_add_test(t_cosim LABEL rtl SOURCES ${CMAKE_CURRENT_LIST_DIR}/t_cosim.cpp LIBS tandem_sim tandem_generator)
target_compile_definitions(t_cosim PRIVATE TANDEM_COSIM_TEST_CACHE="${CMAKE_BINARY_DIR}/cosim-test-cache")
