"""The HTTP layer: one router per protocol (`reward_service.app.create_app` includes every router listed in
`ROUTERS`) and what they share: `batch` (the one batch path), `respond` (answer, metrics, identity headers),
`guard` (backpressure, deadlines, cancellation), `auth` (the optional API key) and `body` (parsing)."""
