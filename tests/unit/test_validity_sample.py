"""A fixed sample of the validity benchmark's perturbations (bench/validity), on real model outputs.

Each case is one perturbation kind applied to one real response of `data/realgen_validity/rows.jsonl`
(copied from `shared/data/realgen`), scored in-process with the real engine and lexicon:

- sensitivity: the change known by construction happens (a new unsupported/contradicted claim, a
  contradicted demographic, a changed option status);
- specificity: a meaning-preserving rewrite moves no objective by 0.03 or more;
- hacks: a content-free addition raises the total by at most 0.05.

Cases the scorer (crpo-spec-2.0) still fails are marked `xfail(strict=True)` with the weakness they show:
the open part of issue 12, measured in full by `make bench-validity`; a case that starts passing fails the
run (strict) so that its mark is removed. The perturbation generators themselves are tested below
without marks.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from bench.validity.data import RealResponse, from_row
from bench.validity.judge import claims_of, judge, options_of, run_row, score
from bench.validity.perturb import (
    GENERATORS,
    Baseline,
    names_option,
    perturbations,
)
from bench.validity.text import find_values, split_sentences
from tests.live import DATA

ROWS_FILE = DATA / "realgen_validity" / "rows.jsonl"

#: (kind, response uid, what today's scorer does: True = the case passes).
CASES: list[tuple[str, str, bool]] = [
    ("fabricated_vital", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#4220", True),
    ("fabricated_vital", "lievin2022__text-davinci-002__medqa_zeroshot_cot#916", True),
    ("fabricated_lab", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#4220", True),
    ("fabricated_lab", "mirage__gpt-4-32k__cot#931", True),
    ("fabricated_symptom", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#4220", True),
    ("fabricated_symptom", "lievin2022__text-davinci-002__medqa_zeroshot_cot#804", True),
    ("restated_value", "lievin2022__text-davinci-002__medqa_zeroshot_cot#100", True),
    ("restated_value", "thoughtsource__text-davinci-002__zeroshot_cot#83", True),
    ("restated_bp", "thoughtsource__text-davinci-002__zeroshot_cot#83", True),
    ("restated_quantity", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#584", True),
    ("restated_quantity", "thoughtsource__command-xlarge-nightly__zeroshot_cot#206", True),
    ("misstated_vital", "lievin2022__text-davinci-002__medqa_zeroshot_cot#916", True),
    ("misstated_vital", "thoughtsource__command-xlarge-nightly__zeroshot_cot#238", True),
    ("age_changed", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#4220", True),
    ("sex_changed", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#4220", True),
    ("finding_negated", "lievin2022__text-davinci-002__medqa_zeroshot_cot#100", True),
    ("finding_negated", "mirage__gpt-35-turbo-16k__cot#438", False),
    ("option_removed", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1904", True),
    ("option_removed", "lievin2022__text-davinci-002__medqa_zeroshot_cot#100", True),
    ("whitespace", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("bullets_prose", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#4220", True),
    ("patient_this", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#4220", True),
    ("options_reordered", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1904", True),
    ("markdown_emphasis", "thoughtsource__gpt-4__zeroshot_cot#400", True),
    ("verdict_generic", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("verdict_generic", "thoughtsource__gpt-4__zeroshot_cot#400", True),
    ("verdict_less_likely", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("verdict_less_likely", "lievin2022__text-davinci-002__medqa_zeroshot_cot#100", True),
    ("verdict_not_typical", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("verdict_not_typical", "lievin2022__text-davinci-002__medqa_zeroshot_cot#100", True),
    ("verdict_not_relevant", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("verdict_not_relevant", "thoughtsource__gpt-4__zeroshot_cot#400", True),
    ("verdict_same_reason", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("verdict_same_reason", "thoughtsource__gpt-4__zeroshot_cot#400", True),
    ("verdict_own_words", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("verdict_own_words", "lievin2022__text-davinci-002__medqa_zeroshot_cot#916", True),
    ("verdict_all_accepted", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("verdict_all_accepted", "thoughtsource__gpt-4__zeroshot_cot#400", True),
    ("verdict_hedged", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("verdict_hedged", "lievin2022__text-davinci-002__medqa_zeroshot_cot#916", True),
    ("verdict_bullets", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("verdict_bullets", "lievin2022__text-davinci-002__medqa_zeroshot_cot#100", True),
    ("verdict_table", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("verdict_table", "lievin2022__text-davinci-002__medqa_zeroshot_cot#100", True),
    ("verdict_case_words", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("verdict_case_words", "thoughtsource__gpt-3.5-turbo__zeroshot_cot#299", True),
    ("verdict_case_pairs", "lievin2022__text-davinci-002__medqa_zeroshot_cot#100", True),
    ("verdict_case_pairs", "mirage__gpt-35-turbo-16k__cot#438", True),
    ("verdict_case_argues", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("verdict_case_argues", "thoughtsource__gpt-3.5-turbo__zeroshot_cot#299", True),
    ("verdict_in_conclusion", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("verdict_in_conclusion", "thoughtsource__gpt-4__zeroshot_cot#400", True),
    ("stem_verbatim", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("stem_verbatim", "thoughtsource__command-xlarge-nightly__zeroshot_cot#133", True),
    ("stem_paraphrase", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("stem_paraphrase", "lievin2022__text-davinci-002__medqa_zeroshot_cot#804", True),
    ("stem_telegraphic", "lievin2022__text-davinci-002__medqa_zeroshot_cot#804", True),
    ("stem_telegraphic", "thoughtsource__command-xlarge-nightly__zeroshot_cot#133", True),
    ("stem_shuffled", "lievin2022__text-davinci-002__medqa_zeroshot_cot#916", False),
    ("stem_shuffled", "lievin2022__text-davinci-002__pubmedqa_zeroshot_cot#307", False),
    ("stem_shuffled", "thoughtsource__command-xlarge-nightly__zeroshot_cot#238", False),
    ("repeat_verbatim", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("repeat_near", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("repeat_near", "lievin2022__text-davinci-002__pubmedqa_zeroshot_cot#307", True),
    ("repeat_sentences", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("repeat_sentences", "thoughtsource__command-xlarge-nightly__zeroshot_cot#206", True),
    ("keywords_lexicon", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("keywords_lexicon", "lievin2022__text-davinci-002__medqa_zeroshot_cot#100", True),
    ("keywords_case", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("keywords_case", "lievin2022__text-davinci-002__medqa_zeroshot_cot#804", True),
    ("keywords_woven", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#584", False),
    ("keywords_woven", "lievin2022__text-davinci-002__medqa_zeroshot_cot#100", True),
    ("keywords_woven", "thoughtsource__command-xlarge-nightly__zeroshot_cot#206", False),
    ("option_list", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("option_list", "lievin2022__text-davinci-002__medqa_zeroshot_cot#100", True),
    ("behaviour_phrases", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1901", True),
    ("behaviour_phrases", "thoughtsource__gpt-4__zeroshot_cot#400", True),
]

#: Why each of today's failing cases fails (issue 12 "What was measured" / "What to build").
REASONS = {
    "fabricated_vital": "issue 12: vitals in bullet/colon/table/abbreviated layouts are not read as patient claims",
    "fabricated_lab": "issue 12: labs in bullet/colon/table/abbreviated layouts are not read as patient claims",
    "fabricated_symptom": "issue 12 (open): an invented symptom on a bullet or 'Label:' line is not a patient claim",
    "restated_value": "issue 12: a changed restated case value is not contradicted",
    "restated_bp": "issue 12: a blood pressure is matched on one half",
    "restated_quantity": "issue 12: quantities of factual questions are not compared",
    "misstated_vital": "issue 12: a misstated vital in a summary layout is not contradicted",
    "age_changed": "issue 12: a changed age is not contradicted",
    "sex_changed": "issue 12: a changed sex is not contradicted",
    "finding_negated": "issue 12 (open): a negation by 'without' is not read as negating the case finding",
    "option_removed": "issue 12: option status does not follow the removed analysis",
    "whitespace": "issue 12: a whitespace rewrite moves a score",
    "bullets_prose": "issue 12: bullets <-> prose moves a score (layout-dependent claims, copy guard)",
    "patient_this": "issue 12: 'the patient' <-> 'this patient' moves a score (the copy guard's 12-token runs)",
    "options_reordered": "issue 12: reordering option analyses moves a score",
    "markdown_emphasis": "issue 12: bold option heads move a score",
}
#: The scorer's view of the original that a baseline-dependent generator needs, as recorded when the
#: sample was drawn: the cases then test the same perturbation whatever the scorer says today.
PINNED_BASELINES = {
    ("finding_negated", "lievin2022__text-davinci-002__medqa_zeroshot_cot#100"): Baseline(
        claims=[
            {
                "text": "back pain",
                "kind": "finding",
                "key": "low back pain",
                "status": "supported",
                "polarity": "affirmed",
                "fact": "back pain",
            }
        ]
    ),
    ("finding_negated", "mirage__gpt-35-turbo-16k__cot#438"): Baseline(
        claims=[
            {
                "text": "bleeding",
                "kind": "finding",
                "key": "bleeding",
                "status": "supported",
                "polarity": "affirmed",
                "fact": "bleeding",
            }
        ]
    ),
    ("option_removed", "lievin2022__text-davinci-002__medmcqa_zeroshot_cot#1904"): Baseline(
        options=[{"letter": "C", "weighed": True, "status": "specific"}]
    ),
    ("option_removed", "lievin2022__text-davinci-002__medqa_zeroshot_cot#100"): Baseline(
        options=[{"letter": "B", "weighed": True, "status": "specific"}]
    ),
}
REASONS["stem_shuffled"] = "issue 12 (open): the stem's sentences reordered and reworded still earn citations"
REASONS["keywords_woven"] = (
    "issue 12 (open): case and lexicon terms woven into filler sentences earn citations, behaviours"
)
HACK_REASON = (
    "issue 12 (open): keyword lists, stem paraphrase, case words as reasons and repeats still earn citation or "
    "behaviour credit"
)


def load_rows() -> dict[str, RealResponse]:
    rows = {}
    for line in ROWS_FILE.read_text().splitlines():
        raw = json.loads(line)
        row = from_row(raw["file"], raw["row"], raw)
        assert row is not None, raw["file"]
        rows[row.uid] = row
    return rows


ROWS = load_rows()


def case_params() -> list:
    params = []
    for kind, uid, passes in CASES:
        marks = []
        if not passes:
            reason = REASONS.get(kind, HACK_REASON)
            marks.append(pytest.mark.xfail(strict=True, reason=reason))
        params.append(pytest.param(kind, uid, id=f"{kind}-{uid}", marks=marks))
    return params


@pytest.fixture(scope="module")
def baselines() -> dict[str, dict]:
    return {uid: score(row, row.reasoning) for uid, row in ROWS.items()}


@pytest.mark.parametrize(("kind", "uid"), case_params())
def test_perturbation_case(kind: str, uid: str, baselines: dict[str, dict]) -> None:
    row = ROWS[uid]
    before = baselines[uid]
    pinned = PINNED_BASELINES.get((kind, uid))
    made = perturbations(row, pinned or Baseline(claims_of(before), options_of(before)), {kind})
    assert len(made) == 1, f"{kind} no longer applies to {uid}"
    p = made[0]
    outcome = judge(p, before, score(row, p.reasoning, p.conclusion), row.source, uid)
    assert outcome.error is None
    assert outcome.ok, f"{p.note}: {outcome.detail}"


# --- the generators themselves ----------------------------------------------------------------------


def test_every_kind_has_cases() -> None:
    assert {kind for kind, _, _ in CASES} == set(GENERATORS)
    assert {uid for _, uid, _ in CASES} <= set(ROWS)
    needs_baseline = {"finding_negated", "option_removed"}
    assert {(k, u) for k, u, _ in CASES if k in needs_baseline} == set(PINNED_BASELINES)


def test_perturbations_are_deterministic() -> None:
    for row in ROWS.values():
        first = [(p.kind, p.reasoning) for p in perturbations(row, Baseline())]
        assert first == [(p.kind, p.reasoning) for p in perturbations(row, Baseline())]


def _changed_values(original: str, perturbed: str) -> tuple[list[str], list[str]]:
    """Values (number + unit) only in `original`, and only in `perturbed` (as multisets)."""
    old = Counter(v.text for v in find_values(original))
    new = Counter(v.text for v in find_values(perturbed))
    return list((old - new).elements()), list((new - old).elements())


def _changed_numbers(original: str, perturbed: str) -> tuple[list[str], list[str]]:
    number = r"\d[\d,]*(?:\.\d+)?(?:/\d+)?"
    old, new = Counter(re.findall(number, original)), Counter(re.findall(number, perturbed))
    return list((old - new).elements()), list((new - old).elements())


def test_restated_value_changes_one_case_value_and_nothing_else() -> None:
    checked = 0
    for row in ROWS.values():
        for kind in ("restated_value", "restated_bp", "restated_quantity"):
            for p in perturbations(row, Baseline(), {kind}):
                gone, added = _changed_numbers(row.reasoning, p.reasoning)
                assert len(added) == 1 and added[0] not in re.findall(r"[\d,./]+", row.question), p.note
                assert gone and gone[0] in row.question, p.note
                words = lambda t: re.sub(r"[\d.,/]+", "#", t).split()  # noqa: E731
                assert len(words(row.reasoning)) - len(words(p.reasoning)) in range(0, 4), p.note
                checked += 1
    assert checked >= 2


def test_fabricated_values_are_absent_from_the_question() -> None:
    checked = 0
    for row in ROWS.values():
        for p in perturbations(row, Baseline(), {"fabricated_vital", "fabricated_lab"}):
            _, added = _changed_values(row.reasoning, p.reasoning)
            assert added and not any(v in row.question for v in added), p.note
            checked += 1
    assert checked >= 2


def test_option_removed_leaves_at_most_its_replacement(baselines: dict[str, dict]) -> None:
    """Deleted: nothing refers to the option any more; bare / verdict_only: only the replacement does."""
    checked = 0
    for row in ROWS.values():
        before = baselines[row.uid]
        for p in perturbations(row, Baseline(claims_of(before), options_of(before)), {"option_removed"}):
            assert p.expect is not None and p.expect.letter is not None
            letter = p.expect.letter
            referring = [
                sentence
                for line in p.reasoning.split("\n")
                for sentence in split_sentences(line)
                if names_option(sentence, letter, row.options[letter])
            ]
            if p.variant.startswith("deleted"):
                assert referring == [], p.note
            else:
                assert len(referring) == 1 and ("right answer" in referring[0]) == p.variant.startswith("verdict")
            checked += 1
    assert checked >= 1


def _words(text: str) -> list[str]:
    """The words of a text, sorted, without list numbers ("1)", "2.")."""
    text = re.sub(r"(?m)^\s*\d{1,2}[.)]\s", " ", text)
    return sorted(re.findall(r"[A-Za-z0-9]+", text.lower()))


def test_rewrites_keep_every_word() -> None:
    for row in ROWS.values():
        for p in perturbations(
            row, Baseline(), {"whitespace", "options_reordered", "bullets_prose", "markdown_emphasis"}
        ):
            assert _words(p.reasoning) == _words(row.reasoning), (row.uid, p.kind)
        for p in perturbations(row, Baseline(), {"patient_this"}):
            swap = {"this": "the", "the": "this"}
            assert len(_words(p.reasoning)) == len(_words(row.reasoning))
            assert {swap.get(w, w) for w in _words(p.reasoning)} | {"the", "this"} >= set(_words(row.reasoning))


def test_hacks_only_append() -> None:
    for row in ROWS.values():
        for p in perturbations(
            row,
            Baseline(),
            {
                k
                for k, g in GENERATORS.items()
                if k.startswith(("verdict", "stem", "repeat", "keywords", "option_list", "behaviour"))
            },
        ):
            assert p.reasoning.startswith(row.reasoning), p.kind
            assert p.reasoning != row.reasoning or p.conclusion, p.kind


def test_the_benchmark_runs_end_to_end(tmp_path: Path) -> None:
    """`bench_validity` over a two-row file: tables, JSON summary, no errors."""
    import gzip

    from bench import bench_validity

    lines = ROWS_FILE.read_text().splitlines()[:2]
    with gzip.open(tmp_path / "sample__model__x.jsonl.gz", "wt") as handle:
        handle.write("\n".join(lines) + "\n")
    out = tmp_path / "summary.json"
    code = bench_validity.main(["--data", str(tmp_path), "--per-source", "2", "--workers", "1", "--json", str(out)])
    summary = json.loads(out.read_text())
    assert code in (0, 1)
    assert summary["errors"] == 0 and summary["responses"] == 2
    assert set(summary["families"]) == {"sensitivity", "specificity", "hack"}
    assert summary["families"]["specificity"]["whitespace"]["cells"]["overall"]["n"] == 2
    assert run_row(ROWS[sorted(ROWS)[0]], {"whitespace"})[0]["error"] is None


@pytest.mark.parametrize(
    ("text", "value", "bound"),
    [
        ("a count of <5% in the sample", "5%", True),
        ("more than 10 mg daily", "10 mg", True),
        ("a normal range of 10-20 mg", "20 mg", True),
        ("a normal range of 10-20 mg", "10", True),
        ("between 5 and 10 cm", "10 cm", True),
        ("5 to 10 cm", "5", True),
        ("a level of 1.2 ng/mL or greater", "1.2 ng/mL", True),
        ("her pulse is 110/min today", "110/min", False),
        ("a 5-year-old with a 3 cm mass", "3 cm", False),
    ],
)
def test_restated_value_skips_limits_and_range_ends(text: str, value: str, bound: bool) -> None:
    """A threshold or range end is no restatement of the patient's value: changing it must not be
    expected to contradict anything."""
    from bench.validity.perturb import is_bound_or_range

    start = text.index(value)
    assert is_bound_or_range(text, start, start + len(value)) is bound


def test_restated_value_never_lands_on_another_question_value() -> None:
    """ "from 15.5% to 16%" for the question's "from 15.5% to 51%" restates 15.5 % as far as a reader can tell:
    the perturbation's right answer would be unknown."""
    from bench.validity.perturb import near_a_question_value

    keys = {("15.5", None, "%"), ("51", None, "%"), ("80", None, "/min")}
    assert near_a_question_value(keys, 16.0, "%")
    assert not near_a_question_value(keys, 86.0, "%")
    assert not near_a_question_value(keys, 16.0, "/min")
    assert not near_a_question_value({("101.8", None, "°f")}, 97.2, "°f")


def test_stem_shuffled_moves_every_sentence() -> None:
    """The shuffled stem holds every fact sentence of the stem, none where it was, and no question."""
    checked = 0
    for row in ROWS.values():
        p = GENERATORS["stem_shuffled"](row, Baseline())
        if p is None:
            continue
        block = p.reasoning[len(row.reasoning) :]
        assert "?" not in block
        assert p.variant in ("prose", "bullets", "framed")
        checked += 1
    assert checked >= 5


def test_keywords_woven_weaves_three_terms_a_sentence() -> None:
    for row in ROWS.values():
        p = GENERATORS["keywords_woven"](row, Baseline())
        assert p is not None
        block = p.reasoning[len(row.reasoning) :].strip()
        sentences = split_sentences(block)
        assert len(sentences) >= 2
        assert all(" and " in s for s in sentences)
