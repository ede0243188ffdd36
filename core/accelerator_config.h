// The accelerator configuration: one plain struct, and the one declaration of its parameter
// space (names, types, units, allowed values, defaults, descriptions, cross-field constraints).
// Parsing, validation, hashing, the generator, the analytic model and the search all read the
// declaration in accelerator_space.cpp; adding a parameter means adding one entry there.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tandem {

enum class Dataflow { weight_stationary, output_stationary };
// Where convolution results are requantized to int8: in a pipeline at the array's output, one
// row of `cols` accumulators per cycle (a TPU-style activation pipeline, `cols` requant lanes),
// or by the vector unit's REQUANT (no extra lanes; slower, and serialized with the array).
enum class OutputRequantizer { pipelined, vector_unit };

struct AcceleratorConfig {
  struct Array {
    int rows = 16;
    int cols = 16;
    Dataflow dataflow = Dataflow::weight_stationary;
    OutputRequantizer requantizer = OutputRequantizer::pipelined;
  } array;
  struct Precision {
    int input_bits = 8;
    int weight_bits = 8;
    int accumulator_bits = 32;
  } precision;
  struct Buffers {
    int input_kib = 64;
    int weight_kib = 64;
    int output_kib = 64;
    int banks = 4;
  } buffers;
  struct Vector {
    int lanes = 16;
    // Largest kernel (kh and kw) of the vector unit's sliding-window depthwise datapath:
    // depthwise_kernel slots of `rows` accumulators; 0 builds none (DWCONV runs sequentially).
    int depthwise_kernel = 5;  // 3x3 and 5x5 (MobileNet, EfficientNet)
  } vector;
  struct Dram {
    int bytes_per_cycle = 16;
    int latency_cycles = 100;
  } dram;
  // A mesh of x * y cores (docs/mesh.md), each the accelerator above with its own DRAM channel
  // of dram.bytes_per_cycle; the compiler splits every layer across them. 1x1 is one core.
  struct Mesh {
    int x = 1;
    int y = 1;
  } mesh;
  int clock_mhz = 100;  // what the generated RTL meets on sky130 HD typical cells (cost/timing.cpp)
  // Pipeline stages of the requantizers (tandem_requant.v): 5 meet 100 MHz on sky130 HD cells;
  // an FPGA's slower logic takes more. Each stage costs a cycle per requantized row or word.
  int requant_latency = 5;
};

// One declared parameter. Every value is carried as an integer: choices by their index.
struct ParamSpec {
  enum class Kind { integer, choice };

  std::string name;  // dotted YAML path below `accelerator:`, e.g. "array.rows"
  Kind kind = Kind::integer;
  std::string unit;  // "" for dimensionless
  std::int64_t min = 0;  // integer range, inclusive
  std::int64_t max = 0;
  bool power_of_two = false;
  std::vector<std::string> choices;  // names of a choice parameter, in index order
  std::int64_t default_value = 0;
  std::string description;
  // The values a search samples by default: a subset of the allowed values. One value means
  // the parameter is a property of the system, not a design decision.
  std::vector<std::int64_t> search_values;

  std::function<std::int64_t(const AcceleratorConfig&)> get;
  std::function<void(AcceleratorConfig&, std::int64_t)> set;

  bool allows(std::int64_t value) const;
  std::string allowed_text() const;  // "integer 2..64", "power of two 1..512", "a | b"
  std::string format(std::int64_t value) const;  // "16", "weight_stationary"
};

// A rule over several parameters. `check` returns why a configuration breaks it, or nothing.
struct ConstraintSpec {
  std::string name;
  std::string description;
  std::vector<std::string> fields;  // the parameters involved; the first is blamed in errors
  std::function<std::optional<std::string>(const AcceleratorConfig&)> check;
};

const std::vector<ParamSpec>& accelerator_space();
const std::vector<ConstraintSpec>& accelerator_constraints();
const ParamSpec* find_param(std::string_view name);  // nullptr if not declared

const char* dataflow_name(Dataflow dataflow);
const char* requantizer_name(OutputRequantizer requantizer);

// A violation found by validate(): the field to blame and what is wrong.
struct ConfigViolation {
  std::string field;
  std::string message;
};
// Checks every parameter against its declaration and every cross-field constraint.
// Used for configurations built in code (search, presets); YAML input is checked on parsing.
std::vector<ConfigViolation> validate(const AcceleratorConfig& config);

// Canonical text: every declared parameter in declaration order, "name=value" per line.
// Key order and spelled-out defaults in the YAML do not change it.
std::string canonical_text(const AcceleratorConfig& config);
// First 16 hex digits of the SHA-256 of canonical_text(): names caches and generated RTL.
std::string config_hash(const AcceleratorConfig& config);

// Cores of the mesh: mesh.x * mesh.y.
int mesh_cores(const AcceleratorConfig& config);
// "mesh of 2x2 cores of " for a mesh, "" for one core: the prefix of a design's description.
std::string mesh_prefix(const AcceleratorConfig& config);
// One core of the mesh: `config` with a 1x1 mesh (what each core's programs are compiled for).
AcceleratorConfig core_config(const AcceleratorConfig& config);

bool operator==(const AcceleratorConfig& a, const AcceleratorConfig& b);
inline bool operator!=(const AcceleratorConfig& a, const AcceleratorConfig& b) { return !(a == b); }

}  // namespace tandem
