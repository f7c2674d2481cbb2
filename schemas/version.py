"""Version identifiers echoed by the service so a training log records what produced its rewards."""

API_VERSION = "v1"
#: Version of the scoring contract (docs/scoring.md) the scorers implement. Bump when a score changes.
SPEC_VERSION = "crpo-spec-2.4"
