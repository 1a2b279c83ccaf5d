"""The class session's web server (Starlette): a join page, a student page, a lecturer page, and
their small JSON APIs. Plain HTML and a little script, all served from here (no CDN).

Without the join code nothing but the join page (and its stylesheet) is reachable: the student
pages need the cookie a successful join sets, the lecturer pages the lecturer's own token. Cookies
are HttpOnly and SameSite=Strict; the pages fill in text with textContent, never as markup.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from buurtsim.classroom.runs import REFERENCE, RunQueue
from buurtsim.classroom.session import ClassError, ClassSession, Student
from buurtsim.classroom.texts import LANGS, bundle, t
from buurtsim.teaching import RecordError
from buurtsim.teaching.observe import Observation
from buurtsim.teaching.records import number_text as _num

STUDENT_COOKIE = "bs_student"
LECTURER_COOKIE = "bs_lecturer"
LANG_COOKIE = "bs_lang"
MAX_BODY = 4096

CSS = """
body { font-family: system-ui, Arial, sans-serif; margin: 0 auto; max-width: 900px; padding: 12px; color: #111; }
h1 { font-size: 1.4em; } .muted { color: #555; font-size: .9em; } .err { color: #b00020; }
label { display: block; margin: 8px 0 2px; } input[type=text] { font-size: 1.1em; padding: 6px; width: min(100%, 320px); }
button { font-size: 1em; padding: 8px 14px; margin: 8px 8px 8px 0; cursor: pointer; }
.q { border: 1px solid #ccc; border-radius: 6px; padding: 10px; margin: 10px 0; }
.bar { background: #0072B2; height: 14px; display: inline-block; vertical-align: middle; }
.row { margin: 3px 0; } .status { font-weight: bold; margin: 10px 0; } .hit { color: #006400; }
.outcome { background: #eef6ff; padding: 6px; margin-top: 6px; }
"""


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE) or "nl"
    return lang if lang in LANGS else "nl"


def _page(title: str, lang: str, body: str, script: str = "") -> HTMLResponse:
    texts = json.dumps(bundle(lang)).replace("<", "\\u003c")
    html = (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>{body}"
            f"<script>const T = {texts};\n{script}</script></body></html>")
    resp = HTMLResponse(html, headers={"Cache-Control": "no-store", "X-Frame-Options": "DENY",
                                       "Content-Security-Policy": "default-src 'self'; style-src 'unsafe-inline'; "
                                       "script-src 'unsafe-inline'; connect-src 'self'"})
    resp.set_cookie(LANG_COOKIE, lang, httponly=True, samesite="strict")
    return resp


def _error(key: str, lang: str, status: int, **kw: Any) -> JSONResponse:
    return JSONResponse({"error": key, "message": t(key, lang, **kw)}, status_code=status)


def prediction_message(exc: RecordError, lang: str) -> str:
    """A prediction problem in the page's language."""
    problem = getattr(exc, "problem", "number")
    if problem == "range":
        return t("err_range", lang, value=_num(float(exc.got), lang), lo=_num(exc.lo, lang), hi=_num(exc.hi, lang),  # type: ignore[attr-defined]
                 unit=getattr(exc, "unit", "")).rstrip()
    if problem == "choice":
        return t("err_choice", lang)
    return t("err_number", lang, unit=getattr(exc, "unit", "") or "")


def _obs(o: Observation) -> dict[str, Any]:
    return {"value": o.value, "text": o.text}


class ClassServer:
    """The web side of one class session: routes over a ClassSession and its RunQueue."""

    def __init__(self, session: ClassSession, parallel: int = 2, queue: RunQueue | None = None,
                 public_url: str = "") -> None:
        self.session = session
        self.public_url = public_url
        self.queue = queue or RunQueue(parallel, self._run_started, self._run_done, self._run_failed)
        self.app = Starlette(routes=[
            Route("/", self.join_page), Route("/join", self.join, methods=["POST"]),
            Route("/student", self.student_page), Route("/api/student", self.student_state),
            Route("/api/student/predict", self.predict, methods=["POST"]),
            Route("/api/student/run", self.run, methods=["POST"]),
            Route("/docent", self.lecturer_page), Route("/api/docent", self.lecturer_state),
            Route("/api/docent/reveal", self.reveal, methods=["POST"]),
            Route("/api/docent/record.json", self.record_json), Route("/api/docent/record.csv", self.record_csv),
        ])

    # --- run callbacks ------------------------------------------------------------------------
    def _who(self, key: str) -> Student | None:
        return None if key == REFERENCE else self.session.student(key)

    def _run_started(self, key: str) -> None:
        student = self._who(key)
        if key == REFERENCE:
            self.session.set_reference("running")
        elif student is not None:
            self.session.mark_run(student, "running")

    def _run_done(self, key: str, outcomes: dict[str, Observation], seconds: float) -> None:
        student = self._who(key)
        if key == REFERENCE:
            self.session.set_reference("done", outcomes)
        elif student is not None:
            self.session.mark_run(student, "done", outcomes, seconds)

    def _run_failed(self, key: str, message: str) -> None:
        student = self._who(key)
        if key == REFERENCE:
            self.session.set_reference("failed")
        elif student is not None:
            self.session.mark_run(student, "failed")

    # --- helpers ------------------------------------------------------------------------------
    def _student(self, request: Request) -> Student | None:
        return self.session.student(request.cookies.get(STUDENT_COOKIE))

    def _lecturer(self, request: Request) -> bool:
        return self.session.is_lecturer(request.cookies.get(LECTURER_COOKIE))

    @staticmethod
    async def _json(request: Request) -> dict[str, Any] | None:
        declared = request.headers.get("content-length", "0")
        if not declared.isdigit() or int(declared) > MAX_BODY:  # refuse before reading a big body
            return None
        body = b""
        async for chunk in request.stream():  # also bounds a body sent without a length
            body += chunk
            if len(body) > MAX_BODY:
                return None
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    # --- join -------------------------------------------------------------------------------
    async def join_page(self, request: Request) -> Response:
        lang = _lang(request)
        other = "en" if lang == "nl" else "nl"
        body = (f"<h1>{escape(t('title', lang))}</h1><p>{escape(t('join_intro', lang))}</p>"
                '<form id="join"><label for="code">' + escape(t("code", lang)) + "</label>"
                '<input type="text" id="code" name="code" autocomplete="off" autocapitalize="characters" maxlength="12">'
                '<label for="nick">' + escape(t("nickname", lang)) + "</label>"
                '<input type="text" id="nick" name="nickname" autocomplete="off" maxlength="40">'
                f'<div><button type="submit" id="join-button">{escape(t("join", lang))}</button></div>'
                '<p id="join-error" class="err" role="alert"></p></form>'
                f'<p><a href="/?lang={other}">{escape(t("other_lang", lang))}</a></p>')
        script = """
document.getElementById('join').addEventListener('submit', async (e) => {
  e.preventDefault();
  const r = await fetch('/join', {method: 'POST', headers: {'Content-Type': 'application/json'},
    body: JSON.stringify({code: document.getElementById('code').value, nickname: document.getElementById('nick').value})});
  const d = await r.json().catch(() => ({message: T.bad_request}));
  if (r.ok) { window.location = '/student'; } else { document.getElementById('join-error').textContent = d.message; }
});"""
        return _page(t("title", lang), lang, body, script)

    async def join(self, request: Request) -> Response:
        lang = _lang(request)
        data = await self._json(request)
        if data is None:
            return _error("bad_request", lang, 400)
        client = request.client.host if request.client else ""
        try:
            student = self.session.join(str(data.get("code", "")), str(data.get("nickname", ""))[:200], client)
        except ClassError as exc:
            return _error(exc.key, lang, exc.status, **exc.kw)
        resp = JSONResponse({"ok": True, "nickname": student.nickname})
        resp.set_cookie(STUDENT_COOKIE, student.token, httponly=True, samesite="strict")
        return resp

    # --- student ----------------------------------------------------------------------------
    async def student_page(self, request: Request) -> Response:
        lang = _lang(request)
        if self._student(request) is None:
            return RedirectResponse("/", status_code=303)
        les = self.session.lesson
        body = (f"<h1>{escape(les.title)}</h1><p id='hello' class='muted'></p><p>{escape(t('predict_intro', lang))}</p>"
                "<div id='questions'></div><p id='missing' class='muted'></p>"
                f"<button id='run'>{escape(t('run', lang))}</button><div id='status' class='status'></div>"
                f"<p id='reveal-wait' class='muted'>{escape(t('waiting_reveal', lang))}</p>")
        return _page(les.title, lang, body, _STUDENT_JS)

    async def student_state(self, request: Request) -> Response:
        lang = _lang(request)
        student = self._student(request)
        if student is None:
            return _error("not_joined", lang, 401)
        s = self.session
        questions = []
        for q in s.lesson.questions:
            item: dict[str, Any] = {"id": q.id, "text": q.text, "hint": q.hint, "kind": q.kind, "unit": q.display_unit,
                                    "options": [{"key": o.key, "label": o.label} for o in s.lesson.options(q.id)],
                                    "prediction": student.predictions.get(q.id)}
            if q.id in student.observations:
                item["outcome"] = _obs(student.observations[q.id])
            if s.revealed and q.id in s.reference:
                item["class_outcome"] = _obs(s.reference[q.id])
            questions.append(item)
        return JSONResponse({
            "nickname": student.nickname, "questions": questions, "missing": s.missing(student),
            "run": student.run_state, "position": self.queue.position(student.token),
            "seconds": student.run_seconds, "n": s.n_residents, "revealed": s.revealed,
        }, headers={"Cache-Control": "no-store"})

    async def predict(self, request: Request) -> Response:
        lang = _lang(request)
        student = self._student(request)
        if student is None:
            return _error("not_joined", lang, 401)
        data = await self._json(request)
        if data is None:
            return _error("bad_request", lang, 400)
        try:
            value = self.session.predict(student, str(data.get("question", "")), data.get("value", ""))
        except ClassError as exc:
            return _error(exc.key, lang, exc.status, **exc.kw)
        except RecordError as exc:
            return JSONResponse({"error": "prediction", "message": prediction_message(exc, lang)}, status_code=400)
        return JSONResponse({"ok": True, "value": value})

    async def run(self, request: Request) -> Response:
        lang = _lang(request)
        student = self._student(request)
        if student is None:
            return _error("not_joined", lang, 401)
        missing = self.session.missing(student)
        if missing:
            return _error("missing", lang, 409, ids=", ".join(missing))
        if student.run_state in ("queued", "running", "done"):  # one run per student
            return JSONResponse({"ok": True, "run": student.run_state, "position": self.queue.position(student.token)})
        self.session.mark_run(student, "queued")
        pos = self.queue.submit(student.token, self.session.lesson, student.seed, self.session.n_residents)
        return JSONResponse({"ok": True, "run": "queued", "position": pos})

    # --- lecturer -----------------------------------------------------------------------------
    async def lecturer_page(self, request: Request) -> Response:
        lang = _lang(request)
        token = request.query_params.get("token")
        if token is not None:
            if not self.session.is_lecturer(token):
                return PlainTextResponse(t("not_lecturer", lang), status_code=403)
            resp: Response = RedirectResponse("/docent", status_code=303)  # the token leaves the address bar
            resp.set_cookie(LECTURER_COOKIE, token, httponly=True, samesite="strict")
            return resp
        if not self._lecturer(request):
            return PlainTextResponse(t("not_lecturer", lang), status_code=403)
        s = self.session
        url = self.public_url or str(request.base_url)
        body = (f"<h1>{escape(t('lecturer', lang))}: {escape(s.lesson.title)}</h1>"
                f"<p class='join-info'>{escape(t('lecturer_intro', lang, url=url, code=s.code))}</p>"
                f"<p style='font-size:2.5em;letter-spacing:.15em' id='code'>{escape(s.code)}</p>"
                "<div id='overview' class='status'></div>"
                f"<button id='reveal'>{escape(t('reveal', lang))}</button><span id='reveal-state'></span>"
                f"<p><a href='/api/docent/record.json' download>{escape(t('download_json', lang))}</a> · "
                f"<a href='/api/docent/record.csv' download>{escape(t('download_csv', lang))}</a></p>"
                "<div id='dist'></div>"
                f"<h2>{escape(t('students', lang))}</h2><p id='students' class='muted'></p>")
        return _page(t("lecturer", lang), lang, body, _LECTURER_JS)

    async def lecturer_state(self, request: Request) -> Response:
        lang = _lang(request)
        if not self._lecturer(request):
            return _error("not_lecturer", lang, 403)
        return JSONResponse({"overview": self.session.overview(), "questions": self.session.distribution(),
                             "queue": len(self.queue)}, headers={"Cache-Control": "no-store"})

    async def reveal(self, request: Request) -> Response:
        lang = _lang(request)
        if not self._lecturer(request):
            return _error("not_lecturer", lang, 403)
        s = self.session
        if s.reveal_state in ("none", "failed"):
            s.set_reference("queued")
            self.queue.submit(REFERENCE, s.lesson, s.class_seed, s.n_residents, first=True)
        return JSONResponse({"ok": True, "state": s.reveal_state})

    async def record_json(self, request: Request) -> Response:
        if not self._lecturer(request):
            return _error("not_lecturer", _lang(request), 403)
        self.session.save()
        return Response(json.dumps(self.session.record(), ensure_ascii=False, indent=1, default=str),
                        media_type="application/json",
                        headers={"Content-Disposition": f'attachment; filename="{self.session.stem}.json"'})

    async def record_csv(self, request: Request) -> Response:
        from buurtsim.classroom.record import csv_text

        if not self._lecturer(request):
            return _error("not_lecturer", _lang(request), 403)
        self.session.save()
        return Response(csv_text(self.session.rows()), media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{self.session.stem}.csv"'})

    def close(self) -> None:
        """Save the record one last time and stop the runs."""
        self.session.save()
        self.queue.stop()


_STUDENT_JS = """
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
let built = false;
async function post(url, data) {
  const r = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(data)});
  return [r, await r.json().catch(() => ({message: T.bad_request}))];
}
function build(state) {
  const box = document.getElementById('questions');
  box.textContent = '';
  for (const q of state.questions) {
    const card = el('div', 'q'); card.id = 'q-' + q.id;
    card.appendChild(el('div', '', q.id + '. ' + q.text));
    if (q.hint) card.appendChild(el('div', 'muted', q.hint));
    const lab = el('label', '', q.id + ': ' + T.your_prediction);
    card.appendChild(lab);
    if (q.kind === 'value') {
      const inp = el('input'); inp.type = 'text'; inp.className = 'pred'; inp.dataset.q = q.id; inp.maxLength = 20;
      if (q.prediction !== null && q.prediction !== undefined) inp.value = q.prediction;
      inp.addEventListener('change', () => send(q.id, inp.value));
      card.appendChild(inp); card.appendChild(el('span', 'muted', ' ' + q.unit));
    } else {
      for (const o of q.options) {
        const l = el('label'); const r = el('input'); r.type = 'radio'; r.name = 'q-' + q.id; r.value = o.key;
        r.className = 'pred'; r.dataset.q = q.id; r.checked = q.prediction === o.key;
        r.addEventListener('change', () => send(q.id, o.key));
        l.appendChild(r); l.appendChild(document.createTextNode(' ' + o.label)); card.appendChild(l);
      }
    }
    card.appendChild(el('div', 'err msg'));
    card.appendChild(el('div', 'outcome-box'));
    box.appendChild(card);
  }
  built = true;
}
async function send(qid, value) {
  const [r, d] = await post('/api/student/predict', {question: qid, value: value});
  const msg = document.querySelector('#q-' + qid + ' .msg');
  msg.className = r.ok ? 'muted msg' : 'err msg';
  msg.textContent = r.ok ? T.saved : d.message;
  refresh();
}
document.getElementById('run').addEventListener('click', async () => {
  const [r, d] = await post('/api/student/run', {});
  if (!r.ok) document.getElementById('status').textContent = d.message;
  refresh();
});
function fill(state) {
  document.getElementById('hello').textContent = T.hello.replace('{nick}', state.nickname);
  document.getElementById('missing').textContent = state.missing.length ? T.missing.replace('{ids}', state.missing.join(', ')) : '';
  const locked = state.run !== 'none';
  document.querySelectorAll('.pred').forEach(i => { i.disabled = locked; });
  document.getElementById('run').disabled = locked || state.missing.length > 0;
  const st = document.getElementById('status');
  const texts = {none: T.run_none, queued: T.run_queued.replace('{pos}', state.position), running: T.run_running.replace('{n}', state.n),
                 done: T.run_done.replace('{s}', state.seconds), failed: T.run_failed};
  if (!st.dataset.error) st.textContent = texts[state.run] || '';
  st.dataset.state = state.run;
  for (const q of state.questions) {
    const box = document.querySelector('#q-' + q.id + ' .outcome-box');
    box.textContent = '';
    if (q.outcome) box.appendChild(el('div', 'outcome mine', T.outcome + ': ' + q.outcome.text));
    if (q.class_outcome) box.appendChild(el('div', 'outcome class', T.class_outcome + ': ' + q.class_outcome.text));
  }
  document.getElementById('reveal-wait').style.display = state.revealed ? 'none' : '';
}
async function refresh() {
  const r = await fetch('/api/student', {cache: 'no-store'});
  if (r.status === 401) { window.location = '/'; return; }
  const state = await r.json();
  if (!built) build(state);
  fill(state);
}
refresh(); setInterval(refresh, 2000);
"""

_LECTURER_JS = """
const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; };
document.getElementById('reveal').addEventListener('click', async () => {
  await fetch('/api/docent/reveal', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'});
  refresh();
});
function bar(label, count, total) {
  const row = el('div', 'row');
  const b = el('span', 'bar'); b.style.width = (total ? Math.round(240 * count / total) : 0) + 'px';
  row.appendChild(el('span', 'lbl', label + ' ')); row.appendChild(b); row.appendChild(el('span', 'cnt', ' ' + count));
  return row;
}
function render(state) {
  const o = state.overview;
  document.getElementById('overview').textContent = T.joined.replace('{n}', o.joined) + ' · ' + T.predicted.replace('{n}', o.predicted)
    + ' · ' + T.runs.replace('{q}', o.queued).replace('{r}', o.running).replace('{d}', o.done).replace('{f}', o.failed);
  document.getElementById('students').textContent = o.nicknames.join(', ');
  document.getElementById('reveal-state').textContent = o.revealed ? ' ' + T.revealed : (o.reveal_state === 'running' || o.reveal_state === 'queued' ? ' ' + T.reveal_running : '');
  const box = document.getElementById('dist'); box.textContent = '';
  for (const q of state.questions) {
    const card = el('div', 'q'); card.id = 'dist-' + q.id; card.dataset.n = q.n;
    card.appendChild(el('div', '', q.id + '. ' + q.text));
    card.appendChild(el('div', 'muted n', T.predictions_n.replace('{n}', q.n)));
    if (q.kind === 'value') {
      const vals = q.values;
      if (vals.length) {
        const lo = vals[0], hi = vals[vals.length - 1], bins = 6, w = (hi - lo) / bins || 1;
        const counts = new Array(bins).fill(0);
        for (const v of vals) counts[Math.min(bins - 1, Math.floor((v - lo) / w))] += 1;
        const num = x => String(Math.round(x * 10) / 10).replace('.', T.decimal);
        counts.forEach((c, i) => card.appendChild(bar(num(lo + i * w) + '–' + num(lo + (i + 1) * w) + ' ' + q.unit, c, vals.length)));
        card.appendChild(el('div', 'muted median', T.median.replace('{m}', num(q.median)).replace('{unit}', q.unit)));
      }
    } else {
      for (const opt of q.options) { const r = bar(opt.label, opt.count, q.n); r.dataset.key = opt.key; card.appendChild(r); }
    }
    if (q.outcome_text) card.appendChild(el('div', 'outcome', T.model_says.replace('{text}', q.outcome_text)));
    box.appendChild(card);
  }
}
async function refresh() {
  const r = await fetch('/api/docent', {cache: 'no-store'});
  if (r.ok) render(await r.json());
}
refresh(); setInterval(refresh, 2000);
"""


def serve(server: ClassServer, host: str, port: int, on_close: Callable[[], None] | None = None) -> None:
    """Run the server until Ctrl-C or SIGTERM; the record is saved on the way out (and after every
    change), then `on_close` runs (uvicorn re-raises the signal afterwards, so nothing after this does)."""
    import uvicorn

    config = uvicorn.Config(server.app, host=host, port=port, log_level="warning", access_log=False,
                            timeout_graceful_shutdown=3)
    try:
        uvicorn.Server(config).run()
    finally:
        server.close()
        if on_close is not None:
            on_close()
