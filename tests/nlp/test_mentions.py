"""Mention finder: paraphrases, abbreviations, converted values, polarity, sentences."""

from __future__ import annotations

STEM = (
    "A 58-year-old man comes to the emergency department because of shortness of breath and "
    "fever for 3 days. He has a history of type 2 diabetes mellitus. He denies chest pain. "
    "His temperature is 39°C, pulse is 112/min, and blood pressure is 150/95 mm Hg. "
    "Hemoglobin is 9.1 g/dL."
)


def _by_key(mentions, key):
    return [m for m in mentions if m.key == key]


def test_paraphrase_and_abbreviation(nlp):
    case = nlp.case_facts(STEM)
    ms = nlp.find_mentions("Dyspnea in a man with T2DM; Hb 9.1 g/dL is low.", case)
    dys = _by_key(ms, "shortness of breath")[0]
    assert dys.fact is not None and dys.polarity == "affirmed" and dys.kind == "finding"
    assert _by_key(ms, "type 2 diabetes mellitus")[0].fact is not None
    hb = _by_key(ms, "hemoglobin")[0]
    assert hb.kind == "measurement" and hb.fact is not None and hb.fact.value == 9.1


def test_unit_converted_value_matches_and_other_value_is_related(nlp):
    case = nlp.case_facts(STEM)
    ms = nlp.find_mentions("He is febrile to 102.2 °F. BP 180/95.", case)
    temp = _by_key(ms, "temperature")[0]
    assert temp.fact is not None and temp.fact.value == 39
    sbp = _by_key(ms, "systolic blood pressure")[0]
    assert sbp.fact is None and sbp.related is not None and sbp.related.value == 150
    dbp = _by_key(ms, "diastolic blood pressure")[0]
    assert dbp.fact is not None


def test_negation_and_contradiction(nlp):
    case = nlp.case_facts(STEM)
    ms = nlp.find_mentions("The patient has no fever. He reports chest pain.", case)
    fever = _by_key(ms, "fever")[0]
    assert fever.polarity == "negated" and fever.fact is None and fever.related is not None
    cp = _by_key(ms, "chest pain")[0]
    assert cp.polarity == "affirmed" and cp.related is not None and cp.related.assertion == "absent"
    afeb = _by_key(nlp.find_mentions("He is afebrile.", case), "fever")[0]
    assert afeb.polarity == "negated"


def test_hypothetical_and_family(nlp):
    ms = nlp.find_mentions("If this were sepsis we would expect hypotension. His mother has asthma.")
    assert _by_key(ms, "hypotension")[0].polarity == "hypothetical"
    assert _by_key(ms, "asthma")[0].polarity == "family"


def test_sentence_attribution_on_option_bullets(nlp):
    text = (
        "Key facts: fever and dyspnea.\n"
        "A. Pneumonia — accepted; fever and dyspnea fit.\n"
        "B. Pulmonary embolism — rejected; no chest pain.\n"
    )
    spans = nlp.sentences(text)
    assert len(spans) == 3
    ms = nlp.find_mentions(text)
    pe = _by_key(ms, "pulmonary embolism")[0]
    cp = _by_key(ms, "chest pain")[0]
    assert pe.sentence == 2 and cp.sentence == 2 and cp.polarity == "negated"
    assert text[spans[pe.sentence][0] : spans[pe.sentence][1]].startswith("B. Pulmonary")


def test_sentences_keep_abbreviations_and_option_labels_together(nlp):
    text = "H. pylori causes ulcers, e.g. duodenal ones. B. Next sentence here."
    spans = nlp.sentences(text)
    assert [text[s:e] for s, e in spans] == ["H. pylori causes ulcers, e.g. duodenal ones.", "B. Next sentence here."]


def test_demographic_mentions(nlp):
    case = nlp.case_facts(STEM)
    ms = nlp.find_mentions("This 68-year-old woman ...", case)
    age = _by_key(ms, "age")[0]
    sex = _by_key(ms, "sex")[0]
    assert age.fact is None and age.related is not None
    assert sex.value_text == "female" and sex.related is not None


def test_stem_defined_abbreviation_carries_to_reasoning(nlp):
    case = nlp.case_facts("A 30-year-old woman has a history of pulmonary embolism (PE). She is well.")
    assert ("PE", "pulmonary embolism") in case.abbreviations
    ms = nlp.find_mentions("Her prior PE raises the risk.", case)
    assert _by_key(ms, "pulmonary embolism")[0].fact is not None


def test_deterministic_and_hashable(nlp):
    case = nlp.case_facts(STEM)
    text = "Fever 39 °C, HR 112, dyspnea; no chest pain. BP 150/95 mm Hg."
    a = nlp.find_mentions(text, case)
    case2 = nlp.case_facts(STEM)
    b = nlp.find_mentions(text, case2)
    assert a == b and case == case2
    assert len(set(a)) == len(a) and hash(case2.facts[0]) == hash(case.facts[0])


def test_vaccine_target_is_not_a_finding(nlp):
    """'never received the vaccine for HPV' says nothing about an HPV infection, present or absent."""
    case = nlp.case_facts("A 34-year-old woman never received the vaccine for human papillomavirus.")
    assert all(f.assertion != "present" for f in case.facts if f.key == "human papillomavirus infection")
    mentions = nlp.find_mentions("She was never vaccinated against human papillomavirus.", case)
    assert [m.polarity for m in mentions if m.key == "human papillomavirus infection"] == ["hypothetical"]
