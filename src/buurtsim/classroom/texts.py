"""Everything the class pages say, in Dutch ('nl', the default) and English ('en'); one language
per page, messages included."""

from __future__ import annotations

from typing import Any

LANGS = ("nl", "en")

TEXT: dict[str, tuple[str, str]] = {
    "title": ("buurtsim in de klas", "buurtsim in class"),
    "join_intro": ("Vul de code van je docent in en een bijnaam. Meer niet: geen naam, geen e-mail.",
                   "Enter your lecturer's code and a nickname. Nothing else: no name, no e-mail."),
    "code": ("Code", "Code"),
    "nickname": ("Bijnaam", "Nickname"),
    "join": ("Meedoen", "Join"),
    "other_lang": ("English", "Nederlands"),
    "code_wrong": ("Deze code klopt niet. Kijk nog eens op het bord.", "This code is not right. Check the board again."),
    "code_locked": ("Te vaak een verkeerde code. Wacht een minuut en probeer het opnieuw.",
                    "Too many wrong codes. Wait a minute and try again."),
    "nick_empty": ("Kies een bijnaam.", "Choose a nickname."),
    "nick_long": ("Een bijnaam is hoogstens {max} tekens.", "A nickname has at most {max} characters."),
    "nick_chars": ("Gebruik in je bijnaam alleen letters, cijfers, spaties, punt, apostrof en streepje.",
                   "Use only letters, digits, spaces, full stop, apostrophe and hyphen in your nickname."),
    "nick_taken": ("De bijnaam '{nick}' is al in gebruik in deze klas. Kies een andere.",
                   "The nickname '{nick}' is already taken in this class. Choose another."),
    "join_flood": ("Er melden zich nu heel veel mensen tegelijk aan. Probeer het over tien seconden opnieuw.",
                   "Very many people are joining right now. Try again in ten seconds."),
    "class_full": ("De klas is vol ({max} deelnemers).", "The class is full ({max} participants)."),
    "not_joined": ("Je bent (nog) niet aangemeld. Meld je aan met de code.", "You have not joined (yet). Join with the code."),
    "not_lecturer": ("Alleen voor de docent.", "For the lecturer only."),
    "unknown_question": ("Deze vraag bestaat niet in deze les.", "This question is not part of this lesson."),
    "locked": ("Je run is al gestart; voorspellingen liggen vast.", "Your run has started; predictions are locked."),
    "bad_request": ("Dit verzoek begrijpt de server niet.", "The server does not understand this request."),
    "missing": ("Nog te voorspellen: {ids}.", "Still to predict: {ids}."),
    "err_number": ("verwacht een getal ({unit})", "expected a number ({unit})"),
    "err_range": ("{value} ligt buiten het bereik {lo} tot {hi} {unit}", "{value} is outside the range {lo} to {hi} {unit}"),
    "err_choice": ("kies een van de mogelijkheden", "choose one of the options"),
    "hello": ("Hallo {nick}", "Hello {nick}"),
    "predict_intro": ("Voorspel eerst elke vraag. Daarna start je het model; de uitkomsten zie je als je run klaar is.",
                      "Predict every question first. Then run the model; you see the outcomes when your run is done."),
    "your_prediction": ("jouw voorspelling", "your prediction"),
    "saved": ("bewaard", "saved"),
    "run": ("Start het model", "Run the model"),
    "run_none": ("Nog niet gestart.", "Not started yet."),
    "run_queued": ("In de wachtrij: plaats {pos}.", "In the queue: position {pos}."),
    "run_running": ("Het model draait ({n} bewoners)…", "The model is running ({n} residents)…"),
    "run_done": ("Klaar in {s} s. Dit zag het model:", "Done in {s} s. This is what the model showed:"),
    "run_failed": ("De run is mislukt; vraag je docent.", "The run failed; ask your lecturer."),
    "outcome": ("uitkomst in jouw run", "outcome in your run"),
    "class_outcome": ("uitkomst volgens de docent", "outcome shown by the lecturer"),
    "waiting_reveal": ("De docent laat de uitkomst van het model straks aan iedereen zien.",
                       "The lecturer will show the model's outcome to everyone soon."),
    "lecturer": ("Docentscherm", "Lecturer view"),
    "lecturer_intro": ("Laat studenten naar {url} gaan en code {code} invullen.", "Have students go to {url} and enter code {code}."),
    "joined": ("Aangemeld: {n}", "Joined: {n}"),
    "predicted": ("Alles voorspeld: {n}", "All predicted: {n}"),
    "runs": ("Runs: {q} wachtend, {r} bezig, {d} klaar, {f} mislukt", "Runs: {q} waiting, {r} running, {d} done, {f} failed"),
    "reveal": ("Toon de uitkomst aan iedereen", "Show the outcome to everyone"),
    "reveal_running": ("De referentierun draait…", "The reference run is running…"),
    "revealed": ("Uitkomst getoond.", "Outcome shown."),
    "download_json": ("Klasverslag (JSON)", "Class record (JSON)"),
    "download_csv": ("Klasverslag (CSV)", "Class record (CSV)"),
    "predictions_n": ("{n} voorspellingen", "{n} predictions"),
    "median": ("mediaan {m} {unit}", "median {m} {unit}"),
    "model_says": ("Model: {text}", "Model: {text}"),
    "students": ("Deelnemers", "Participants"),
    "not_found": ("Niet gevonden.", "Not found."),
    "decimal": (",", "."),
}


def t(key: str, lang: str, **kw: Any) -> str:
    """One text in 'nl' or 'en' (anything else falls back to Dutch)."""
    pair = TEXT.get(key, (key, key))
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**kw) if kw else text


def bundle(lang: str) -> dict[str, str]:
    """All texts of one language, for the pages' script."""
    return {k: (v[1] if lang == "en" else v[0]) for k, v in TEXT.items()}
