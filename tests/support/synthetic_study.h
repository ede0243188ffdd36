// A synthetic study for the study and report tests: plausible trials (ok, rejected, failed)
// with accelerator configurations from the declared space, latencies spanning decades and
// per-layer metrics made by core/metrics.h's own to_json(NetworkMetrics).
#pragma once

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "core/accelerator_sampling.h"
#include "core/metrics.h"
#include "search/trial.h"

namespace tandem::test {

inline nlohmann::json synthetic_metrics(std::mt19937_64& rng, const AcceleratorConfig& config,
                                        const std::string& hash, int layers) {
  NetworkMetrics metrics;
  metrics.network = "proxy";
  metrics.accelerator_hash = hash;
  metrics.clock_mhz = config.clock_mhz;
  const char* kinds[] = {"conv2d", "depthwise_conv2d", "conv2d", "fully_connected"};
  for (int i = 0; i < layers; ++i) {
    LayerMetrics layer;
    layer.name = (i + 1 == layers ? std::string("classifier") : "block" + std::to_string(i) + "_conv");
    layer.kind = kinds[i % 4];
    layer.evaluator = "analytic";
    layer.macs = 10000 + static_cast<std::int64_t>(rng() % 500000);
    layer.cycles = 1000 + rng() % 90000;
    layer.counters = {{"cycles", layer.cycles},
                      {"array_busy_cycles", layer.cycles / 2},
                      {"vector_busy_cycles", layer.cycles / 5},
                      {"dma_busy_cycles", layer.cycles / 3},
                      {"stall_on_dma_cycles", layer.cycles / 10},
                      {"idle_cycles", layer.cycles / 20}};
    layer.energy_pj = {{"array", 1e5 + static_cast<double>(rng() % 100000)},
                       {"buffers", 5e4 + static_cast<double>(rng() % 50000)},
                       {"dram", 2e5 + static_cast<double>(rng() % 200000)},
                       {"vector", 1e4 + static_cast<double>(rng() % 10000)}};
    double total = 0;
    for (const auto& [component, pj] : layer.energy_pj) total += pj;
    layer.energy_pj["total"] = total;
    layer.seconds = 1e-5;
    metrics.layers.push_back(layer);
  }
  metrics.area_mm2 = {{"array", 0.8}, {"total", 1.5}};
  return to_json(metrics);
}

// `count` trials numbered 0..count-1, two per batch; every seventh rejected, every eleventh
// failed. Deterministic in `seed`.
inline std::vector<TrialRecord> synthetic_trials(int count, std::uint64_t seed = 7) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<TrialRecord> trials;
  for (int n = 0; n < count; ++n) {
    TrialRecord t;
    t.number = n;
    t.batch = n / 2;
    t.point = {n % 3, n % 5, 1, n % 2};
    t.genotype = {n % 4, 2, n % 3};
    t.network = "proxy_s" + std::to_string(n % 4) + "_k" + std::to_string(3 + 2 * (n % 2));
    t.network_hash = "net" + std::to_string(1000 + n % 4);
    t.accelerator = sample_accelerator(rng, SampleRange::search_values);
    t.accelerator_hash = config_hash(t.accelerator);
    t.fidelity = "analytic";
    t.finished_at = "2026-11-28T01:00:" + std::string(n % 60 < 10 ? "0" : "") + std::to_string(n % 60) + "Z";
    t.seconds_hardware = 0.01 * n;
    t.seconds_total = 0.5 + 0.01 * n;
    if (n % 11 == 10) {
      t.status = TrialStatus::failed;
      t.reason = "layer block2_conv: does not fit the weight buffer";
      t.objectives = {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
      trials.push_back(t);
      continue;
    }
    // Latency spans three decades; accuracy grows with it, with noise, so there is a front.
    const double size = unit(rng);
    t.latency_us = 10.0 * std::pow(10.0, 3.0 * size);
    t.energy_uj = 2.0 + 400.0 * size * (0.5 + unit(rng));
    t.area_mm2 = 0.5 + 3.0 * unit(rng);
    t.accuracy = 0.70 + 0.2 * size - 0.08 * unit(rng);
    t.cycles = static_cast<std::uint64_t>(*t.latency_us * t.accelerator.clock_mhz);
    t.macs = 2000000 + n * 1000;
    t.reward = *t.accuracy - 0.05 * std::log10(*t.latency_us);
    t.objectives = {-*t.accuracy, *t.latency_us};
    t.metrics = synthetic_metrics(rng, t.accelerator, t.accelerator_hash, 6 + n % 5);
    t.accuracy_detail = {{"epochs", 2}, {"dataset", "fashion-mnist"}, {"top1", *t.accuracy}};
    t.seconds_accuracy = 0.4;
    if (n % 7 == 6) {
      t.status = TrialStatus::rejected;
      t.reason = "area_mm2 " + std::to_string(*t.area_mm2) + " above the limit 3";
    } else {
      t.status = TrialStatus::ok;
    }
    trials.push_back(t);
  }
  return trials;
}

}  // namespace tandem::test
