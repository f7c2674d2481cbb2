"""The answer side: gold answers, answer extraction, accuracy, format and the Clinical-R1 rule."""
