"""Subcommands for teaching: `lessen` (list), `les` (show one), `voorspel` (predict, run, observe,
save the file) and `verzamel` (a class's files against the outcomes). English aliases: `lessons`,
`lesson`, `predict`, `collect`. `--lang en` gives the whole output in English, lesson texts included
(`Lesson.localized`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from buurtsim.cli.options import LangOpt
from buurtsim.errors import UserError
from buurtsim.formatting import check_lang, pick
from buurtsim.limits import MAX_SEED, shorten
from buurtsim.safe_io import check_output_file
from buurtsim.scenario.library import shipped_doc

if TYPE_CHECKING:  # the teaching package loads the model; commands import it when they run
    from buurtsim.teaching.lesson import Lesson

console = Console()


def _rich(text: str) -> str:
    """Lesson text as rich markup: escaped, with `*word*` (a Dutch domain word in English text) in italics."""
    return re.sub(r"\*([^*\[\]]+)\*", r"[italic]\1[/italic]", escape(text))


def lessons_cmd(lang: LangOpt = "nl") -> None:
    """List the lessons: id, title, duration, themes and scenarios."""
    from buurtsim.teaching import list_lessons

    check_lang(lang)
    table = Table(title=pick(lang, "buurtsim: lessen", "buurtsim: lessons"))
    for col in (("id", "id"), ("titel", "title"), ("duur", "duration"), ("thema's", "themes"), ("scenario's", "scenarios"), ("vragen", "questions")):
        table.add_column(pick(lang, *col))
    for les in (x.localized(lang) for x in list_lessons()):
        table.add_row(
            les.id, _rich(les.title), f"{les.duration_min} min", ", ".join(les.theme_labels),
            ", ".join(s.file for s in les.scenarios), str(len(les.questions)),
        )
    console.print(table)
    console.print(pick(lang, f"Meer over een les: [bold]buurtsim les ID[/]; docentenhandleiding: {_doc('docentenhandleiding.md')}",
                       f"More about a lesson: [bold]buurtsim les ID --lang en[/]; lecturer's guide (Dutch): {_doc('docentenhandleiding.md')}"))


def _doc(name: str) -> str:
    """Where a lesson text or guide under docs/teaching/ is on this machine (the installed copy)."""
    path = shipped_doc(f"teaching/{name}")
    return escape(str(path)) if path is not None else f"docs/teaching/{name} (niet gevonden / not found)"


def _question_lines(lesson: Lesson) -> list[str]:
    lang = lesson.lang
    lines = []
    for q in lesson.questions:
        scen = " vs ".join(f"{escape(lesson.scenario(k).label)} ({k})" for k in q.scenarios)
        lines.append(f"[bold]{q.id}[/] ({q.kind}, {q.metric}, week {q.tick}, {scen}): {_rich(q.text)}")
        opts = lesson.options(q.id)
        answer = pick(lang, "antwoord", "answer")
        if opts:
            lines.append(f"    {answer}: " + " | ".join(f"{o.key} = {escape(o.label)}" for o in opts))
        else:
            unit = q.display_unit or pick(lang, "de eenheid van de uitkomst", "the outcome's unit")
            lines.append(f"    {answer}: " + pick(lang, f"een getal in {unit}", f"a number in {unit}"))
    return lines


def lesson_cmd(
    lesson_id: Annotated[str, typer.Argument(help="Lesson id, e.g. les1 (see `buurtsim lessen`).")],
    rehearse_runs: Annotated[int, typer.Option("--proef", "--rehearse", min=0, max=50, help="Dress rehearsal: run the lesson with this many seeds (1, 2, ...) and show how the outcomes vary.")] = 0,
    lang: LangOpt = "nl",
) -> None:
    """Show a lesson: learning goals, scenarios, prediction questions, discussion questions."""
    from buurtsim.teaching import get_lesson

    les = get_lesson(lesson_id).localized(check_lang(lang))
    if rehearse_runs:
        _rehearse(les, rehearse_runs)
        return
    console.print(f"[bold]{les.id}: {_rich(les.title)}[/] ({les.duration_min} min; {pick(lang, 'thema', 'themes')}: {', '.join(les.theme_labels)})")
    console.print(_rich(les.summary))
    console.print(pick(lang, f"Lestekst: {_doc(les.doc)}", f"Lesson text (Dutch): {_doc(les.doc)}"))
    _bullets(pick(lang, "Leerdoelen", "Learning goals"), les.learning_goals)
    console.print(pick(lang, "\n[bold]Scenario's[/] (scenarios/lessen/)", "\n[bold]Scenarios[/] (scenarios/lessen/)"))
    for s in les.scenarios:
        console.print(f"  {s.key}: {escape(s.label)} ({s.file})")
    console.print(pick(lang, f"\n[bold]Voorspelvragen[/] (de runs duren {les.run_weeks} weken)",
                       f"\n[bold]Prediction questions[/] (the runs last {les.run_weeks} weeks)"))
    for line in _question_lines(les):
        console.print("  " + line)
    _bullets(pick(lang, "Nabespreking", "Discussion"), les.discussion)
    _bullets(pick(lang, "Wat het model weglaat", "What the model leaves out"), les.leaves_out)


def _bullets(title: str, items: list[str]) -> None:
    console.print(f"\n[bold]{title}[/]")
    for item in items:
        console.print(f"  - {_rich(item)}")


def _rehearse(les: Lesson, runs: int) -> None:
    from buurtsim.teaching import rehearsal_summary, rehearse, when

    lang = les.lang
    console.print(pick(lang, f"Proefdraaien van {les.id}: {runs} run(s) van {len(les.scenarios)} scenario's, {les.run_weeks} weken ...",
                       f"Rehearsing {les.id}: {runs} run(s) of {len(les.scenarios)} scenarios, {les.run_weeks} weeks ..."))
    table = rehearse(les, list(range(1, runs + 1)), progress=lambda i, n: console.print(pick(lang, f"  run {i}/{n} klaar", f"  run {i}/{n} done")))
    summary = rehearsal_summary(les, table)
    t = Table(title=pick(lang, f"{les.id}: uitkomsten over {runs} seed(s)", f"{les.id}: outcomes over {runs} seed(s)"))
    for col in (("vraag", "question"), ("uitkomstmaat", "outcome measure"), ("week", "week"), ("uitkomsten", "outcomes")):
        t.add_column(pick(lang, *col))
    for _, r in summary.iterrows():
        t.add_row(*(Text(c) for c in (str(r["question"]), str(r["metric"]), when(int(r["tick"]), lang), str(r["outcomes"]))))
    console.print(t)


def _parse_answers(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise UserError(f"--antwoord {item!r}: expected QUESTION=VALUE, e.g. v1=B or v2=55")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def predict_cmd(
    lesson_id: Annotated[str, typer.Argument(help="Lesson id, e.g. les1.")],
    name: Annotated[str, typer.Option("--naam", "--name", help="Student name (stored in the file).")],
    group: Annotated[str, typer.Option("--groep", "--group", help="Class or group (optional).")] = "",
    answers: Annotated[list[str] | None, typer.Option("--antwoord", "--answer", "-a", help="A prediction QUESTION=VALUE; repeat per question. Missing ones are asked interactively.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed of the run (default: a fresh one, stored in the file).")] = None,
    out: Annotated[Path | None, typer.Option("--uit", "--out", "-o", help="Prediction file to write (default: LESSON_NAME.json here).")] = None,
    lang: LangOpt = "nl",
) -> None:
    """Predict first, then run the lesson's scenarios, compare and save a prediction file."""
    from buurtsim.teaching import (
        add_observations,
        get_lesson,
        missing_predictions,
        new_record,
        observe,
        run_lesson,
        set_prediction,
        suggested_filename,
        write,
    )

    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise UserError(f"--seed: expected a whole number from 0 to {MAX_SEED:,}; given: {seed}")
    les = get_lesson(lesson_id).localized(check_lang(lang))
    rec = new_record(les, name, group)
    path = check_output_file(out if out is not None else Path(suggested_filename(rec)), "--uit", suggested_filename(rec))
    given = _parse_answers(answers or [])
    for qid in given:
        les.question(qid)
    for q in les.questions:
        if q.id in given:
            rec = set_prediction(rec, les, q.id, given[q.id])
    missing = missing_predictions(les, rec)
    if missing and not sys.stdin.isatty():
        raise UserError(f"lesson {les.id}: no prediction for {', '.join(missing)}; give --antwoord ID=VALUE for each (see `buurtsim les {les.id}`)")
    for qid in missing:
        q = les.question(qid)
        console.print(f"\n[bold]{q.id}[/]: {_rich(q.text)}")
        opts = les.options(qid)
        if opts:
            console.print("  " + " | ".join(f"{o.key} = {escape(o.label)}" for o in opts))
        while True:
            raw = typer.prompt(pick(lang, "  jouw voorspelling", "  your prediction"))
            try:
                rec = set_prediction(rec, les, qid, raw)
                break
            except UserError as exc:
                console.print(Text(f"  {exc}", style="red"))
    if seed is None:
        import numpy as np

        seed = int(np.random.SeedSequence().entropy % (2**31))  # type: ignore[operator]
    console.print(pick(lang, f"\nVoorspellingen vastgelegd. Het model draait ({len(les.scenarios)} scenario's, {les.run_weeks} weken, seed {seed}) ...",
                       f"\nPredictions recorded. The model runs ({len(les.scenarios)} scenarios, {les.run_weeks} weeks, seed {seed}) ..."))
    metrics = run_lesson(les, seed=seed)
    obs = observe(les, metrics)
    rec = add_observations(rec, les, obs, seed=seed)
    table = Table(title=pick(lang, f"{les.id}: voorspeld en waargenomen", f"{les.id}: predicted and observed"))
    for col in (("vraag", "question"), ("voorspeld", "predicted"), ("uitkomst", "outcome"), ("wat het model liet zien", "what the model showed")):
        table.add_column(pick(lang, *col))
    for q in les.questions:
        p, o = rec.predictions[q.id].value, obs[q.id].value
        fmt = (lambda x: f"{x:.3g}") if q.kind == "value" else str
        table.add_row(*(Text(c) for c in (q.id, fmt(p), fmt(o), obs[q.id].text)))  # type: ignore[operator]
    console.print(table)
    write(rec, path)
    console.print(Text(pick(lang, f"Opgeslagen: {path}  (lever dit bestand in bij je docent)", f"Saved: {path}  (hand this file in to your lecturer)")))
    console.print(pick(lang, "Verklaar nu met de mechanismen van het model waarom de uitkomst is zoals hij is (zie het werkblad).",
                       "Now explain with the model's mechanisms why the outcome is as it is (see the worksheet)."))


