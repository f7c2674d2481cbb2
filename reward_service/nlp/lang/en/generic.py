"""Words that carry no case-specific or medical content in a reason given for an option.

"Rejected, because it does not fit the case", "less likely given these findings", "would not typically
present with these symptoms": every word of such a reason is either a function word, a verdict, or one
of the generic words below. A reason is *specific* only through words that are none of these (see
`reward_service.scoring.evidence.option_reasons`).
"""

from __future__ import annotations


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


#: Nouns and adjectives that name the case, the question or clinical material in general.
GENERIC_REASON_WORDS = _words("""
case cases patient patients patient's person individual scenario vignette stem question questions prompt
presentation presentations present presenting presents presented picture context setting situation
finding findings symptom symptoms sign signs feature features characteristic characteristics manifestation
manifestations history histories complaint complaints data information details detail evidence result results
condition conditions disease diseases disorder disorders illness illnesses problem problems issue issues
diagnosis diagnoses diagnostic differential cause causes causing caused etiology aetiology factor factors
treatment treatments therapy therapies management option options answer answers choice choices
clinical medical typical typically usual usually common commonly classic classical specific particular
relevant pertinent important consistent inconsistent likely unlikely possible possibility probable
described description given mentioned stated noted seen shown observed reported
associated association related relation link linked explain explains explained explanation
fit fits fitting match matches matching support supports supported suggest suggests suggestive
point points indicate indicates indicative account accounts pattern patterns type types kind kinds
scenario overall general generally entire whole here there this that these those
pathophysiology physiology mechanism mechanisms process processes pathway pathways underlying
differential verification verify verified verifying double-check double-checking reconsider reconsidering
reconsidered re-evaluate re-evaluating reevaluate backwards backward hypothesis hypotheses conclusion
conclusions reasoning reason reasons analysis analyze analyse analyzing evaluate evaluating assessment
step steps approach possibilities alternatives alternative rule ruled ruling exclude excluded excluding
""")

#: Words that frame a sentence as a restatement ("To restate, …", "In other words, …", "…, as noted above"):
#: padding a repeated sentence with them (and function words) leaves it a repeat.
DISCOURSE_WORDS = _words("""
restate restated restating reiterate reiterated reiterating repeat repeated repeating recap recapping
summarize summarise summarized summarised summarizing summary sum short brief briefly word words
differently otherwise again also once more noted mentioned said stated discussed described explained
earlier previously above before basically essentially simply clearly indeed namely specifically
overall conclusion conclude finally ultimately hence therefore thus so then put say let lets us me recall
note""")

#: Cues that a unit only hedges (names a possibility) without leaning either way.
HEDGE_WORDS = _words("possible possibly possibility may might could perhaps consider considered potential")

#: Medical nouns and adjectives that ordinary English also uses often (so the common-word list would
#: call them common), but that carry content in a reason: "heparin does not cross the placenta",
#: "the kidney excretes it unchanged".
MEDICAL_CONTENT_WORDS = _words("""
kidney kidneys renal liver hepatic lung lungs pulmonary heart cardiac brain cerebral blood plasma serum
protein proteins hormone hormones insulin glucose sugar infection infections infectious immune immunity
bacteria bacterial virus viral fungal fungus parasite nerve nerves neural muscle muscles bone bones
skin artery arteries vein veins vessel vessels cell cells tissue tissues receptor receptors enzyme
enzymes gene genes genetic mutation chromosome dna rna antibody antibodies antigen toxin toxic toxicity
dose doses drug drugs medication overdose fever pain bleeding fracture tumor tumour cancer malignant
benign inflammation inflammatory pregnancy pregnant fetus fetal placenta uterus ovary bladder urine
urinary stomach bowel colon intestine intestinal pancreas thyroid adrenal pituitary spleen lymph
stroke seizure seizures allergy allergic asthma diabetes obesity surgery surgical vaccine vaccination
oxygen carbon acid acidic alkaline calcium sodium potassium iron vitamin cholesterol fat fats metabolism
pressure pulse breathing respiratory airway chest abdomen abdominal spine spinal joint joints
""")

#: Verbs and nouns of question writing that say nothing about the subject ("Which of the following
#: facilitates ...", "... is involved in", "the study found").
GENERIC_QUESTION_WORDS = _words("""
facilitate facilitates facilitated facilitating involve involves involved involving occur occurs occurred
occurring result results resulting lead leads leading cause causes caused causing affect affects affected
increase increases increased decrease decreases decreased change changes changed include includes included
including contain contains contained require requires required produce produces produced
study studies studied trial trials data analysis evaluate evaluated assess assessed investigate investigated
compared comparison effect effects role roles factor factors feature features statement statements
true false correct incorrect except likely least best most appropriate following given
""")

#: Words that only join the items of a series of terms ("fever, cough *and* hypoxia", "hypotension
#: *together with* fever", "*the* rash *as well as her* pruritus"): a gap between two pieces of content made
#: of these (and of the question's own words) does not relate them (`evidence/term_series.py`).
SERIES_JOINERS = _words("""
and or nor plus with together along as well also both either the a an her his their its of this that these
those any some all such other another additional
""")

#: Headers of a list that say nothing themselves ("Relevant:", "Key words:", "Important points:"): a short
#: list behind one names terms and asserts nothing (`claim_scope.is_keyword_list`).
LIST_HEADER_WORDS = _words("""
relevant key keyword keywords term terms concept concepts important points point words word notes note
highlights tags clues cues summary considerations consideration factors keys main salient notable
""")
