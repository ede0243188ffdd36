# bench_rtl: generation time, Yosys cell counts over array sizes, RTL co-simulation speed.
add_executable(bench_rtl ${CMAKE_CURRENT_LIST_DIR}/bench_rtl.cpp)
target_link_libraries(bench_rtl PRIVATE tandem_sim tandem_generator CLI11::CLI11)
set_target_properties(bench_rtl PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
