"""Language data (word lists) of the clinical NLP layer, kept apart from the algorithms that use them."""
