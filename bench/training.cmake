# bench_training: seconds per epoch and accuracy of the proxy zoo networks; Kendall tau between
# short- and full-budget accuracy of sampled proxy-space genotypes. Trains through the accuracy
# evaluator (tandem-train subprocesses), so it needs the tandem-train target (libtorch).
if(TARGET tandem-train)
  add_executable(bench_training ${CMAKE_CURRENT_LIST_DIR}/bench_training.cpp)
  target_link_libraries(bench_training PRIVATE tandem_accuracy CLI11::CLI11)
  add_dependencies(bench_training tandem-train)
  target_compile_definitions(bench_training PRIVATE TANDEM_TRAIN_BINARY="$<TARGET_FILE:tandem-train>")
endif()
