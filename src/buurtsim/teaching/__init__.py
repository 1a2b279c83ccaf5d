"""Teaching with buurtsim: lessons as data, prediction/observation files, and a class summary.

Pure functions, no UI: the command line (`buurtsim lessen`, `buurtsim voorspel`, `buurtsim
verzamel`) and the dashboard's lesson mode both build on them.

    lesson = get_lesson("les1")
    rec = new_record(lesson, "Anna")
    rec = set_prediction(rec, lesson, "v1", "B")            # ... one per question
    assert not missing_predictions(lesson, rec)              # predict before the run
    metrics = run_lesson(lesson, seed=7)                     # or the dashboard's own models
    rec = add_observations(rec, lesson, observe(lesson, metrics), seed=7)
    text = write(rec)                                        # JSON for the student to download
    table = collect("inleveren/")                            # the lecturer: the whole class
"""

from buurtsim.teaching.collect import CollectError, collect, plot_class, summarize, write_table
from buurtsim.teaching.lesson import (
    THEMES,
    Lesson,
    LessonError,
    LessonScenario,
    Option,
    Question,
    get_lesson,
    list_lessons,
    load_lesson,
    scenario_dir,
)
from buurtsim.teaching.observe import (
    Observation,
    observe,
    observe_question,
    read_metric,
    rehearsal_summary,
    rehearse,
    run_lesson,
    when,
)
from buurtsim.teaching.records import (
    FORMAT,
    VERSION,
    PredictionRecord,
    RecordError,
    add_observations,
    check_against_lesson,
    loads,
    missing_predictions,
    new_record,
    parse_prediction,
    read,
    set_answer,
    set_prediction,
    suggested_filename,
    write,
)

__all__ = [
    "FORMAT",
    "THEMES",
    "VERSION",
    "CollectError",
    "Lesson",
    "LessonError",
    "LessonScenario",
    "Observation",
    "Option",
    "PredictionRecord",
    "Question",
    "RecordError",
    "add_observations",
    "check_against_lesson",
    "collect",
    "get_lesson",
    "list_lessons",
    "load_lesson",
    "loads",
    "missing_predictions",
    "new_record",
    "observe",
    "observe_question",
    "parse_prediction",
    "plot_class",
    "read",
    "read_metric",
    "rehearsal_summary",
    "rehearse",
    "run_lesson",
    "scenario_dir",
    "set_answer",
    "set_prediction",
    "suggested_filename",
    "summarize",
    "when",
    "write",
    "write_table",
]
