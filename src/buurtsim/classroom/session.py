"""One class session: a lesson, a join code, students known by nickname only, their predictions
and runs, the class distribution per question, the lecturer's reveal, and the saved record.

`ClassSession` is plain, thread-safe state with no web code; the server (`classroom.server`) and
the tests drive it. Every change that matters is written to disk at once (`classroom.record`), so
stopping the server loses nothing.
"""

from __future__ import annotations

import hmac
import re
import secrets
import threading
import time
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from buurtsim.errors import UserError
from buurtsim.teaching import Lesson, parse_prediction
from buurtsim.teaching.observe import Observation

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 6
NICK_MAX = 24
NICK_PATTERN = re.compile(r"^[\w .'-]+$")
MAX_STUDENTS = 80
JOIN_WINDOW_SECONDS = 10.0
JOINS_PER_WINDOW = 40  # a whole class may join at once; a script flooding joins may not
BAD_CODES_PER_MINUTE = 10  # per client address


class ClassError(UserError):
    """A student's or lecturer's request that cannot be done; `key` names the message to show."""

    def __init__(self, key: str, status: int = 400, **kw: Any) -> None:
        super().__init__(key)
        self.key, self.status, self.kw = key, status, kw


@dataclass
class Student:
    """A student in the session: a nickname (nothing else personal), a secret token, predictions
    and at most one run."""

    nickname: str
    token: str
    joined: str
    seed: int
    predictions: dict[str, float | str] = field(default_factory=dict)
    run_state: str = "none"  # none, queued, running, done, failed
    run_seconds: float | None = None
    observations: dict[str, Observation] = field(default_factory=dict)


