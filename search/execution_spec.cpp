#include "search/execution_spec.h"

#include <regex>

namespace tandem {

const char* execution_kind_name(ExecutionSpec::Kind kind) {
  return kind == ExecutionSpec::Kind::slurm ? "slurm" : "local";
}

namespace {

int bounded_int(const YamlMap& map, const std::string& key, int min, int max) {
  const std::int64_t value = map.integer(key);
  if (value < min || value > max) {
    throw map.error(key, std::to_string(value) + " is out of range (valid: integer " + std::to_string(min) + ".." +
                             std::to_string(max) + ")");
  }
  return static_cast<int>(value);
}

// sbatch's --time forms: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S; or UNLIMITED/INFINITE.
bool is_slurm_time(const std::string& text) {
  static const std::regex form(R"((\d+)|(\d+:\d+)|(\d+:\d+:\d+)|(\d+-\d+)|(\d+-\d+:\d+)|(\d+-\d+:\d+:\d+)|UNLIMITED|INFINITE)");
  return std::regex_match(text, form);
}

bool is_slurm_memory(const std::string& text) {
  static const std::regex form(R"(\d+[KMGT]?)");
  return std::regex_match(text, form);
}

}  // namespace

ExecutionSpec parse_execution_spec(const YamlMap& map) {
  ExecutionSpec spec;
  const std::string kind = map.has("kind") ? map.string("kind") : "local";
  if (kind != "local" && kind != "slurm") {
    const std::string near = nearest_name(kind, {"local", "slurm"});
    throw map.error("kind", "unknown kind '" + kind + "'" + (near.empty() ? "" : "; did you mean '" + near + "'?") +
                                " (valid: local | slurm)");
  }
  const std::vector<std::string> slurm_keys = {"kind",    "partition", "time_limit",   "cpus_per_task", "mem",
                                               "max_jobs", "retries",  "poll_seconds", "extra_args"};
  if (kind == "local") {
    for (const std::string& key : slurm_keys) {
      if (key != "kind" && map.has(key)) throw map.error(key, "is an option of kind slurm; this block has kind local");
    }
    map.require_only({"kind"});
    return spec;
  }
  spec.kind = ExecutionSpec::Kind::slurm;
  map.require_only(slurm_keys);
  if (map.has("partition")) spec.partition = map.string("partition");
  if (map.has("time_limit")) {
    spec.time_limit = map.string("time_limit");
    if (!is_slurm_time(spec.time_limit)) {
      throw map.error("time_limit", "'" + spec.time_limit +
                                        "' is not a Slurm time (valid: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM:SS)");
    }
  }
  if (map.has("cpus_per_task")) spec.cpus_per_task = bounded_int(map, "cpus_per_task", 1, 1024);
  if (map.has("mem")) {
    spec.mem = map.string("mem");
    if (!is_slurm_memory(spec.mem)) {
      throw map.error("mem", "'" + spec.mem + "' is not a Slurm memory size (valid: a number with K, M, G or T)");
    }
  }
  if (map.has("max_jobs")) spec.max_jobs = bounded_int(map, "max_jobs", 1, 100000);
  if (map.has("retries")) spec.retries = bounded_int(map, "retries", 0, 100);
  if (map.has("poll_seconds")) {
    spec.poll_seconds = map.number("poll_seconds");
    if (!(spec.poll_seconds >= 0.1 && spec.poll_seconds <= 3600)) {
      throw map.error("poll_seconds", "must be between 0.1 and 3600 seconds");
    }
  }
  if (map.has("extra_args")) {
    const YAML::Node list = map.get("extra_args");
    if (!list.IsSequence()) throw map.error("extra_args", "expected a list of sbatch arguments, got " + describe_node(list));
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!list[i].IsScalar()) {
        throw InputError(location_of(list[i], map.file()), map.field("extra_args") + "[" + std::to_string(i) + "]",
                         "expected one sbatch argument (a string), got " + describe_node(list[i]));
      }
      const std::string& argument = list[i].Scalar();
      // Options tandem sets itself: changed, the jobs could not be found (name), their work
      // selected (array), their logs read (output) or sbatch would block (wait).
      for (const char* owned : {"--job-name", "-J", "--array", "-a", "--output", "-o", "--error", "-e", "--chdir",
                                "-D", "--wait", "-W", "--parsable"}) {
        const std::string option = owned;
        const bool long_form = option.size() > 2;
        if (argument == option || (long_form && argument.rfind(option + "=", 0) == 0) ||
            (!long_form && argument.rfind(option, 0) == 0)) {
          throw InputError(location_of(list[i], map.file()), map.field("extra_args") + "[" + std::to_string(i) + "]",
                           "'" + argument + "': tandem sets " + option +
                               " itself (job names, arrays, logs and the working directory are how it finds its jobs)");
        }
      }
      spec.extra_args.push_back(argument);
    }
  }
  return spec;
}

}  // namespace tandem
