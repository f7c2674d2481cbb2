"""What links an option's inline verdict to the sentence before it (English, lower-cased whole words).

"Warfarin crosses the placenta. Option A (warfarin) is incorrect." takes its reason from the sentence before; used by
`scoring/evidence/options.py` (`_lends_reason`, which also accepts a content word shared with the option;
`_following_reference` reads `BACK_REFERENCES` at the start of the sentence after a verdict).
"""

from __future__ import annotations

#: A verdict sentence that opens with one of these refers back to the sentence before ("This makes B
#: unlikely", "That diagnosis (C) is excluded"). Multi-word entries are matched as phrases.
BACK_REFERENCES = (
    "this",
    "that",
    "these",
    "those",
    "it",
    "such",
    "the above",
    "which",
    "this option",
    "that option",
    "this diagnosis",
    "that diagnosis",
    "this finding",
    "this feature",
)
#: A verdict sentence with one of these concludes from the sentence before ("Therefore B is unlikely").
CONCLUSIONS = (
    "therefore",
    "thus",
    "so",
    "hence",
    "consequently",
    "accordingly",
    "thereby",
    "for this reason",
    "for that reason",
    "that is why",
    "this is why",
    "which is why",
    "as a result",
    "this means",
    "this makes",
)
