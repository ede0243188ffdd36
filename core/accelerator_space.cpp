// The declaration of the accelerator parameter space: the single source of truth for names,
// ranges, units, defaults (taken from AcceleratorConfig's initializers), descriptions and
// cross-field constraints.
#include <algorithm>

#include "core/accelerator_config.h"

namespace tandem {

namespace {

// Binds a parameter to a field of a group (e.g. &AcceleratorConfig::array, &Array::rows).
template <typename Group, typename Field>
void bind(ParamSpec& param, Group AcceleratorConfig::*group, Field Group::*field) {
  param.get = [=](const AcceleratorConfig& config) {
    return static_cast<std::int64_t>((config.*group).*field);
  };
  param.set = [=](AcceleratorConfig& config, std::int64_t value) {
    (config.*group).*field = static_cast<Field>(value);
  };
}

template <typename Field>
void bind(ParamSpec& param, Field AcceleratorConfig::*field) {
  param.get = [=](const AcceleratorConfig& config) {
    return static_cast<std::int64_t>(config.*field);
  };
  param.set = [=](AcceleratorConfig& config, std::int64_t value) {
    config.*field = static_cast<Field>(value);
  };
}

struct SpaceBuilder {
  std::vector<ParamSpec> params;

  template <typename... Binding>
  ParamSpec& add(ParamSpec param, Binding... binding) {
    bind(param, binding...);
    param.default_value = param.get(AcceleratorConfig{});
    if (param.search_values.empty()) param.search_values = {param.default_value};
    params.push_back(std::move(param));
    return params.back();
  }
};

ParamSpec integer(std::string name, std::string unit, std::int64_t min, std::int64_t max,
                  std::string description, std::vector<std::int64_t> search_values = {}) {
  ParamSpec param;
  param.name = std::move(name);
  param.unit = std::move(unit);
  param.min = min;
  param.max = max;
  param.description = std::move(description);
  param.search_values = std::move(search_values);
  return param;
}

ParamSpec power_of_two(std::string name, std::string unit, std::int64_t min, std::int64_t max,
                       std::string description, std::vector<std::int64_t> search_values = {}) {
  ParamSpec param = integer(std::move(name), std::move(unit), min, max, std::move(description),
                            std::move(search_values));
  param.power_of_two = true;
  return param;
}

ParamSpec choice(std::string name, std::vector<std::string> choices, std::string description,
                 std::vector<std::int64_t> search_values = {}) {
  ParamSpec param;
  param.name = std::move(name);
  param.kind = ParamSpec::Kind::choice;
  param.min = 0;
  param.max = static_cast<std::int64_t>(choices.size()) - 1;
  param.choices = std::move(choices);
  param.description = std::move(description);
  param.search_values = std::move(search_values);
  return param;
}

std::vector<ParamSpec> declare_space() {
  using C = AcceleratorConfig;
  SpaceBuilder space;
  space.add(integer("array.rows", "PEs", 2, 64, "systolic array height (not limited to powers of two)",
                    {4, 6, 8, 12, 16, 24, 32, 48, 64}),
            &C::array, &C::Array::rows);
  space.add(integer("array.cols", "PEs", 2, 64, "systolic array width (not limited to powers of two)",
                    {4, 6, 8, 12, 16, 24, 32, 48, 64}),
            &C::array, &C::Array::cols);
  space.add(choice("array.dataflow", {"weight_stationary", "output_stationary"},
                   "which operand stays in the PEs while the other streams through", {0, 1}),
            &C::array, &C::Array::dataflow);
  space.add(choice("array.requantizer", {"pipelined", "vector_unit"},
                   "where convolution results become int8: a pipeline of `cols` requant lanes at "
                   "the array's output (one result row per cycle), or the vector unit's REQUANT "
                   "(smaller, slower; for FPGAs short of multipliers)"),
            &C::array, &C::Array::requantizer);
  space.add(integer("precision.input_bits", "bits", 8, 8,
                    "activation width; fixed by the int8 TFLite quantization semantics"),
            &C::precision, &C::Precision::input_bits);
  space.add(integer("precision.weight_bits", "bits", 8, 8,
                    "weight width; fixed by the int8 TFLite quantization semantics"),
            &C::precision, &C::Precision::weight_bits);
  space.add(integer("precision.accumulator_bits", "bits", 32, 32,
                    "accumulator width; int32 as in TFLite"),
            &C::precision, &C::Precision::accumulator_bits);
  space.add(power_of_two("buffers.input_kib", "KiB", 1, 1024, "input/activation scratchpad size",
                         {16, 32, 64, 128, 256, 512}),
            &C::buffers, &C::Buffers::input_kib);
  space.add(power_of_two("buffers.weight_kib", "KiB", 1, 1024, "weight scratchpad size",
                         {16, 32, 64, 128, 256, 512}),
            &C::buffers, &C::Buffers::weight_kib);
  space.add(power_of_two("buffers.output_kib", "KiB", 1, 1024,
                         "accumulator/output scratchpad size", {16, 32, 64, 128, 256, 512}),
            &C::buffers, &C::Buffers::output_kib);
  space.add(power_of_two("buffers.banks", "", 1, 32, "banks per scratchpad", {1, 2, 4, 8, 16}),
            &C::buffers, &C::Buffers::banks);
  space.add(power_of_two("vector.lanes", "lanes", 1, 64,
                         "SIMD lanes of the vector unit (requantization, activations, pooling, "
                         "depthwise convolution, residual add)",
                         {4, 8, 16, 32, 64}),
            &C::vector, &C::Vector::lanes);
  space.add(integer("vector.depthwise_kernel", "taps", 0, 15,
                    "largest depthwise kernel (kh and kw) the vector unit's sliding-window "
                    "datapath holds: that many slots of `array.rows` multiply-accumulators, each "
                    "input word read once per kernel row; 0 builds none (depthwise layers run "
                    "sequentially on the lanes or on the array)",
                    {0, 3, 5, 7}),
            &C::vector, &C::Vector::depthwise_kernel);
  space.add(power_of_two("dram.bytes_per_cycle", "bytes/cycle", 1, 128,
                         "external memory bandwidth seen by the DMA engine", {4, 8, 16, 32, 64}),
            &C::dram, &C::Dram::bytes_per_cycle);
  space.add(integer("dram.latency_cycles", "cycles", 0, 10000,
                    "external memory latency from request to first data"),
            &C::dram, &C::Dram::latency_cycles);
  space.add(integer("mesh.x", "cores", 1, 8,
                    "cores of the mesh in x: each core is the whole accelerator above (array, "
                    "buffers, vector unit, DMA) with its own DRAM channel; layers are split across "
                    "the cores (docs/mesh.md)"),
            &C::mesh, &C::Mesh::x);
  space.add(integer("mesh.y", "cores", 1, 8, "cores of the mesh in y (as mesh.x)"),
            &C::mesh, &C::Mesh::y);
  space.add(integer("clock_mhz", "MHz", 10, 2000,
                    "target clock frequency (latency in seconds, SDC constraints)"),
            &C::clock_mhz);
  space.add(integer("requant_latency", "cycles", 5, 8,
                    "pipeline stages of the requantizers (the array's output lanes and the vector "
                    "unit's lanes): 5 meet 100 MHz on sky130 HD cells; slower logic (an FPGA's "
                    "LUTs) needs up to 8, each a cycle more per requantized row or word"),
            &C::requant_latency);
  return space.params;
}

// Each scratchpad bank alternates halves (double buffering); a half must hold one full vector
// of the array's edge, or the array cannot be fed from one bank.
std::optional<std::string> check_bank_capacity(const AcceleratorConfig& config) {
  const int edge = std::max(config.array.rows, config.array.cols);
  struct Buffer {
    const char* name;
    int kib;
    int element_bytes;
  };
  const Buffer buffers[] = {
      {"input", config.buffers.input_kib, config.precision.input_bits / 8},
      {"weight", config.buffers.weight_kib, config.precision.weight_bits / 8},
      {"output", config.buffers.output_kib, config.precision.accumulator_bits / 8},
  };
  for (const auto& buffer : buffers) {
    const long bank_bytes = static_cast<long>(buffer.kib) * 1024 / config.buffers.banks;
    const long needed = 2L * edge * buffer.element_bytes;
    if (bank_bytes < needed) {
      return "buffers." + std::string(buffer.name) + "_kib=" + std::to_string(buffer.kib) +
             " split into " + std::to_string(config.buffers.banks) + " banks gives " +
             std::to_string(bank_bytes) + "-byte banks, but a " +
             std::to_string(config.array.rows) + "x" + std::to_string(config.array.cols) +
             " array needs at least " + std::to_string(needed) + " bytes per " + buffer.name +
             " bank (two vectors of " + std::to_string(edge) + " x " +
             std::to_string(buffer.element_bytes) +
             " bytes); use fewer banks or a larger buffer";
    }
  }
  return std::nullopt;
}

std::vector<ConstraintSpec> declare_constraints() {
  return {
      {"bank_capacity",
       "every scratchpad bank holds two vectors of the array edge (2 x max(rows, cols) elements) "
       "so that its halves can double-buffer",
       {"buffers.banks", "buffers.input_kib", "buffers.weight_kib", "buffers.output_kib",
        "array.rows", "array.cols"},
       check_bank_capacity},
  };
}

}  // namespace

const std::vector<ParamSpec>& accelerator_space() {
  static const std::vector<ParamSpec> space = declare_space();
  return space;
}

const std::vector<ConstraintSpec>& accelerator_constraints() {
  static const std::vector<ConstraintSpec> constraints = declare_constraints();
  return constraints;
}

const ParamSpec* find_param(std::string_view name) {
  for (const auto& param : accelerator_space()) {
    if (param.name == name) return &param;
  }
  return nullptr;
}

const char* dataflow_name(Dataflow dataflow) {
  return dataflow == Dataflow::weight_stationary ? "weight_stationary" : "output_stationary";
}

const char* requantizer_name(OutputRequantizer requantizer) {
  return requantizer == OutputRequantizer::pipelined ? "pipelined" : "vector_unit";
}

bool ParamSpec::allows(std::int64_t value) const {
  if (value < min || value > max) return false;
  return !power_of_two || (value > 0 && (value & (value - 1)) == 0);
}

std::string ParamSpec::allowed_text() const {
  if (kind == Kind::choice) {
    std::string text;
    for (const auto& name : choices) text += (text.empty() ? "" : " | ") + name;
    return text;
  }
  if (min == max) return "exactly " + std::to_string(min);
  return std::string(power_of_two ? "a power of two " : "an integer ") + std::to_string(min) +
         ".." + std::to_string(max);
}

std::string ParamSpec::format(std::int64_t value) const {
  if (kind == Kind::choice && value >= 0 && value < static_cast<std::int64_t>(choices.size())) {
    return choices[static_cast<std::size_t>(value)];
  }
  return std::to_string(value);
}

std::vector<ConfigViolation> validate(const AcceleratorConfig& config) {
  std::vector<ConfigViolation> violations;
  for (const auto& param : accelerator_space()) {
    const std::int64_t value = param.get(config);
    if (!param.allows(value)) {
      violations.push_back({param.name, param.format(value) + " is not allowed; valid: " +
                                            param.allowed_text()});
    }
  }
  if (!violations.empty()) return violations;  // constraints assume in-range values
  for (const auto& constraint : accelerator_constraints()) {
    if (auto broken = constraint.check(config)) {
      violations.push_back({constraint.fields.front(), *broken});
    }
  }
  return violations;
}

int mesh_cores(const AcceleratorConfig& config) { return config.mesh.x * config.mesh.y; }

std::string mesh_prefix(const AcceleratorConfig& config) {
  if (mesh_cores(config) == 1) return "";
  return "mesh of " + std::to_string(config.mesh.x) + "x" + std::to_string(config.mesh.y) + " cores of ";
}

AcceleratorConfig core_config(const AcceleratorConfig& config) {
  AcceleratorConfig core = config;
  core.mesh = {};
  return core;
}

bool operator==(const AcceleratorConfig& a, const AcceleratorConfig& b) {
  return std::all_of(accelerator_space().begin(), accelerator_space().end(),
                     [&](const ParamSpec& param) { return param.get(a) == param.get(b); });
}

}  // namespace tandem
