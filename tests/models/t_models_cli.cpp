// `tandem model` and `tandem space` as a user runs them.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "run_process.h"

using tandem::test::run_process;
using tandem::test::tandem_binary;

TEST_CASE("t_models: model list names every zoo model", "[models][cli]") {
  auto result = run_process(tandem_binary() + " model list");
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.out, Catch::Contains("zoo:mobilenet_v2"));
  CHECK_THAT(result.out, Catch::Contains("zoo:proxy_resnet"));
  auto json = run_process(tandem_binary() + " model list --json");
  REQUIRE(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.out).size() >= 11);
}

TEST_CASE("t_models: model show prints layers and totals for zoo, YAML and CSV", "[models][cli]") {
  auto zoo = run_process(tandem_binary() + " model show zoo:mobilenet_v2");
  CHECK(zoo.exit_code == 0);
  CHECK_THAT(zoo.out, Catch::Contains("s2.b1.expand"));
  CHECK_THAT(zoo.out, Catch::Contains("300774272"));
  CHECK_THAT(zoo.out, Catch::Contains("MACs 301M, params 3.49M"));

  auto json = run_process(tandem_binary() + " model show --json tests/data/models/good/tiny_residual.yaml");
  REQUIRE(json.exit_code == 0);
  auto parsed = nlohmann::json::parse(json.out);
  CHECK(parsed["name"] == "tiny_residual");
  CHECK(parsed["layers"][4]["inputs"] == nlohmann::json::array({0, 3}));
  CHECK(parsed["totals"]["layers"] == 7);

  auto csv = run_process(tandem_binary() + " model show tests/data/models/csv/small_convnet.csv");
  CHECK(csv.exit_code == 0);
  CHECK_THAT(csv.out, Catch::Contains("Conv3"));
}

TEST_CASE("t_models: model show of a bad file is one error line and exit 1", "[models][cli]") {
  auto result = run_process(tandem_binary() + " model show tests/data/models/bad/misspelled_kind.yaml");
  CHECK(result.exit_code == 1);
  CHECK(result.out.empty());
  CHECK(result.err ==
        "tests/data/models/bad/misspelled_kind.yaml:5:24: error: network.layers[0].kind: unknown "
        "value 'depthwise_conv'; did you mean 'depthwise_conv2d'? (valid: conv2d | "
        "depthwise_conv2d | fully_connected | add | max_pool | avg_pool | global_avg_pool | "
        "activation)\n");
}

TEST_CASE("t_models: space sample is deterministic and decodes back", "[models][cli]") {
  auto first = run_process(tandem_binary() + " space sample --seed 9");
  auto again = run_process(tandem_binary() + " space sample --seed 9");
  CHECK(first.exit_code == 0);
  CHECK(first.out == again.out);
  CHECK_THAT(first.out, Catch::StartsWith("# space proxy, genotype "));

  auto many = run_process(tandem_binary() + " space sample --space imagenet --seed 9 --count 3 --json");
  REQUIRE(many.exit_code == 0);
  auto parsed = nlohmann::json::parse(many.out);
  REQUIRE(parsed.size() == 3);
  CHECK(parsed[0]["network"]["input"] == nlohmann::json::array({parsed[0]["network"]["input"][0], parsed[0]["network"]["input"][0], 3}));

  std::string genes;
  for (const auto& gene : parsed[1]["genotype"]) genes += (genes.empty() ? "" : ",") + std::to_string(gene.get<int>());
  auto decoded = run_process(tandem_binary() + " space decode --space imagenet --json " + genes);
  REQUIRE(decoded.exit_code == 0);
  CHECK(nlohmann::json::parse(decoded.out)["hash"] == parsed[1]["hash"]);

  auto bad = run_process(tandem_binary() + " space decode 1,2,3");
  CHECK(bad.exit_code == 1);
  CHECK(bad.err == "<input>: error: GENES: a genotype of space 'proxy' has 30 genes, got 3\n");
}

TEST_CASE("t_models: space show lists the decisions", "[models][cli]") {
  auto table = run_process(tandem_binary() + " space show --space imagenet");
  CHECK(table.exit_code == 0);
  CHECK_THAT(table.out, Catch::Contains("s7.block"));
  CHECK_THAT(table.out, Catch::Contains("mbconv | fused_mbconv | conv"));
  auto json = run_process(tandem_binary() + " space show --json");
  REQUIRE(json.exit_code == 0);
  CHECK(nlohmann::json::parse(json.out)["decisions"].size() == 30);
}
