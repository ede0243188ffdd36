// Tables and JSON of a workload (`tandem model show` of a SCALE-Sim topology): one network as
// network_table/network_json show it; several independent networks one row per layer, each with
// the input it reads.
#include "core/table.h"
#include "models/network_io.h"

namespace tandem {

std::int64_t total_macs(const Workload& workload) {
  std::int64_t sum = 0;
  for (const Network& network : workload.networks) sum += total_macs(network);
  return sum;
}

std::string workload_table(const Workload& workload) {
  if (workload.networks.size() == 1) return network_table(workload.networks.front());
  Table table;
  table.headers = {"#", "layer", "kind", "input", "k/s", "output", "MACs", "params", "out bytes"};
  table.right_aligned = {true, false, false, false, false, false, true, true, true};
  std::int64_t params_sum = 0, bytes_sum = 0;
  int index = 0;
  for (const Network& network : workload.networks) {
    for (const Layer& layer : network.layers) {
      const auto pair = [](int h, int w) { return h == w ? std::to_string(h) : std::to_string(h) + "x" + std::to_string(w); };
      table.rows.push_back({std::to_string(index++), layer.name, layer_kind_name(layer.kind),
                            layer.input_shapes.front().to_string(),
                            pair(layer.kernel_h, layer.kernel_w) + "/" + pair(layer.stride_h, layer.stride_w),
                            layer.output.to_string(), std::to_string(macs(layer)), std::to_string(params(layer)),
                            std::to_string(output_bytes(layer))});
    }
    params_sum += total_params(network);
    bytes_sum += total_activation_bytes(network);
  }
  table.rows.push_back({"", "total", "", "", "", "", std::to_string(total_macs(workload)), std::to_string(params_sum),
                        std::to_string(bytes_sum)});
  return "workload " + workload.name + ": " + std::to_string(workload.networks.size()) +
         " independent layers, each with its own input (SCALE-Sim semantics)\n" + table.text() + "MACs " +
         human_count(total_macs(workload)) + ", params " + human_count(params_sum) + "\n";
}

nlohmann::ordered_json workload_json(const Workload& workload) {
  if (workload.networks.size() == 1) return network_json(workload.networks.front());
  nlohmann::ordered_json json;
  json["name"] = workload.name;
  json["independent_networks"] = nlohmann::ordered_json::array();
  std::int64_t params_sum = 0, bytes_sum = 0;
  for (const Network& network : workload.networks) {
    json["independent_networks"].push_back(network_json(network));
    params_sum += total_params(network);
    bytes_sum += total_activation_bytes(network);
  }
  json["totals"] = {{"networks", workload.networks.size()},
                    {"macs", total_macs(workload)},
                    {"params", params_sum},
                    {"activation_bytes", bytes_sum}};
  return json;
}

}  // namespace tandem
