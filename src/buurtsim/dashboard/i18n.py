"""All dashboard text in Dutch (default) and English: one table, looked up with `t(key, lang)`.

Parameter controls get a plain-language label and a one-line explanation here; their default,
range, unit and source come from `buurtsim.params.describe` so they never drift from the model.
"""

from __future__ import annotations

import os

LANGS: tuple[str, ...] = ("nl", "en")


def start_lang() -> str:
    """The language a new page opens in: $BUURTSIM_DASHBOARD_LANG (`buurtsim dashboard --lang en`) when
    it is 'nl' or 'en', else Dutch."""
    value = os.environ.get("BUURTSIM_DASHBOARD_LANG", "").strip().lower()
    return value if value in LANGS else "nl"

TEXT: dict[str, tuple[str, str]] = {
    # page and tabs
    "title": ("buurtsim — verken een buurt", "buurtsim — explore a neighbourhood"),
    "tab_explore": ("Verkennen", "Explore"),
    "tab_compare": ("Vergelijken (A/B)", "Compare (A/B)"),
    "tab_info": ("Info", "Info"),
    "tab_lesson": ("Les", "Lesson"),
    "language": ("English", "Nederlands"),
    "language_hint": ("Switch to English", "Schakel naar Nederlands"),
    # scenario choice and upload
    "scenario": ("Scenario", "Scenario"),
    "scenario_defaults": ("standaardbuurt (geen beleid)", "default neighbourhood (no policy)"),
    "scenario_hint": (
        "Kies een meegeleverd scenario of laad je eigen scenariobestand (.toml).",
        "Pick a shipped scenario or load your own scenario file (.toml).",
    ),
    "upload": ("Scenariobestand laden (.toml)", "Load scenario file (.toml)"),
    "upload_ok": ("Geladen: {name}", "Loaded: {name}"),
    "upload_error": ("Dit bestand is niet gebruikt; er is niets veranderd.", "This file was not used; nothing changed."),
    "upload_too_big": ("Bestand te groot (meer dan 1 MB).", "File too large (over 1 MB)."),
    "upload_unreadable": ("Het bestand kwam niet leesbaar aan.", "The file did not arrive in a readable form."),
    "uploaded": ("geüpload", "uploaded"),
    # run controls
    "play": ("Afspelen", "Play"),
    "pause": ("Pauze", "Pause"),
    "step": ("Stap", "Step"),
    "reset": ("Opnieuw", "Reset"),
    "speed": ("Snelheid (weken per beeld)", "Speed (weeks per frame)"),
    "speed_hint": (
        "Bij afspelen: hoeveel weken de simulatie doorrekent voordat het beeld ververst (Stap is altijd één week).",
        "When playing: how many weeks the simulation runs before the picture refreshes (Step is always one week).",
    ),
    "week": ("Week {tick} van {horizon}", "Week {tick} of {horizon}"),
    "year": ("jaar {year:.1f}", "year {year:.1f}"),
    "finished": ("Einde van de looptijd bereikt.", "End of the horizon reached."),
    "reset_needed": (
        "Instellingen gewijzigd: druk op 'Opnieuw' om ermee te starten.",
        "Settings changed: press 'Reset' to start with them.",
    ),
    # parameters
    "settings": ("Instellingen", "Settings"),
    "residents": ("Aantal bewoners", "Number of residents"),
    "residents_hint": (
        "Hoeveel mensen er in de buurt wonen (een portiekblok ~500, een wijk 10.000+).",
        "How many people live in the neighbourhood (a street block ~500, a district 10,000+).",
    ),
    "seed": ("Toevalsgetal (seed)", "Random seed"),
    "seed_hint": (
        "Zelfde getal = zelfde toeval: zo is een run precies te herhalen.",
        "Same number = same chance events: a run can be repeated exactly.",
    ),
    "horizon": ("Looptijd (weken)", "Horizon (weeks)"),
    "horizon_hint": ("Eén stap is één week; 520 weken is tien jaar.", "One step is one week; 520 weeks is ten years."),
    "source": ("bron", "source"),
    "range": ("bereik", "range"),
    "default": ("standaard", "default"),
    "more_params": ("Meer over deze instelling", "More about this setting"),
    # network
    "network": ("Het netwerk van de buurt", "The neighbourhood's network"),
    "network_hint": (
        "Elke stip is een bewoner op zijn adres; kleur = categorie, grootte = aantal banden. "
        "Vierkantjes zijn professionals, verbonden met hun cliënten. Klik op een stip om het verhaal van die bewoner te zien.",
        "Each dot is a resident at their address; colour = category, size = number of ties. "
        "Squares are professionals, linked to their clients. Click a dot to see that resident's story.",
    ),
    "sample_note": (
        "Er wonen {n} mensen; voor de snelheid tekenen we een steekproef van {k}.",
        "{n} people live here; for speed we draw a sample of {k}.",
    ),
    "professionals": ("professionals", "professionals"),
    "no_professionals": ("Geen professionals actief.", "No professionals at work."),
    # categories
    "cat_strong": ("sociaal sterk", "socially strong"),
    "cat_vulnerable": ("sociaal kwetsbaar", "socially vulnerable"),
    "cat_sliding": ("overlever/afglijder", "survivor/slider"),
    "categories": ("Verdeling over categorieën", "Distribution over categories"),
    "share": ("aandeel", "share"),
    # time series
    "timeseries": ("Verloop in de tijd", "Over time"),
    "metrics_pick": ("Uitkomsten", "Outcomes"),
    "timeline": ("beleid", "policy"),
    "weeks_axis": ("week", "week"),
    "no_policy": ("Geen beleid in dit scenario.", "No policy in this scenario."),
    # resident story
    "story": ("Verhaal van een bewoner", "A resident's story"),
    "story_pick": ("Kies een bewoner", "Pick a resident"),
    "story_none": (
        "Klik op een stip in het netwerk of kies hierboven een bewoner.",
        "Click a dot in the network or pick a resident above.",
    ),
    "story_gone": ("Deze bewoner is verhuisd (week {tick}).", "This resident moved away (week {tick})."),
    "story_sr": ("zelfredzaamheid (punten 0-100)", "self-reliance (points 0-100)"),
    "story_ties": ("banden", "ties"),
    "story_client": ("cliënt van een professional", "client of a professional"),
    "story_events": ("Gebeurtenissen", "Events"),
    "story_no_events": ("Nog geen gebeurtenissen.", "No events yet."),
    "story_summary": (
        "Bewoner #{uid}: {category}, {style}, {problems} probleemdomein(en), {ties} banden, vertrouwen {trust}, binding {attachment}.",
        "Resident #{uid}: {category}, {style}, {problems} problem domain(s), {ties} ties, trust {trust}, attachment {attachment}.",
    ),
    "story_ties_change": ("Banden: {gained} erbij, {lost} kwijt sinds week 0.", "Ties: {gained} gained, {lost} lost since week 0."),
    "story_pros": ("Professionals ontmoet: {n} keer in een caseload.", "Professionals met: in a caseload {n} time(s)."),
    "random_resident": ("Willekeurige bewoner", "Random resident"),
    "ev_life_event": ("tegenslag ({detail})", "setback ({detail})"),
    "ev_moved_in": ("kwam in de buurt wonen", "moved into the neighbourhood"),
    "ev_moved_out": ("verhuisde", "moved away"),
    "ev_professional_left": ("professional vertrok ({detail})", "professional left ({detail})"),
    # compare
    "compare_intro": (
        "Twee scenario's met hetzelfde toeval (zelfde seed, zelfde bewoners) naast elkaar. "
        "Het verschil B − A laat zien wat het beleid doet.",
        "Two scenarios with the same chance events (same seed, same residents) side by side. "
        "The difference B − A shows what the policy does.",
    ),
    "scenario_a": ("Scenario A", "Scenario A"),
    "scenario_b": ("Scenario B", "Scenario B"),
    "difference": ("Verschil B − A", "Difference B − A"),
    "compare_metric": ("Uitkomst", "Outcome"),
    "worlds_switch": ("Onzekerheid tonen: {k} plausibele werelden", "Show uncertainty: {k} plausible worlds"),
    "worlds_hint": (
        "Het model weet sommige getallen niet precies. Aan: A en B draaien ook in {k} plausibele werelden "
        "(parametersets uit de kalibratie, zelfde toeval) en de grafiek van het verschil toont het bereik "
        "daarvan. Aan- of uitzetten begint opnieuw bij week 0; elke stap kost dan ongeveer {models} keer zoveel rekenwerk.",
        "The model does not know some numbers exactly. On: A and B also run in {k} plausible worlds "
        "(parameter sets from the calibration, same chance events) and the difference chart shows their "
        "range. Switching starts again at week 0; each step then takes about {models} times the computing.",
    ),
    "worlds_missing": (
        "Onzekerheid tonen kan niet: er is geen ensemble van plausibele werelden ({path} ontbreekt). "
        "Maak er een met `buurtsim calibrate` of wijs er een aan met de omgevingsvariabele {env}.",
        "Showing uncertainty is not possible: there is no ensemble of plausible worlds ({path} is missing). "
        "Make one with `buurtsim calibrate` or point to one with the environment variable {env}.",
    ),
    "worlds_broken": (
        "Onzekerheid tonen kan niet: het ensemble is niet bruikbaar. {problem}",
        "Showing uncertainty is not possible: the ensemble cannot be used. {problem}",
    ),
    "worlds_too_big": (
        "Onzekerheid tonen kan tot {n} bewoners (het kost per wereld twee extra runs).",
        "Showing uncertainty works up to {n} residents (each world takes two more runs).",
    ),
    "worlds_band": ("Bereik over {k} plausibele werelden (laagste tot hoogste B − A)",
                    "Range over {k} plausible worlds (lowest to highest B − A)"),
    "worlds_line": ("Verschil B − A bij de standaardwaarden", "Difference B − A at the default values"),
    "worlds_reading": (
        "Week {tick}: in {up} van de {k} plausibele werelden is {metric} bij B hoger dan bij A, in {down} lager",
        "Week {tick}: in {up} of the {k} plausible worlds {metric} is higher under B than under A, in {down} lower",
    ),
    "worlds_reading_rest": (", in {same} gelijk", ", in {same} the same"),
    "worlds_reading_same": (
        "Week {tick}: {metric} is bij A en B gelijk in alle {k} plausibele werelden.",
        "Week {tick}: {metric} is the same under A and B in all {k} plausible worlds.",
    ),
    # export
    "export": ("Exporteren", "Export"),
    "export_csv": ("Uitkomsten als CSV", "Outcomes as CSV"),
    "export_scenario": ("Instellingen als scenariobestand", "Settings as scenario file"),
    # info and lesson
    "info_missing": (
        "De uitleg over het model (docs/model-info.md) is nog niet beschikbaar.",
        "The model explanation (docs/model-info.md) is not available yet.",
    ),
    "error": ("Fout", "Error"),
    # lesson mode (buurtsim.dashboard.lesson)
    "les_pick": ("Kies een les", "Choose a lesson"),
    "les_intro": (
        "Voorspel eerst, draai dan het model, en verklaar daarna wat je ziet. "
        "Het model start pas als elke vraag een voorspelling heeft.",
        "Predict first, then run the model, then explain what you see. "
        "The model starts only when every question has a prediction.",
    ),
    "les_none": ("Kies hierboven een les.", "Choose a lesson above."),
    "les_load_error": ("Deze les kan niet geladen worden", "This lesson cannot be loaded"),
    "les_goals": ("Leerdoelen", "Learning goals"),
    "les_text": ("Lestekst (voor docent en student)", "Lesson text (for lecturer and students)"),
    "les_text_dutch": ("De volledige lestekst is in het Nederlands geschreven.", "The full lesson text is written in Dutch; the questions, goals and discussion above are in English."),
    "les_text_missing": ("De lestekst is in deze installatie niet meegeleverd.", "The lesson text is not included in this installation."),
    "les_worksheet": ("Werkblad om te printen:", "Worksheet to print:"),
    "les_setup": (
        "{k} scenario's ({names}), elk {n} bewoners, {weeks} weken ({years:.0f} jaar), allemaal met hetzelfde toevalsgetal.",
        "{k} scenarios ({names}), each {n} residents, {weeks} weeks ({years:.0f} years), all with the same random seed.",
    ),
    "les_questions": ("Voorspellen", "Predict"),
    "les_name": ("Je naam", "Your name"),
    "les_group": ("Groep (mag leeg)", "Group (optional)"),
    "les_name_needed": ("Vul je naam in: die komt in het bestand dat je inlevert.",
                        "Fill in your name: it goes into the file you hand in."),
    "les_your_prediction": ("jouw voorspelling", "your prediction"),
    "les_value_hint": ("Een getal in {unit}, bijvoorbeeld 40 of 12,5.", "A number in {unit}, for example 40 or 12.5."),
    "les_prediction_error": ("Voorspelling niet gebruikt", "Prediction not used"),
    "les_err_number": ("vraag {q}: verwacht een getal ({unit}), niet '{got}'", "question {q}: expected a number ({unit}), got '{got}'"),
    "les_err_range": ("vraag {q}: {value} ligt buiten het toegestane bereik {lo} tot {hi} {unit}",
                      "question {q}: {value} is outside the accepted range {lo} to {hi} {unit}"),
    "les_err_choice": ("vraag {q}: kies een van: {options}", "question {q}: choose one of: {options}"),
    "upload_problems": ("Problemen in het bestand:", "Problems in the file:"),
    "les_missing": ("Nog te voorspellen: {ids}.", "Still to predict: {ids}."),
    "les_ready": ("Alle voorspellingen staan. Je kunt het model starten.", "All predictions are in. You can start the model."),
    "les_locked": ("Vastgelegd vóór de run; niet meer te wijzigen.", "Recorded before the run; can no longer be changed."),
    "les_simulation": ("Simulatie", "Simulation"),
    "les_run": ("Start het model", "Run the model"),
    "les_running": ("Het model draait: {label}, week {week} van {weeks} (scenario {i} van {k}).",
                    "The model is running: {label}, week {week} of {weeks} (scenario {i} of {k})."),
    "les_stop": ("Stop", "Stop"),
    "les_stopped": ("De run is gestopt. Start opnieuw om de uitkomsten te zien.",
                    "The run was stopped. Start again to see the outcomes."),
    "les_run_failed": ("De run is mislukt", "The run failed"),
    "les_done": ("Klaar: {k} scenario's × {weeks} weken, seed {seed}.", "Done: {k} scenarios × {weeks} weeks, seed {seed}."),
    "les_again": ("Opnieuw beginnen (nieuwe voorspellingen)", "Start over (new predictions)"),
    "les_seed_hint": (
        "Noteer dit getal op je werkblad. Elke student een ander getal: zo zie je samen hoeveel het toeval uitmaakt.",
        "Note this number on your worksheet. Every student a different number: together you see how much chance matters.",
    ),
    "les_metric": ("Uitkomst in de grafiek", "Outcome in the picture"),
    "les_picture": ("Verloop per scenario", "Over time, per scenario"),
    "les_picture_empty": ("De grafiek verschijnt zodra het model draait.", "The picture appears once the model runs."),
    "les_read_at": ("afgelezen", "read"),
    "les_outcomes": ("Uitkomsten", "Outcomes"),
    "les_predicted": ("Voorspeld: {value}", "Predicted: {value}"),
    "les_observed": ("Het model: {text}", "The model: {text}"),
    "les_hit": ("Goed voorspeld.", "Predicted correctly."),
    "les_miss": ("Anders dan voorspeld.", "Not what you predicted."),
    "les_off_by": ("Je zat er {diff} naast.", "You were off by {diff}."),
    "les_unread": ("Niet af te lezen in deze run", "Cannot be read from this run"),
    "les_explain": ("Verklaar: welk mechanisme van het model zorgt voor deze uitkomst?",
                    "Explain: which mechanism of the model produces this outcome?"),
    "les_answer_error": ("Antwoord niet opgeslagen", "Answer not saved"),
    "les_answer_too_long": ("Te lang: maximaal 5000 tekens.", "Too long: at most 5000 characters."),
    "les_discussion": ("Nabespreken", "Discussion"),
    "les_leaves_out": ("Wat het model weglaat", "What the model leaves out"),
    "les_download": ("Download je voorspellingen en uitkomsten", "Download your predictions and outcomes"),
    "les_download_early": ("Download je voorspellingen (nog zonder uitkomsten)",
                           "Download your predictions (no outcomes yet)"),
    "les_download_hint": ("Lever het bestand {name} in bij je docent.", "Hand in the file {name} to your lecturer."),
    "les_download_early_hint": (
        "Nog zonder uitkomsten (handig als de tijd op is). Na de run staan de uitkomsten er ook in: download dan opnieuw.",
        "No outcomes yet (useful when time is up). After the run the outcomes are in it too: download again then.",
    ),
    "les_lecturer": (
        "Docent: zet de ingeleverde bestanden in één map en typ `buurtsim verzamel MAP` om de voorspellingen "
        "van de klas naast de uitkomsten te zien.",
        "Lecturer: put the handed-in files in one folder and type `buurtsim verzamel FOLDER` to see the class's "
        "predictions against the outcomes.",
    ),
}

