"""Verdict phrases (English regex alternations): what rejects an option and what accepts one.

Matched as whole words against lower-cased text by `scoring/evidence/options.py`.
"""

from __future__ import annotations

REJECT_PHRASES = (
    r"rejected|reject|incorrect|wrong|unlikely|less likely|least likely|not likely|ruled out|rules? out|"
    r"excluded|excludes?|eliminated|eliminates?|not the answer|not correct|not the (?:best|right|correct|most likely)|"
    r"does not fit|doesn't fit|do not fit|not fit(?:ting)?|less fitting|less consistent|inconsistent|"
    r"not consistent|does not explain|doesn't explain|would not explain|cannot explain|can't explain|"
    r"does not account|argues? (?:strongly )?against|speaks? against|not supported|no role|not indicated|"
    r"not responsible|unrelated|implausible|outlier(?! is)|not (?:the )?cause|not (?:a |the )?mechanism|"
    r"not seen here|not applicable|discard(?:ed)?|drop(?:ped)?|not chosen|not selected"
)
ACCEPT_PHRASES = (
    r"accepted|accept|correct|right answer|best answer|the answer|best explains?|best fits?|fits best|"
    r"most likely|most consistent|consistent with|fits?|explains?|accounts? for|supported|supports?|"
    r"selected|select|chosen|choose|favou?red|favou?rs?|matches|confirms?|confirmed|is the mechanism|"
    r"is the cause|the evidence supports|expected finding|keep(?: it)?|retain(?:ed)?"
)
