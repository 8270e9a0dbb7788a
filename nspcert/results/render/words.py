"""The words of the reports in Danish (the default: MedCom's protocols are Danish documents) and English.

Every text certification.html and summary.json show a reader is here, once, in both languages: the protocol's
headings, columns and marks (MedCom's own words: Testprotokol, Forventet resultat, Faktisk resultat, F1 Kritisk …
Ikke relevant), the use-case and step texts the harness writes ("Som forventet"), the labels of verdicts and
statuses. The Gherkin stays as written, and so do the data: check names, received values, evidence descriptions.
Codes a tool reads (``pass``, ``OK``, ``Not relevant``, ``M``) are the same in both languages; only their labels
are translated (:meth:`Words.mark`, :meth:`Words.verdict`, :meth:`Words.status`).

    words = Words.of("da")
    words("step.as_expected")                    # "Som forventet"
    words("approval.manual", n=2, ids="A, B")    # "2 krav kræver manuel vurdering (A, B)"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Language = Literal["da", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("da", "en")
DEFAULT_LANGUAGE: Final[Language] = "da"
LANGUAGE_NAMES: Final = {"da": "dansk (Danish)", "en": "English"}


class LanguageError(ValueError):
    """A language the reports are not written in."""


# key: (Danish, English). HTML is allowed in the texts (they are constants); values given to them are escaped by
# the caller.
TEXTS: Final[dict[str, tuple[str, str]]] = {
    # --- front matter ----------------------------------------------------------------------------------------
    "doc.title": ("Testprotokol — Fælles Stamkort 3.0", "Test protocol — Fælles Stamkort 3.0"),
    "doc.page_title": ("FSK 3.0 testprotokol — {system} {version}", "FSK 3.0 test protocol — {system} {version}"),
    "doc.run": ("Kørsel {run_id} · {started} – {finished}", "Run {run_id} · {started} – {finished}"),
    "standard.english_name": ("Engelsk navn", "English name"),
    "standard.danish_name": ("Dansk navn", "Danish name"),
    "standard.version": ("Version", "Version"),
    "standard.type": ("Type", "Type"),
    "standard.english": ("Shared Patient Master Card (FSK) incl. opt-out of resuscitation (FGVH)",
                         "Shared Patient Master Card (FSK) incl. opt-out of resuscitation (FGVH)"),
    "standard.danish": ("Fælles Stamkort inkl. fravalg af genoplivningsforsøg ved hjertestop (FGVH)",
                        "Fælles Stamkort inkl. fravalg af genoplivningsforsøg ved hjertestop (FGVH)"),
    "standard.kind": ("Testprotokol (genereret)", "Test protocol (generated)"),
    "changelog": ("Ændringslog", "Change log"),
    "changelog.initials": ("Initialer", "Initials"),
    "changelog.date": ("Dato", "Date"),
    "changelog.description": ("Beskrivelse", "Description"),
    "changelog.generated": ("Genereret fra kørsel {run_id}", "Generated from run {run_id}"),
    "contents": ("Indholdsfortegnelse", "Contents"),
    "section.intro": ("Indledning", "Introduction"),
    "section.sut": ("Leverandør, system (SUT) og resultat", "Vendor, SUT and result"),
    "section.test": ("Testen", "The test"),
    "section.delta": ("Ændringer siden grundlaget", "Changes since the baseline"),
    "section.appendix": ("Bilag: oversigt over evidens", "Appendix: evidence index"),
    # --- 1 introduction -------------------------------------------------------------------------------------
    "intro.purpose": ("Formål", "Purpose"),
    "intro.purpose.text": (
        ("Denne protokol dokumenterer en automatiseret kørsel af nspcert-kataloget mod systemet under test (SUT): "
         "SUT talte med en mock af NSP, der taler NSP's rigtige protokoller, hver udveksling blev optaget, og hvert "
         "tjek blev vurderet af testværktøjet."),
        ("This protocol documents an automated run of the nspcert catalogue against the system under test (SUT): "
         "the SUT talked to a mock NSP that speaks the real NSP protocols, every exchange was recorded, and each "
         "check was judged by the harness.")),
    "intro.documentation": ("Dokumentation af testen", "Documentation of the test"),
    "intro.documentation.text": (
        ("Hvert teststep nedenfor nævner de evidensfiler, det gav: <code>FSK_&lt;step&gt;_&lt;bogstav&gt;_S</code> "
         "er det, SUT sendte, <code>…_R</code> det, SUT modtog. De ligger i <code>evidence.zip</code>, hvis "
         "<code>manifest.json</code> har SHA-256 for hver fil og for denne rapport."),
        ("Every step below names the evidence files it produced: <code>FSK_&lt;step&gt;_&lt;letter&gt;_S</code> "
         "is what the SUT sent, <code>…_R</code> what it received. They are in <code>evidence.zip</code>, whose "
         "<code>manifest.json</code> holds the SHA-256 of every file and of this report.")),
    "intro.persons": ("Testpersoner", "Test persons"),
    "intro.persons.text": ("Syntetiske borgere og medarbejdere oprettet i mock-NSP. {cpr}",
                           "Synthetic citizens and employees created in the mock NSP. {cpr}"),
    "intro.cpr.passed": ("Alle CPR-numre i evidensen er syntetiske ({n} forskellige numre tjekket).",
                         "All CPR numbers in the evidence are synthetic ({n} distinct numbers checked)."),
    "intro.cpr.failed": ("<strong>Tjekket af syntetiske CPR-numre FEJLEDE</strong> ({n} forskellige numre tjekket).",
                         "<strong>The synthetic-CPR check FAILED</strong> ({n} distinct numbers checked)."),
    "intro.tools": ("Testværktøjer", "Test tools"),
    "intro.tools.component": ("Komponent", "Component"),
    "intro.scale": ("Testresultat", "Test result scale"),
    "intro.scale.mark": ("Markering", "Mark"),
    "intro.scale.meaning": ("Betydning", "Meaning"),
    "intro.scale.text": (
        ("Godkendelse kræver, at kun OK- og F4-markeringer står tilbage. Testværktøjet foreslår markeringen ud fra "
         "resultatet og kravets alvorlighed; en fejl i testværktøjet er <em>Ikke vurderet</em> og lægges aldrig "
         "leverandøren til last."),
        ("Approval requires that only OK and F4 marks remain. The harness proposes the mark from the verdict and "
         "the requirement's severity; a harness error is <em>Not assessed</em> and is never blamed on the vendor.")),
    "scale.F1": ("Kritisk", "Critical"),
    "scale.F2": ("Alvorlig", "Serious"),
    "scale.F3": ("Betydelig", "Significant"),
    "scale.F4": ("Mindre betydelig", "Less significant"),
    "scale.OK": ("Godkendt", "Approved"),
    "scale.Not relevant": ("Ikke en fejl", "Not an error"),
    # --- marks and labels (codes stay; labels change) -------------------------------------------------------
    "mark.Not relevant": ("Ikke relevant", "Not relevant"),
    "mark.Not assessed": ("Ikke vurderet", "Not assessed"),
    "mark.waived": ("{severity} (dispenseret)", "{severity} (waived)"),
    "verdict.pass": ("Bestået", "Pass"),
    "verdict.fail": ("Fejlet", "Fail"),
    "verdict.error": ("Fejl i testværktøjet", "Error (harness)"),
    "verdict.not_applicable": ("Ikke relevant", "Not applicable"),
    "verdict.waived": ("Dispenseret", "Waived"),
    "status.not_run": ("Ikke kørt i denne kørsel", "Not run in this run"),
    "status.manual_review": ("Kræver manuel vurdering", "Needs manual review"),
    "status.not_tested": ("Ikke testet", "Not tested"),
    "count.total": ("I alt", "Total"),
    "count.result": ("Kørslens resultat", "Run result"),
    "outcome.passed": ("bestået", "passed"),
    "outcome.failed": ("fejlet", "failed"),
    "outcome.error": ("fejl", "error"),
    "outcome.nothing-ran": ("intet kørt", "nothing ran"),
    "outcome.usage-error": ("brugsfejl", "usage error"),
    "outcome.badge": ("{result} (slutkode {code})", "{result} (exit {code})"),
    # --- 2 vendor, SUT, result ------------------------------------------------------------------------------
    "vendor": ("Leverandør", "Vendor"),
    "vendor.company": ("Firma", "Company"),
    "vendor.address": ("Adresse", "Address"),
    "vendor.contact": ("Kontaktperson", "Contact"),
    "vendor.phone": ("Telefon", "Phone"),
    "vendor.email": ("E-mail", "Email"),
    "vendor.missing": ("Udfyld leverandørtabellen med en [vendor]-tabel i --config-filen (se README).",
                       "Fill in the vendor table with a [vendor] table in the --config file (see README)."),
    "sut": ("System under test (SUT)", "System under test"),
    "sut.system": ("System", "System"),
    "sut.version": ("Version", "Version"),
    "sut.description": ("Beskrivelse", "Description"),
    "sut.capabilities": ("Erklærede funktioner", "Capabilities claimed"),
    "sut.capabilities.none": ("ingen", "none"),
    "sut.test_type": ("Testtype", "Test type"),
    "sut.self_test": ("Egentest", "Self-test"),
    "sut.certification": ("Endelig test/certificering", "Final test/certification"),
    "sut.targets": ("SUT / NSP", "SUT / NSP"),
    "sut.level": ("Niveau", "Level"),
    "result": ("Resultat", "Result"),
    "result.date": ("Testdato", "Test date"),
    "result.location": ("Teststed", "Test location"),
    "result.location.value": ("nspcert (automatiseret)", "nspcert (automated)"),
    "result.approved": ("Godkendt", "Approved"),
    "result.remarks": ("Bemærkninger", "Remarks"),
    "result.by": ("Udført af", "Carried out by"),
    "approval.errors": ("Kan ikke vurderes: kørslen havde fejl i testværktøjet",
                        "Cannot be assessed: the run had harness errors"),
    "approval.nothing": ("Kan ikke vurderes: intet relevant blev kørt", "Cannot be assessed: nothing applicable ran"),
    "approval.no": ("Nej: der er stadig F1–F3-fund", "No: F1–F3 findings remain"),
    "approval.yes": ("Ja (forslag): kun OK- og F4-markeringer står tilbage",
                     "Yes (proposed): only OK and F4 marks remain"),
    "approval.manual": ("{n} krav kræver manuel vurdering ({ids})", "{n} requirement(s) need manual review ({ids})"),
    "approval.not_run": ("{n} krav ikke kørt i denne kørsel", "{n} requirement(s) not run in this run"),
    "banner": ("Fejl i testværktøjet — denne kørsel certificerer intet.", "Harness errors — this run certifies nothing."),
    "waivers": ("Dispensationer", "Waivers"),
    "waivers.requirement": ("Krav", "Requirement"),
    "waivers.reason": ("Begrundelse", "Reason"),
    "waivers.reviewer": ("Bedømmer", "Reviewer"),
    "waivers.date": ("Dato", "Date"),
    "waivers.applied": ("Anvendt", "Applied"),
    "yes": ("ja", "yes"),
    "no": ("nej", "no"),
    # --- 3 the test -----------------------------------------------------------------------------------------
    "use_cases": ("Use cases", "Use cases"),
    "use_cases.legend": (
        ("Valgfri: hvert scenarie i use casen kræver en funktion, som SUT kan lade være med at erklære; ellers "
         "obligatorisk."),
        ("M = mandatory; O = optional: every scenario of the use case needs a capability the SUT may leave "
         "unclaimed.")),
    "use_case": ("Use case", "Use case"),
    "use_case.section": ("Afsnit", "Section"),
    "use_case.title": ("Titel", "Title"),
    "use_case.mandatory": ("Obligatorisk/ valgfri", "M/O"),
    "use_case.M": ("Obligatorisk", "M"),
    "use_case.O": ("Valgfri", "O"),
    "use_case.run": ("Kørte scenarier", "Scenarios run"),
    "use_case.run.value": ("{run} af {all}", "{run} of {all}"),
    "use_case.verdict": ("Resultat", "Verdict"),
    "requirements": ("Krav", "Requirements"),
    "requirements.counts": ("{n} krav i kataloget: {parts}.", "{n} requirements in the catalogue: {parts}."),
    "requirements.also": (" En bedømmer vurderer også disse manuelt: {ids}.",
                          " A reviewer assesses these by hand as well: {ids}."),
    "requirement": ("Krav", "Requirement"),
    "requirement.title": ("Titel", "Title"),
    "requirement.level": ("Niveau", "Level"),
    "requirement.conformance": ("SKAL/ BØR", "SHALL/ SHOULD"),
    "requirement.severity": ("Alvorlighed", "Severity"),
    "requirement.coverage": ("Scenarier, eller hvorfor ingen", "Scenarios, or why none"),
    "requirement.status": ("Status", "Status"),
    "requirement.selected_none": ("Kataloget har scenarier for det; denne kørsel valgte ingen.",
                                  "The catalogue has scenarios for it; this run selected none."),
    "requirement.no_reason": ("Intet scenarie og ingen begrundelse.", "No scenario and no reason given."),
    "conformance.SHALL": ("SKAL", "SHALL"),
    "conformance.SHOULD": ("BØR", "SHOULD"),
    "scenario.manual_review": ("<b>Manuel vurdering:</b> en bedømmer skal vurdere den vedhæftede evidens.",
                               "<b>Manual review:</b> a reviewer must judge the attached evidence."),
    "step.number": ("Teststep nr.", "Test step #"),
    "step.action": ("Handling", "Action"),
    "step.data": ("Testdata/testperson", "Test data/test person"),
    "step.expected": ("Forventet resultat", "Expected result"),
    "step.actual": ("Faktisk resultat", "Actual result"),
    "step.assessment": ("MedComs vurdering", "MedCom assessment"),
    "step.completes": ("Gennemføres uden fejl", "Completes without error"),
    "step.as_expected": ("Som forventet", "As expected"),
    "step.done": ("Udført", "Done"),
    "step.not_run": ("Ikke udført", "Not run"),
    "step.not_relevant": ("Ikke relevant: {reason}", "Not relevant: {reason}"),
    "step.shown_in": ("Vist i {file}: {parts}", "Shown in {file}: {parts}"),
    "step.screen_model": ("skærmmodellen", "the screen model"),
    "step.not_shown": ("(ikke vist)", "(not shown)"),
    "step.more_places": (" og {n} flere", " and {n} more"),
    "step.more_checks": ("… og {n} flere beståede tjek", "… and {n} more passed checks"),
    "step.none": ("(ingen)", "(none)"),
    "step.fold.shown": ("Vist: {parts}", "Shown: {parts}"),
    "step.fold.checked": ("Tjekket: {checks}", "Checked: {checks}"),
    "step.files": ("{n} evidensfiler ({first} … {last})", "{n} evidence files ({first} … {last})"),
    "failure.verdict": ("Resultat", "Verdict"),
    "failure.in": (" (i {phase})", " (in {phase})"),
    "phase.setup": ("opsætningen", "setup"),
    "phase.call": ("teststeppene", "call"),
    "phase.teardown": ("oprydningen", "teardown"),
    "failure.message": ("Meddelelse", "Message"),
    "failure.check": ("Tjek", "Check"),
    "failure.expected": ("Forventet", "Expected"),
    "failure.received": ("Modtaget", "Received"),
    "failure.where": ("Hvor", "Where"),
    "failure.requirement": ("Krav", "Requirement"),
    "failure.evidence": ("Evidens, som tjekket nævner", "Evidence named by the check"),
    "failure.reproduce": ("Sådan genskabes det", "How to reproduce"),
    "failure.waiver": ("Dispensation", "Waiver"),
    "failure.details": ("Tekniske detaljer", "Technical details"),
    "evidence": ("Evidens", "Evidence"),
    "evidence.previewed": ("{n} evidensfiler, vist", "{n} evidence files, previewed"),
    "evidence.indented": ("(indrykket, SOAP Body først; filen er som optaget)",
                          "(indented, SOAP Body first; the file is as recorded)"),
    "evidence.more_chars": ("… ({n} flere tegn i filen)", "… ({n} more characters in the file)"),
    "evidence.more_items": ("… og {n} flere, alle i evidence.zip (listet i dens manifest.json)",
                            "… and {n} more, all in evidence.zip (listed in its manifest.json)"),
    # --- appendix -------------------------------------------------------------------------------------------
    "appendix.text": (
        ("Filerne ligger i <code>evidence.zip</code> (pak den ud: den rummer denne rapport ved siden af "
         "<code>evidence/</code>, så henvisningerne virker der); <code>manifest.json</code> i zip-filen har hver "
         "fils SHA-256 og denne rapports."),
        ("The files are in <code>evidence.zip</code> (unzip it: it holds this report beside <code>evidence/</code>, "
         "so the links work there); <code>manifest.json</code> in the zip lists every file's SHA-256 and that of "
         "this report.")),
    "appendix.group": ("{title}: {n} filer", "{title}: {n} files"),
    "appendix.more": ("… og {n} filer mere fra dette scenarie, listet i manifest.json.",
                      "… and {n} more files of this scenario, listed in manifest.json."),
    "appendix.file": ("Fil", "File"),
    "appendix.step": ("Step", "Step"),
    "appendix.direction": ("S/R", "S/R"),
    "appendix.content": ("Indhold", "Content"),
    # --- the delta from a baseline run (nspcert diff, --baseline) -------------------------------------------
    "delta.intro": (
        "Sammenlignet med grundlaget, kørsel {old}: kun det, der har flyttet sig, er vist.",
        "Compared with the baseline, run {old}: only what moved is shown."),
    "delta.versions": ("Versioner", "Versions"),
    "delta.what": ("Hvad", "What"),
    "delta.old": ("Grundlag ({run_id})", "Baseline ({run_id})"),
    "delta.new": ("Denne kørsel ({run_id})", "This run ({run_id})"),
    "delta.requirements": ("Krav, hvis resultat ændrede sig", "Requirements whose verdict changed"),
    "delta.requirements.none": ("Intet krav ændrede resultat.", "No requirement changed its verdict."),
    "delta.added": ("Scenarier tilføjet", "Scenarios added"),
    "delta.removed": ("Scenarier fjernet", "Scenarios removed"),
    "delta.scenarios": ("Scenarier, hvis resultat ændrede sig", "Scenarios whose verdict changed"),
    "delta.scenario": ("Scenarie", "Scenario"),
    "delta.steps": ("Ændrede teststep", "Changed steps"),
    "delta.absent": ("(ingen)", "(none)"),
    "delta.same": ("Intet ændret: samme resultat for hvert krav og scenarie.",
                   "Nothing changed: the same verdict for every requirement and scenario."),
    "delta.languages": ("Bemærk: grundlaget er skrevet på {old}, denne kørsel på {new}; tekster sammenlignes ikke.",
                        "Note: the baseline is written in {old}, this run in {new}; texts are not compared."),
}


@dataclass(frozen=True, slots=True)
class Words:
    """The reports' texts in one language."""

    language: Language

    @classmethod
    def of(cls, language: str | None) -> Words:
        return cls(checked_language(language))

    def __call__(self, key: str, **values: object) -> str:
        danish, english = TEXTS[key]
        text = danish if self.language == "da" else english
        return text.format(**values) if values else text

    def mark(self, assessment: str) -> str:
        """A proposed MedCom mark as shown: OK and F1–F4 as they are; "Not relevant", "F2 (waived)" translated."""
        if assessment.endswith(" (waived)"):
            return self("mark.waived", severity=assessment.removesuffix(" (waived)"))
        return self(f"mark.{assessment}") if f"mark.{assessment}" in TEXTS else assessment

    def verdict(self, verdict: str) -> str:
        return self(f"verdict.{verdict}") if f"verdict.{verdict}" in TEXTS else verdict

    def status(self, status: str) -> str:
        """A requirement's or use case's status: a verdict, or not run / needs manual review / not tested."""
        key = f"status.{status}"
        return self(key) if key in TEXTS else self.verdict(status)

    def phase(self, phase: str) -> str:
        """A pytest phase (setup, call, teardown) as the reader knows it."""
        return self(f"phase.{phase}") if f"phase.{phase}" in TEXTS else phase

    def conformance(self, value: str) -> str:
        key = f"conformance.{value}"
        return self(key) if key in TEXTS else value

    def outcome(self, result: str) -> str:
        """A run's result (``passed``, ``failed``, …) as a word."""
        key = f"outcome.{result}"
        return self(key) if key in TEXTS else result


def checked_language(language: str | None) -> Language:
    """``language`` if the reports are written in it (None: the default, Danish)."""
    if language is None or language == "":
        return DEFAULT_LANGUAGE
    if language not in LANGUAGES:
        raise LanguageError(f"language {language!r}: the reports are written in {' or '.join(LANGUAGES)} "
                            f"({', '.join(f'{k} = {v}' for k, v in LANGUAGE_NAMES.items())})")
    return language