def new_code() -> str:
    """A random join code, easy to read aloud and type."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_nickname(raw: str) -> str:
    """A nickname as stored: Unicode-normalised, spaces collapsed; ClassError if unusable."""
    text = " ".join(unicodedata.normalize("NFKC", str(raw or "")).split())
    if not text:
        raise ClassError("nick_empty")
    if len(text) > NICK_MAX:
        raise ClassError("nick_long", max=NICK_MAX)
    if not NICK_PATTERN.match(text):
        raise ClassError("nick_chars")
    return text


def now_iso() -> str:
    """The time now, UTC, ISO 8601 to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class ClassSession:
    """The state of one class session, safe to use from many request threads at once."""

    def __init__(self, lesson: Lesson, out_dir: Path, n_residents: int, code: str | None = None,
                 lecturer_token: str | None = None, class_seed: int | None = None) -> None:
        self.lesson = lesson
        self.code = code or new_code()
        self.lecturer_token = lecturer_token or secrets.token_urlsafe(24)
        self.n_residents = int(n_residents)
        self.class_seed = int(class_seed if class_seed is not None else secrets.randbelow(2**31))
        self.started = now_iso()
        self.out_dir = Path(out_dir)
        self.stem = f"klas-{lesson.id}-{self.started[:19].replace(':', '').replace('-', '')}-{self.code}"
        self.students: dict[str, Student] = {}  # by token
        self.revealed = False
        self.reveal_state = "none"  # none, running, done, failed
        self.reference: dict[str, Observation] = {}
        self.lock = threading.RLock()
        self._joins: deque[float] = deque()
        self._bad_codes: dict[str, deque[float]] = {}
        self.save()

    # --- joining ---------------------------------------------------------------------------
    def code_ok(self, code: str, client: str = "") -> bool:
        """Whether a typed join code is right (constant-time); too many wrong ones lock a client out."""
        with self.lock:
            bad = self._bad_codes.setdefault(client, deque())
            cutoff = time.monotonic() - 60
            while bad and bad[0] < cutoff:
                bad.popleft()
            if len(bad) >= BAD_CODES_PER_MINUTE:
                raise ClassError("code_locked", status=429)
            ok = hmac.compare_digest(str(code or "").strip().upper().encode(), self.code.encode())
            if not ok:
                bad.append(time.monotonic())
            return ok

    def join(self, code: str, nickname: str, client: str = "") -> Student:
        """A student joins with the code and a nickname; ClassError says why not."""
        if not self.code_ok(code, client):
            raise ClassError("code_wrong", status=403)
        nick = clean_nickname(nickname)
        with self.lock:
            stamp = time.monotonic()
            while self._joins and self._joins[0] < stamp - JOIN_WINDOW_SECONDS:
                self._joins.popleft()
            if len(self._joins) >= JOINS_PER_WINDOW:
                raise ClassError("join_flood", status=429)
            if len(self.students) >= MAX_STUDENTS:
                raise ClassError("class_full", status=429, max=MAX_STUDENTS)
            if any(s.nickname.casefold() == nick.casefold() for s in self.students.values()):
                raise ClassError("nick_taken", status=409, nick=nick)
            self._joins.append(stamp)
            student = Student(nickname=nick, token=secrets.token_urlsafe(24), joined=now_iso(),
                              seed=secrets.randbelow(2**31))
            self.students[student.token] = student
        self.save()
        return student

    def student(self, token: str | None) -> Student | None:
        """The student with this token, or None."""
        if not token:
            return None
        with self.lock:
            return self.students.get(token)

    def is_lecturer(self, token: str | None) -> bool:
        """Whether a token is the lecturer's (constant-time)."""
        return bool(token) and hmac.compare_digest(str(token).encode(), self.lecturer_token.encode())

    # --- predicting ------------------------------------------------------------------------
    def predict(self, student: Student, qid: str, raw: Any) -> float | str:
        """Record one prediction (before the student's run only); RecordError says what is wrong."""
        if qid not in {q.id for q in self.lesson.questions}:
            raise ClassError("unknown_question", status=404)
        value = parse_prediction(self.lesson, qid, str(raw)[:40])
        with self.lock:
            if student.run_state != "none":
                raise ClassError("locked", status=409)
            student.predictions[qid] = value
        self.save()
        return value

    def missing(self, student: Student) -> list[str]:
        """Questions this student has not predicted yet."""
        return [q.id for q in self.lesson.questions if q.id not in student.predictions]

    # --- runs --------------------------------------------------------------------------------
    def mark_run(self, student: Student, state: str, observations: dict[str, Observation] | None = None,
                 seconds: float | None = None) -> None:
        """Record where a student's run is (queued, running, done, failed)."""
        with self.lock:
            student.run_state = state
            if observations is not None:
                student.observations = dict(observations)
            if seconds is not None:
                student.run_seconds = round(seconds, 2)
        if state in ("done", "failed", "queued"):
            self.save()

    def set_reference(self, state: str, observations: dict[str, Observation] | None = None) -> None:
        """The lecturer's reference run (the class seed): its state and, when done, its outcomes."""
        with self.lock:
            self.reveal_state = state
            if observations is not None:
                self.reference = dict(observations)
                self.revealed = True
        self.save()

    # --- what the lecturer sees --------------------------------------------------------------
    def distribution(self) -> list[dict[str, Any]]:
        """Per question, how the class predicted: counts per option, or the numbers and their spread."""
        out = []
        with self.lock:
            students = list(self.students.values())
        for q in self.lesson.questions:
            preds = [s.predictions[q.id] for s in students if q.id in s.predictions]
            item: dict[str, Any] = {"id": q.id, "text": q.text, "kind": q.kind, "n": len(preds), "unit": q.display_unit}
            if q.kind == "value":
                nums = sorted(float(p) for p in preds)
                item["values"] = nums
                if nums:
                    item["median"] = nums[len(nums) // 2] if len(nums) % 2 else (nums[len(nums) // 2 - 1] + nums[len(nums) // 2]) / 2
            else:
                item["options"] = [{"key": o.key, "label": o.label, "count": sum(1 for p in preds if p == o.key)}
                                   for o in self.lesson.options(q.id)]
            ref = self.reference.get(q.id) if self.revealed else None
            if ref is not None:
                item["outcome"] = ref.value
                item["outcome_text"] = ref.text
            out.append(item)
        return out

    def overview(self) -> dict[str, Any]:
        """Counts for the lecturer: joined, predicted everything, runs queued/running/done."""
        with self.lock:
            students = list(self.students.values())
        states = [s.run_state for s in students]
        return {
            "joined": len(students),
            "predicted": sum(1 for s in students if not self.missing(s)),
            "queued": states.count("queued"), "running": states.count("running"), "done": states.count("done"),
            "failed": states.count("failed"), "nicknames": sorted(s.nickname for s in students),
            "revealed": self.revealed, "reveal_state": self.reveal_state,
        }

    # --- the record --------------------------------------------------------------------------
    def record(self) -> dict[str, Any]:
        """Everything about the session that is worth keeping (no tokens)."""
        with self.lock:
            students = [
                {"nickname": s.nickname, "joined": s.joined, "seed": s.seed, "predictions": dict(s.predictions),
                 "run": s.run_state, "run_seconds": s.run_seconds,
                 "observations": {k: o.model_dump() for k, o in s.observations.items()}}
                for s in self.students.values()
            ]
            return {
                "format": "buurtsim-class-record", "version": 1, "title": f"{self.lesson.id}: {self.lesson.title}",
                "lesson": self.lesson.id, "code": self.code, "started": self.started, "saved": now_iso(),
                "n_residents": self.n_residents, "class_seed": self.class_seed, "revealed": self.revealed,
                "reference": {k: o.model_dump() for k, o in self.reference.items()},
                "students": students,
            }

    def rows(self) -> list[dict[str, Any]]:
        """One row per student and question (for CSV and Markdown)."""
        rows = []
        with self.lock:
            students = list(self.students.values())
        for s in students:
            for q in self.lesson.questions:
                obs = s.observations.get(q.id)
                pred = s.predictions.get(q.id, "")
                hit: str | bool = ""
                if obs is not None and pred != "" and q.kind != "value":
                    hit = pred == obs.value
                rows.append({"lesson": self.lesson.id, "code": self.code, "student": s.nickname, "question": q.id,
                             "prediction": pred, "outcome": "" if obs is None else obs.value, "hit": hit,
                             "seed": s.seed, "run_seconds": s.run_seconds if s.run_seconds is not None else ""})
        return rows

    def save(self) -> list[Path]:
        """Write the record (JSON, CSV, Markdown) now; files are replaced atomically."""
        from buurtsim.classroom.record import save_record

        with self.lock:
            return save_record(self.out_dir, self.stem, self.record(), self.rows())
