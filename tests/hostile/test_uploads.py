"""What a page (or a script posing as one) sends as a dashboard upload: base64 that does not
decode, a value that is not text, a file name of megabytes or with markup and path parts. The
session says the file was not used and changes nothing; it never raises into the server."""

from __future__ import annotations

import base64

import pytest

from buurtsim.dashboard.state import MAX_UPLOAD_NAME, Session, upload_name
from buurtsim.dashboard.widgets import MAX_UPLOAD_BYTES, payload_bytes

SCENARIO = '[scenario]\nname = "x"\ntitle = "Mijn wijk"\n'


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.fixture(scope="module")
def session() -> Session:
    return Session(n_residents=50)


@pytest.mark.parametrize("b64", ["abc", "é", "#!/bin/sh", 5, [1], {"a": 1}, "QUJD\nREVG"])
def test_an_upload_that_does_not_decode_is_refused_without_changes(b64: object, session: Session) -> None:
    before = [s.key for s in session.sources.value]
    assert session.upload({"name": "x.toml", "b64": b64}) is None
    assert "x.toml" in (session.upload_error.value or "") and session.upload_ok.value is None
    assert [s.key for s in session.sources.value] == before


def test_payload_bytes_never_decodes_more_than_the_limit() -> None:
    assert payload_bytes({"b64": _b64(SCENARIO)}) == SCENARIO.encode()
    big = payload_bytes({"b64": "A" * (8 * MAX_UPLOAD_BYTES)})
    assert big is not None and MAX_UPLOAD_BYTES < len(big) <= MAX_UPLOAD_BYTES + 8


def test_a_huge_or_odd_file_name_is_cut_to_its_last_part(session: Session) -> None:
    huge = "<b>" * 1_000_000 + ".toml"
    src = session.upload({"name": huge, "b64": _b64(SCENARIO)})
    assert src is not None
    assert len(session.upload_ok.value or "") < 200 and len(src.label) < 300
    assert upload_name("C:\\Users\\ann\\..\\mijn\x07wijk.toml") == "mijnwijk.toml"
    assert upload_name("../../etc/passwd") == "passwd"
    assert upload_name({"a": 1}) == upload_name(None) == upload_name("\x00") == "upload.toml"
    assert len(upload_name("a" * 5000)) == MAX_UPLOAD_NAME
