"""Sources are cited by author or organisation and year, never as 'seed 00N' (readers take 'seed'
for the random seed); the full references live in buurtsim.references and docs/references.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from buurtsim.dashboard.i18n import PARAM_TEXT, TEXT
from buurtsim.params import describe, param_names
from buurtsim.references import REFERENCES, reference, references_markdown

ROOT = Path(__file__).resolve().parents[1]
SEED_CITATION = re.compile(r"seed\s*0\d|bron:\s*seed|seed[- ]documents?|shared/seeds", re.IGNORECASE)


def user_facing_files() -> list[Path]:
    """Docs, lesson data, shipped scenarios and the README: everything a user reads as a file."""
    files = [ROOT / "README.md", *ROOT.glob("docs/**/*.md"), *ROOT.glob("scenarios/**/*.toml"),
             *ROOT.glob("src/buurtsim/teaching/lessons/*.toml"), *ROOT.glob("src/buurtsim/**/*.md")]
    return [f for f in files if f.is_file()]


def test_the_pattern_catches_seed_citations() -> None:
    """The check itself can fail: it finds the old citation forms and passes the random seed."""
    for bad in ("(seed 001)", "Seed 002 waarschuwt", "bron: seed 000", "seed 000/003", "the seed documents"):
        assert SEED_CITATION.search(bad), bad
    for fine in ("Toevalsgetal (seed)", "same seed, same residents", "--seed 42", "seed 7"):
        assert not SEED_CITATION.search(fine), fine


@pytest.mark.parametrize("path", user_facing_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_seed_citation_in_user_facing_files(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    hits = [line.strip() for line in text.splitlines() if SEED_CITATION.search(line)]
    assert not hits, f"{path.relative_to(ROOT)} cites a source as a seed: {hits[:3]}"


def test_no_seed_citation_in_parameter_sources_or_dashboard_strings() -> None:
    sources = {name: describe(name)["source"] for name in param_names()}
    assert not {n: s for n, s in sources.items() if SEED_CITATION.search(s)}
    strings = [s for pair in TEXT.values() for s in pair]
    strings += [s for pairs in PARAM_TEXT.values() for pair in pairs for s in pair]
    assert not [s for s in strings if SEED_CITATION.search(s)]


def test_cli_params_output_cites_authors_not_seeds(run_cli) -> None:
    code, out, _ = run_cli("params")
    assert code == 0
    assert not SEED_CITATION.search(out)
    assert "Wijkengids" in out and "Kleinhans & Bolt" in out


def test_references_page_in_docs_is_generated_from_the_code() -> None:
    expected = references_markdown("nl") + "\n" + references_markdown("en")
    assert (ROOT / "docs" / "references.md").read_text(encoding="utf-8") == expected, (
        "regenerate docs/references.md from buurtsim.references.references_markdown")


def test_references_are_full_and_unique() -> None:
    keys = [r.key for r in REFERENCES]
    assert len(keys) == len(set(keys)) and len({r.short for r in REFERENCES}) == len(REFERENCES)
    zalm = reference("giltay-veth-2009")
    assert "2009" in zalm.full and "Het rendement van zalmgedrag" in zalm.full
    with pytest.raises(KeyError, match="nope"):
        reference("nope")
    for lang, title in (("nl", "# Bronnen"), ("en", "# References")):
        text = references_markdown(lang)
        assert text.startswith(title)
        assert all(r.short in text for r in REFERENCES)



@pytest.mark.parametrize(("lang", "title"), [("nl", "Bronnen"), ("en", "References")])
def test_info_tab_lists_the_references(lang: str, title: str) -> None:
    import solara

    from buurtsim.dashboard.app import InfoTab

    _, rc = solara.render(InfoTab(lang), handle_error=False)
    html = "".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)
    assert f"<h2>{title}</h2>" in html
    assert "Het rendement van zalmgedrag" in html and "Giltay Veth 2009" in html
    assert not SEED_CITATION.search(html)
