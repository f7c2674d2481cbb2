"""`python -m trainer_client.eval` is `crpo-eval`."""

from trainer_client.eval.cli import main

main()
