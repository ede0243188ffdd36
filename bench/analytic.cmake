# bench_analytic: analytic model speed on MobileNetV2/ResNet-50, area model vs Yosys.
add_executable(bench_analytic ${CMAKE_CURRENT_LIST_DIR}/bench_analytic.cpp)
target_link_libraries(bench_analytic PRIVATE tandem_sim tandem_generator)
