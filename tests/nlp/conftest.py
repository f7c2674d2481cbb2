from __future__ import annotations

import pytest

from reward_service.nlp import get_clinical_nlp


@pytest.fixture(scope="session")
def nlp():
    return get_clinical_nlp()
