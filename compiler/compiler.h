// The compiler: one layer of the network IR on one accelerator configuration -> a Program
// (instruction stream of docs/isa.md plus the DRAM image holding the layer's inputs, weights
// and requantization parameters). docs/compiler.md describes the mappings.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/accelerator_config.h"
#include "core/program.h"
#include "models/network.h"
#include "golden/golden.h"

namespace tandem {

// A layer that this accelerator cannot run, with the reason (e.g. a buffer smaller than the
// smallest tile). Never a wrong result instead.
class MappingError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Compiles `layer` with its input tensors (one, two for add) into a Program whose single output
// region receives the layer's int8 output, for one core (a mesh: compile_layer_on_mesh). Throws
// MappingError or std::invalid_argument (no quantization parameters, a mesh of several cores).
Program compile_layer(const Layer& layer, const std::vector<const Tensor8*>& inputs,
                      const AcceleratorConfig& config);

// How a layer's output is divided among a mesh's cores: row_bands x channel_groups parts, core
// i computing band i / channel_groups and group i % channel_groups.
struct MeshSplit {
  int row_bands = 1;
  int channel_groups = 1;
};
// The splits considered for a layer: all cores on rows, all on channels, and mesh.y bands by
// mesh.x groups, each no finer than the layer has rows or channels (no duplicates).
std::vector<MeshSplit> candidate_mesh_splits(const Layer& layer, const AcceleratorConfig& config);
// The candidate whose slowest core has the fewest estimated cycles (docs/compiler.md, "Meshes").
// {1, 1} for one core.
MeshSplit choose_mesh_split(const Layer& layer, const AcceleratorConfig& config);

// Compiles `layer` for every core of `config`'s mesh (docs/compiler.md, "Meshes"): the output
// divided by `split` (absent: choose_mesh_split's), each core's part compiled for
// core_config(config) and placed in its own part of the DRAM. Cores left without a part run an
// empty program. A 1x1 mesh gives exactly compile_layer's Program.
MeshProgram compile_layer_on_mesh(const Layer& layer, const std::vector<const Tensor8*>& inputs,
                                  const AcceleratorConfig& config,
                                  const std::optional<MeshSplit>& split = std::nullopt);

// The layer's output tensor from the cores' output regions (one per core, in core order), for
// a program compiled with `split` (absent: choose_mesh_split's).
Tensor8 decode_mesh_output(const Layer& layer, const MeshProgram& program,
                           const std::vector<std::vector<std::uint8_t>>& regions,
                           const std::optional<MeshSplit>& split = std::nullopt);

// Why `layer` does not map onto `config` (on a mesh: any core's part), or nothing when it does. Runs only the lowering's
// planning (no Program is built), so it is cheap even where the Program would be huge.
std::optional<std::string> mapping_problem(const Layer& layer, const AcceleratorConfig& config);

// Whether the layer runs on the systolic array (convolutions, fully connected layers, and
// depthwise convolutions where the array beats the vector unit) rather than the vector unit.
bool runs_on_array(const Layer& layer, const AcceleratorConfig& config);

// The layer's output tensor from the bytes of the Program's output region.
Tensor8 decode_layer_output(const Layer& layer, const AcceleratorConfig& config,
                            const std::vector<std::uint8_t>& region);

}  // namespace tandem
