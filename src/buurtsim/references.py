"""The sources the model, the lessons and the docs cite, in one place.

Text elsewhere cites a source by its `short` form (authors or organisation, year); the full
reference (authors, year, title, where it appeared) is listed here and rendered on the references
page (`docs/references.md` and the dashboard's Info tab).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reference:
    """One cited publication: `short` is how the text cites it, `full` the complete reference."""

    key: str
    short: str
    full: str
    note_nl: str = ""
    note_en: str = ""


MO = "*MO/Samenlevingsopbouw*, winter 2010-2011, thema Wijkaanpak"

REFERENCES: tuple[Reference, ...] = (
    Reference("wijkengids-zelfredzaamheid", "Wijkengids 4.6",
              "Wijkengids (z.j., na 2011). 4.6 *Investeer in zelfredzaamheid*. Webpagina.",
              "Rotterdamse indeling (sociaal sterk, kwetsbaar, overlever/afglijder), burgerschapsstijlen van "
              "Motivaction, Eigen Kracht Centrale, ABCD (McKnight), Achter de Voordeur, 'een brug te ver'.",
              "Rotterdam's categories (strong, vulnerable, survivor/slider), Motivaction's citizenship styles, "
              "Eigen Kracht Centrale, ABCD (McKnight), Achter de Voordeur, 'a bridge too far'."),
    Reference("wijkengids-bewoner-centraal", "Wijkengids 11.1",
              "Wijkengids (z.j.). *Wijkaanpak door de jaren heen*; 11.1 *Bewoner centraal*. Webpagina.",
              "Participatieladder, 'niemand heeft het mij gevraagd', van bewonersparticipatie naar overheidsparticipatie.",
              "Participation ladder, 'nobody asked me', from resident participation to government participation."),
    Reference("giltay-veth-2009", "Giltay Veth 2009",
              "Giltay Veth, D. (2009). *Het rendement van zalmgedrag. De projectencarroussel ontleed*. "
              "Den Haag: Nicis Institute.",
              "De projectencarrousel; geciteerd door Van Houten & Winsemius (2010-11).",
              "The project carousel; cited by Van Houten & Winsemius (2010-11)."),
    Reference("van-ewijk-2010", "Van Ewijk 2010-11",
              f"Van der Heijden, F. & Krijnen, H. (2010-11). Met de basiswerker terug naar meer eenvoud "
              f"(interview met Hans van Ewijk). {MO}.",
              "'Lichte maar wel langdurige hulpstructuren'; geen correctie maar presentie.",
              "'Light but long-lasting support structures'; presence, not correction."),
    Reference("van-houten-winsemius-2010", "Van Houten & Winsemius 2010-11",
              f"Van Houten, M. & Winsemius, A. (2010-11). Dilemma's bij participatie. Naar een krachtgerichte "
              f"aanpak. {MO}.",
              "Iedereen kan helper en hulpvrager zijn; duurzaam of snel resultaat.",
              "Anyone can be helper and helped; lasting or quick results."),
    Reference("mulder-2010", "Mulder 2010-11",
              f"Mulder, K. (2010-11). Werken aan buurtkracht. Wijkaanpak in crisis. {MO}.",
              "Projectencarrousel (650 projecten in Rotterdam-Zuid), half-redzamen, 'de Lamme helpt de Blinde', "
              "overvragen.",
              "Project carousel (650 projects in Rotterdam-Zuid), the half-self-reliant, 'the lame help the "
              "blind', over-asking."),
    Reference("multiproblematiek-2010", "MO/Samenlevingsopbouw 2010-11, multiproblematiek",
              f"Aanpak multiproblematiek schiet tekort (2010-11). {MO}. Over IWI, *Maatwerk bij meervoudigheid*, "
              f"en Astri/Meccano, *Multiproblematiek bij cliënten*.",
              "De neerwaartse spiraal: geen werk, schulden, psychische druk, sociale uitsluiting.",
              "The downward spiral: no work, debt, strain, social exclusion."),
    Reference("heijkers-2010", "Heijkers 2010-11",
              f"Heijkers, B. (2010-11). Opbouwwerk in de Wijkenaanpak 2011. {MO}.",
              "Eigen frequentie: iedere wijk heeft een eigen tijdpad (naar het KEI-essay *Natuurlijke "
              "wijkvernieuwing*, 2004); het opbouwwerk als sleutelpartij.",
              "Own pace (*eigen frequentie*): every neighbourhood has its own timeline (after the KEI essay "
              "*Natuurlijke wijkvernieuwing*, 2004); community work as a key party."),
    Reference("frielink-schoonhoven-2010", "Frielink & Schoonhoven 2010-11",
              f"Frielink, T. & Schoonhoven, S. (2010-11). First things First in de wijkenaanpak. Stevige "
              f"sociaal-economische aanpak nodig. {MO}.",
              "De projectencarrousel leverde minder op dan gehoopt: ontmoetingsprojecten leidden niet tot meer "
              "zelfredzaamheid, werk en opleiding.",
              "The project carousel yielded less than hoped: meeting projects did not lead to more "
              "self-reliance, work or education."),
    Reference("van-geffen-2010", "Van Geffen 2010-11",
              f"Van Geffen, C. (2010-11). Weerbare burgers, veilige wijken. Vakconferentie Samenlevingsopbouw "
              f"2010. {MO}.",
              "'Angst is besmettelijk' (Haisma, geciteerd in het verslag).",
              "'Fear is contagious' (Haisma, quoted in the report)."),
    Reference("engbersen-2010", "Engbersen, Fortuin & Hofman",
              f"Bewonersbudgetten: verder dan de voorhoede? (2010-11). {MO}. Ontleend aan Engbersen, R., "
              f"Fortuin, K. & Hofman, J., *Bewonersbudgetten, wat schuift het?* (BZK-reeks Burgerparticipatie).",
              "Vier soorten bewonersbudget naar productiekracht en democratisch gehalte.",
              "Four kinds of resident budget by production power and democratic content."),
    Reference("participatiecoach-2010", "MO/Samenlevingsopbouw 2010-11, Arnhem",
              f"Meedoen in Arnhemse krachtwijken (2010-11). {MO}.",
              "Participatiecoaches met een persoonlijk ontwikkelplan.",
              "Participation coaches with a personal development plan."),
    Reference("kleinhans-bolt-2010", "Kleinhans & Bolt 2010",
              "Kleinhans, R. & Bolt, G. (2010). *Vertrouwen houden in de buurt. Verval, ervaring en collectieve "
              "zelfredzaamheid in stadsbuurten*. OTB/TU Delft, Universiteit Utrecht en Nicis Institute "
              "(besproken in MO/Samenlevingsopbouw, winter 2010-2011).",
              "Binding met de buurt geeft veiligheid en remt vertrek.",
              "Attachment to the neighbourhood gives safety and curbs moving out."),
    Reference("oelkers-lsa", "Oelkers (LSA)",
              "Oelkers, B. (z.j., ca. 2021). *Wijkaanpak: zwakke wijken, hulpeloze bewoners?* Landelijk "
              "Samenwerkingsverband Actieve bewoners (LSA), reeks Nieuwe perspectieven op wijkaanpak. Over het "
              "Aedes-rapport *Veerkracht in het corporatiebezit* (Circusvis, 2020).",
              "Selectieve verhuizing (middel- en hogere inkomens vertrekken), de reddersmentaliteit, het frame "
              "van zwakke wijken, wat er overblijft als het geld op is.",
              "Selective moving (middle and higher incomes leave), the rescuer mentality, the frame of weak "
              "neighbourhoods, what remains when the money stops."),
    Reference("movisie-2014", "Movisie 2014",
              "Movisie (10 februari 2014). *Werkzame elementen bij buurtontwikkeling. Het mobiliseren van eigen "
              "kracht in buurtontwikkeling*. Databank Effectieve sociale interventies.",
              "De professional als procesbegeleider en spin-in-het-web die naar de achtergrond verdwijnt; "
              "sleutelpersonen; empowerment; gewoon beginnen.",
              "The professional as process facilitator and hub who fades into the background; key persons; "
              "empowerment; just start."),
)


def reference(key: str) -> Reference:
    """The reference with this key; KeyError names the key when there is none."""
    for ref in REFERENCES:
        if ref.key == key:
            return ref
    raise KeyError(f"no reference {key!r}")


_TITLE = {"nl": "Bronnen", "en": "References"}
_INTRO = {
    "nl": "De model- en lesteksten verwijzen kort naar deze bronnen (auteur of organisatie, jaar). "
          "De wijkengids-pagina's zijn ongedateerd; 'MO/Samenlevingsopbouw' is het themanummer Wijkaanpak "
          "van winter 2010-2011.",
    "en": "The model and lesson texts cite these sources briefly (author or organisation, year). The "
          "Wijkengids pages are undated; 'MO/Samenlevingsopbouw' is the winter 2010-2011 issue on the "
          "neighbourhood approach (Dutch).",
}


def references_markdown(lang: str = "nl", heading_level: int = 1) -> str:
    """The full reference list as Markdown, in Dutch ('nl') or English ('en')."""
    lang = lang if lang in _TITLE else "nl"
    lines = [f"{'#' * heading_level} {_TITLE[lang]}", "", _INTRO[lang], ""]
    for ref in REFERENCES:
        note = ref.note_nl if lang == "nl" else ref.note_en
        lines.append(f"- **{ref.short}**: {ref.full}" + (f" — {note}" if note else ""))
    return "\n".join(lines) + "\n"
