# The analytic model, energy and area (docs/analytic-model.md, docs/energy-area.md).
tandem_add_test(t_analytic LABEL fast SOURCES ${CMAKE_CURRENT_LIST_DIR}/t_analytic_fast.cpp LIBS tandem_sim)
# Analytic model against the RTL co-simulation: simulators cached per configuration below the
# build tree (as t_cosim).
tandem_add_test(t_analytic_rtl LABEL rtl SOURCES ${CMAKE_CURRENT_LIST_DIR}/t_analytic_rtl.cpp LIBS tandem_sim tandem_generator)
target_compile_definitions(t_analytic_rtl PRIVATE TANDEM_COSIM_TEST_CACHE="${CMAKE_BINARY_DIR}/cosim-test-cache")
tandem_add_test(t_energy LABEL fast SOURCES ${CMAKE_CURRENT_LIST_DIR}/t_energy.cpp LIBS tandem_sim)
