"""The line-finding heuristic used for validation errors."""

from __future__ import annotations

from buurtsim.scenario.locate import KeyLines, split_keypath

TEXT = '''\
# comment = 1
[scenario]
name = "x"
description = """
fake = 3
"""
title = "T"   # trailing comment

[neighbourhood.newcomers]
potential_shift = 0.1

[params]
"quoted key" = 1
a.b = 2
shares = [
  0.5,
  0.5,
]

[[policies]]
type = "outreach"

[[ policies ]]
type = "mediation"
target = { categories = ["sliding"] }

[policies.target]
styles = ["outsider"]
'''


def test_lines_of_keys_tables_and_array_entries() -> None:
    lines = KeyLines(TEXT)
    assert lines.line_of(("scenario",)) == 2
    assert lines.line_of(("scenario", "name")) == 3
    assert lines.line_of(("scenario", "title")) == 7
    assert lines.line_of(("neighbourhood", "newcomers", "potential_shift")) == 10
    assert lines.line_of(("neighbourhood",)) == 9
    assert lines.line_of(("params", "quoted key")) == 13
    assert lines.line_of(("params", "a", "b")) == 14
    assert lines.line_of(("params", "shares", 1)) == 15
    assert lines.line_of(("policies", 0, "type")) == 21
    assert lines.line_of(("policies", 1, "type")) == 24
    assert lines.line_of(("policies", 1, "target", "categories", 0)) == 25
    assert lines.line_of(("policies", 1, "target", "styles")) == 28
    assert lines.line_of(("policies", 1)) == 23
    assert lines.line_of(("policies",)) == 20


def test_keys_inside_multiline_strings_and_comments_are_skipped() -> None:
    lines = KeyLines(TEXT)
    assert ("scenario", "fake") not in lines.lines
    assert ("comment",) not in lines.lines
    assert lines.line_of(("nothing", "here")) is None


def test_split_keypath() -> None:
    assert split_keypath('a . "b.c" . d') == ["a", "b.c", "d"]
    assert split_keypath("'x y'") == ["x y"]