CATEGORY_KEYS: tuple[str, ...] = ("cat_strong", "cat_vulnerable", "cat_sliding")

STYLE_TEXT: dict[str, tuple[str, str]] = {
    "dutiful": ("plichtsgetrouw", "dutiful"),
    "responsible": ("verantwoordelijk", "responsible"),
    "pragmatic": ("pragmatisch", "pragmatic"),
    "outsider": ("buitenstaander", "outsider"),
}

DOMAIN_TEXT: dict[str, tuple[str, str]] = {
    "work": ("werk", "work"),
    "finance": ("geld", "money"),
    "health": ("gezondheid", "health"),
    "social": ("sociale contacten", "social contacts"),
    "skills": ("vaardigheden", "skills"),
}

# The key parameters shown as controls: label and plain-language explanation (nl, en).
PARAM_TEXT: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "shock_prob": (
        ("Kans op tegenslag", "Chance of a setback"),
        (
            "Hoe vaak iemand per week een klap krijgt op een levensdomein: baan kwijt, ziek, schulden.",
            "How often, per week, someone is hit in a life domain: job loss, illness, debt.",
        ),
    ),
    "spiral_coupling": (
        ("Problemen versterken elkaar", "Problems feed each other"),
        (
            "Hoe sterk een probleem het volgende uitlokt (geen werk → schulden → stress → isolement).",
            "How strongly one problem triggers the next (no work → debt → strain → isolation).",
        ),
    ),
    "support_rate": (
        ("Burenhulp", "Help between neighbours"),
        (
            "Hoeveel bewoners met tijd en energie hun zwakkere contacten helpen.",
            "How much residents with time and energy help their weaker ties.",
        ),
    ),
    "overburden_harm": (
        ("Schade door overvragen", "Harm from over-asking"),
        (
            "Hoeveel helpers zelf achteruitgaan als ze te veel gevraagd wordt.",
            "How much helpers themselves decline when too much is asked of them.",
        ),
    ),
    "trust_build_weeks": (
        ("Tijd om vertrouwen op te bouwen", "Time to build trust"),
        (
            "Hoeveel weken het duurt voor het vertrouwen in een hulprelatie grotendeels (63 %) is opgebouwd.",
            "How many weeks until trust within a professional relationship is mostly (63 %) built.",
        ),
    ),
    "solving_speed": (
        ("Snelheid van 'overnemen'", "Speed of 'doing it for them'"),
        (
            "Hoeveel sneller een professional resultaat boekt door problemen óp te lossen in plaats van samen.",
            "How much faster a professional gets results by solving problems for people instead of with them.",
        ),
    ),
    "dependency_rate": (
        ("Afhankelijkheid door overnemen", "Dependency from doing it for them"),
        (
            "Hoeveel afhankelijkheid ontstaat als problemen voor mensen worden opgelost.",
            "How much dependency grows when problems are solved for people.",
        ),
    ),
    "asked_multiplier": (
        ("Effect van gevraagd worden", "Effect of being asked"),
        (
            "Hoeveel groter de kans is dat iemand meedoet als hij of zij gevraagd wordt ('niemand vroeg het me').",
            "How much likelier someone joins in when asked ('nobody asked me').",
        ),
    ),
    "tie_decay": (
        ("Banden verwateren", "Ties fade"),
        (
            "Hoe snel een band zwakker wordt als mensen elkaar niet zien.",
            "How fast a tie weakens when people do not meet.",
        ),
    ),
    "safety_contagion": (
        ("Angst is besmettelijk", "Fear is contagious"),
        (
            "Hoe sterk bewoners het (on)veiligheidsgevoel van hun contacten overnemen.",
            "How strongly residents take over their ties' (lack of) sense of safety.",
        ),
    ),
    "move_rate": (
        ("Verhuisgeneigdheid", "Tendency to move out"),
        (
            "Basiskans per week dat iemand verhuist; wie geld heeft en weinig binding, vertrekt eerder.",
            "Base weekly chance of moving away; those with means and little attachment leave sooner.",
        ),
    ),
    "newcomer_potential_shift": (
        ("Nieuwkomers kwetsbaarder", "Newcomers more vulnerable"),
        (
            "Hoeveel lager (negatief) of hoger de draagkracht van nieuwkomers is dan die van zittende bewoners.",
            "How much lower (negative) or higher newcomers' potential is than that of current residents.",
        ),
    ),
}

KEY_PARAMS: tuple[str, ...] = tuple(PARAM_TEXT)


def t(key: str, lang: str = "nl", **fmt: object) -> str:
    """The text for `key` in `lang` ('nl' or 'en'), formatted with `fmt`."""
    nl, en = TEXT[key]
    text = en if lang == "en" else nl
    return text.format(**fmt) if fmt else text


def pick(pair: tuple[str, str], lang: str) -> str:
    """The Dutch or English half of an (nl, en) pair."""
    return pair[1] if lang == "en" else pair[0]


def category_label(index: int, lang: str = "nl") -> str:
    """Label of category 0 strong, 1 vulnerable, 2 sliding."""
    return t(CATEGORY_KEYS[index], lang)


def param_label(name: str, lang: str = "nl") -> str:
    """Plain-language label of a key parameter."""
    return pick(PARAM_TEXT[name][0], lang)


def param_help(name: str, lang: str = "nl") -> str:
    """Plain-language explanation of a key parameter."""
    return pick(PARAM_TEXT[name][1], lang)