def collect_cmd(
    folder: Annotated[Path, typer.Argument(help="Folder with the students' prediction files (*.json).")],
    out: Annotated[Path | None, typer.Option("--uit", "--out", "-o", help="Write the full table (one row per student per question): .csv, .md or .json.")] = None,
    figure: Annotated[Path | None, typer.Option("--figuur", "--figure", help="Write a figure (PNG) of predictions against outcomes.")] = None,
    skip_invalid: Annotated[bool, typer.Option("--sla-ongeldige-over", "--skip-invalid", help="Skip invalid files (listed) instead of stopping.")] = False,
    lang: LangOpt = "nl",
) -> None:
    """Collect a class's prediction files: predictions against the outcomes, per question."""
    from buurtsim.teaching import collect, plot_class, summarize, write_table

    check_lang(lang)
    if out is not None:
        check_output_file(out, "--uit", "klas.csv")
    if figure is not None:
        check_output_file(figure, "--figuur", "klas.png")
    warnings: list[str] = []
    table = collect(folder, skip_invalid=skip_invalid, warnings=warnings)
    for w in warnings:
        console.print(Text.assemble((pick(lang, "overgeslagen: ", "skipped: "), "yellow"), shorten(w, 400)))
    summary = summarize(table, lang=lang)
    files = table["file"].nunique()
    students = table["student"].nunique()
    t = Table(title=Text(pick(lang, f"{folder}: {files} bestand(en), {students} student(en)", f"{folder}: {files} file(s), {students} student(s)")))
    for col in (("les", "lesson"), ("vraag", "question"), ("uitkomstmaat", "outcome measure"), ("week", "week"), ("voorspeld", "predicted"),
                ("uitkomst (runs)", "outcome (runs)"), ("raak / fout", "right / wrong")):
        t.add_column(pick(lang, *col))
    for _, r in summary.iterrows():
        if r["kind"] == "value":
            score = pick(lang, f"gem. afwijking {r['mean_abs_error']:.3g} {r['unit']}", f"mean error {r['mean_abs_error']:.3g} {r['unit']}").rstrip()
        else:
            score = (pick(lang, f"{r['share_hit']:.0%} goed voorspeld", f"{r['share_hit']:.0%} predicted right")
                     if r["share_hit"] == r["share_hit"] else "-")
        t.add_row(*(Text(str(c)) for c in (r["lesson"], r["question"], r["metric"], r["tick"], r["predicted"], r["observed"], score)))
    console.print(t)
    if out is not None:
        write_table(table, out)
        console.print(Text(pick(lang, f"Tabel geschreven: {out}", f"Table written: {out}")))
    if figure is not None:
        plot_class(table, figure, lang=lang)
        console.print(Text(pick(lang, f"Figuur geschreven: {figure}", f"Figure written: {figure}")))


def register(app: typer.Typer) -> None:
    """Add the teaching subcommands (Dutch names, English aliases hidden) to the app."""
    app.command("lessen", help="Lijst van de lessen (lessons).")(lessons_cmd)
    app.command("lessons", hidden=True)(lessons_cmd)
    app.command("les", help="Toon een les: leerdoelen, scenario's, voorspelvragen (lesson).")(lesson_cmd)
    app.command("lesson", hidden=True)(lesson_cmd)
    app.command("voorspel", help="Voorspel, draai de les en bewaar het voorspelbestand (predict).")(predict_cmd)
    app.command("predict", hidden=True)(predict_cmd)
    app.command("verzamel", help="Verzamel de voorspelbestanden van een klas (collect).")(collect_cmd)
    app.command("collect", hidden=True)(collect_cmd)
