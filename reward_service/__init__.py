"""The CRPO reward service: FastAPI app, configuration, scoring engine and clinical NLP layer."""
