#include "search/trial.h"

namespace tandem {

const char* trial_status_name(TrialStatus status) {
  switch (status) {
    case TrialStatus::ok: return "ok";
    case TrialStatus::rejected: return "rejected";
    case TrialStatus::failed: return "failed";
  }
  return "failed";
}

std::optional<TrialStatus> parse_trial_status(const std::string& name) {
  for (TrialStatus status : {TrialStatus::ok, TrialStatus::rejected, TrialStatus::failed}) {
    if (name == trial_status_name(status)) return status;
  }
  return std::nullopt;
}

Feedback TrialRecord::feedback() const {
  Feedback feedback;
  feedback.ok = status == TrialStatus::ok;
  feedback.reward = reward;
  feedback.objectives = objectives;
  return feedback;
}

}  // namespace tandem
