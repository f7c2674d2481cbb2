"""English word lists shared by the question side and the response side of the scorers."""
