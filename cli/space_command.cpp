// `tandem space show|sample|decode`: the network search space, its decisions and its networks.
#include <iostream>

#include "cli/command_registry.h"
#include "core/input_error.h"
#include "core/table.h"
#include "models/network_io.h"
#include "models/network_space.h"

namespace tandem::cli {
namespace {

struct SpaceOptions {
  std::string space = "proxy";
  bool json = false;
};

struct SampleOptions : SpaceOptions {
  std::uint64_t seed = 1;
  int count = 1;
};

struct DecodeOptions : SpaceOptions {
  std::string genes;
};

const NetworkSpace& space_named(const std::string& name) { return *NetworkSpace::find(name); }

nlohmann::ordered_json genotype_json(const NetworkSpace& space, const Genotype& genotype) {
  const Network network = space.decode(genotype);
  nlohmann::ordered_json json;
  json["space"] = space.name();
  json["hash"] = space.hash(genotype);
  json["genotype"] = genotype;
  json["summary"] = space.describe(genotype);
  json["network"] = network_json(network);
  return json;
}

std::string genotype_text(const NetworkSpace& space, const Genotype& genotype) {
  return "# space " + space.name() + ", genotype " + space.hash(genotype) + ": " +
         format_genotype(genotype) + "\n# " + space.describe(genotype) + "\n" +
         network_table(space.decode(genotype));
}

void run_show(const SpaceOptions& options) {
  const NetworkSpace& space = space_named(options.space);
  const SpaceSkeleton& skeleton = space.skeleton();
  if (options.json) {
    nlohmann::ordered_json json;
    json["space"] = space.name();
    json["version"] = skeleton.version;
    json["description"] = skeleton.description;
    json["skeleton"] = {{"input_channels", skeleton.input_channels},
                        {"num_classes", skeleton.num_classes},
                        {"stem_channels", skeleton.stem_channels},
                        {"stem_stride", skeleton.stem_stride},
                        {"head_channels", skeleton.head_channels}};
    for (const auto& stage : skeleton.stages) {
      json["skeleton"]["stages"].push_back({{"base_width", stage.base_width}, {"stride", stage.stride}});
    }
    for (std::size_t i = 0; i < space.decisions().size(); ++i) {
      const Decision& decision = space.decisions()[i];
      json["decisions"].push_back({{"gene", i},
                                   {"name", decision.name},
                                   {"choices", decision.choices},
                                   {"description", decision.description}});
    }
    std::cout << json.dump(2) << "\n";
    return;
  }
  std::cout << "network space " << space.name() << " v" << skeleton.version << ": "
            << skeleton.description << "\nskeleton: stem 3x3/" << skeleton.stem_stride << " "
            << skeleton.stem_channels << "ch";
  for (std::size_t s = 0; s < skeleton.stages.size(); ++s) {
    std::cout << ", s" << s + 1 << " " << skeleton.stages[s].base_width << "ch/"
              << skeleton.stages[s].stride;
  }
  std::cout << ", head 1x1 " << skeleton.head_channels << "ch, global pool, fully connected "
            << skeleton.num_classes << "\n\n";
  Table genes;  // gene, decision, choices; no header line
  genes.right_aligned = {true};
  genes.min_widths = {2};  // " 0": gene numbers line up the same in every space
  for (std::size_t i = 0; i < space.decisions().size(); ++i) {
    const Decision& decision = space.decisions()[i];
    std::string choices;
    for (const auto& choice : decision.choices) choices += (choices.empty() ? "" : " | ") + choice;
    genes.rows.push_back({std::to_string(i), decision.name, choices});
  }
  std::cout << genes.text();
}

void run_sample(const SampleOptions& options) {
  const NetworkSpace& space = space_named(options.space);
  std::mt19937_64 rng(options.seed);
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (int i = 0; i < options.count; ++i) {
    const Genotype genotype = space.sample(rng);
    if (options.json) {
      all.push_back(genotype_json(space, genotype));
    } else {
      std::cout << (i > 0 ? "\n" : "") << genotype_text(space, genotype);
    }
  }
  if (options.json) std::cout << (options.count == 1 ? all[0] : all).dump(2) << "\n";
}

void run_decode(const DecodeOptions& options) {
  const NetworkSpace& space = space_named(options.space);
  Genotype genotype;
  try {
    genotype = parse_genotype(options.genes);
  } catch (const std::invalid_argument& e) {
    throw InputError({}, "GENES", e.what());
  }
  if (auto problem = space.check(genotype)) throw InputError({}, "GENES", *problem);
  std::cout << (options.json ? genotype_json(space, genotype).dump(2) + "\n"
                             : genotype_text(space, genotype));
}

void add_space_options(CLI::App* command, SpaceOptions& options) {
  command->add_option("--space", options.space, "which space (default proxy)")
      ->check(CLI::IsMember(NetworkSpace::names()));
  command->add_flag("--json", options.json, "print JSON instead of text");
}

void setup(CLI::App& app) {
  CLI::App* space = app.add_subcommand(
      "space", "The network search space: declared decisions, random and given genotypes");
  space->require_subcommand(1);

  auto show_options = std::make_shared<SpaceOptions>();
  CLI::App* show = space->add_subcommand("show", "Print the skeleton and the declared decisions "
                                                 "(one gene each, in genotype order)");
  add_space_options(show, *show_options);
  show->callback([show_options] { run_show(*show_options); });

  auto sample_options = std::make_shared<SampleOptions>();
  CLI::App* sample = space->add_subcommand(
      "sample", "Print random genotypes and their networks (deterministic for a seed)");
  add_space_options(sample, *sample_options);
  sample->add_option("--seed", sample_options->seed, "random seed (default 1)");
  sample->add_option("--count", sample_options->count, "how many genotypes (default 1)")
      ->check(CLI::Range(1, 100000));
  sample->callback([sample_options] { run_sample(*sample_options); });

  auto decode_options = std::make_shared<DecodeOptions>();
  CLI::App* decode = space->add_subcommand("decode", "Print the network of a given genotype");
  add_space_options(decode, *decode_options);
  decode->add_option("GENES", decode_options->genes, "comma-separated gene indices, e.g. 2,2,0,0,...")
      ->required();
  decode->callback([decode_options] { run_decode(*decode_options); });
}

RegisterCommand registration("space", setup);

}  // namespace
}  // namespace tandem::cli
