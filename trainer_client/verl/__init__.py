"""verl 0.9 integration: reward function, batching reward manager, `crpo` advantage estimator, trainers.

Nothing is imported here: `trainer_client.verl.reward` needs no verl at all, the other modules import
verl and are loaded by verl itself (`pkg://` paths in the config) or by the Ray worker setup hook
`trainer_client.verl.setup.register`.
"""
