"""`python -m crpo_eval` is `crpo-eval`."""

from crpo_eval.cli import main

main()
