"""The response side: parsing the layout, text units, sentence classes and cue-phrase matching."""
