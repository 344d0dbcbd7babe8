"""The exam as Observations: provocation tests per side, the cluster with its members,
pain NRS (LOINC 72514-3), ODI (a QuestionnaireResponse and its score), ASLR, red flags.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sijoint_exam.domain import cluster
from sijoint_exam.domain.catalogue import PROVOCATION_TESTS, RESULT_LABELS, Result, Side
from sijoint_exam.domain.catalogue_measures import (
    ASLR_CITATION,
    CAUDA_EQUINA_EMERGENCY,
    ODI_CITATION,
    ODI_VERSIONS,
    RED_FLAGS,
)
from sijoint_exam.domain.catalogue_together import (
    INFERRED_TABLE_NOTE,
    LR_INTERVAL_CITATION,
)
from sijoint_exam.domain.outcomes import Answer, odi_score, screen_red_flags
from sijoint_exam.exchange.fhir_bundle import BundleBuilder
from sijoint_exam.exchange.fhir_terms import (
    CLUSTER_DECISION_SYSTEM,
    CLUSTER_RULE_SYSTEM,
    EXAM,
    LATERALITY,
    OBSERVATION_SYSTEM,
    ODI_QUESTIONNAIRE,
    PAIN_NRS,
    PAIN_REGION_SYSTEM,
    PROVOCATION_RESULT_SYSTEM,
    PROVOCATION_TEST_SYSTEM,
    RED_FLAG_SYSTEM,
    SURVEY,
    Code,
    concept,
    own,
    own_system,
    quantity,
    sij_body_site,
)

ODI_BAND_SYSTEM = own_system("odi-band")
NOT_INTERPRETABLE = "not-interpretable"
DECISION_LABELS = {
    cluster.Decision.POSITIVE: "Cluster positive",
    cluster.Decision.NEGATIVE: "Cluster negative",
    cluster.Decision.INCOMPLETE: "Cluster incomplete",
}


def obs_code(code: str, display: str) -> Code:
    """A code of the program's observation code system."""
    return own(OBSERVATION_SYSTEM, code, display)


@dataclass
class Context:
    """The builder and the references every resource of the visit shares."""

    builder: BundleBuilder
    patient: dict[str, str]
    encounter: dict[str, str]
    clinician: dict[str, str] | None

    def observation(
        self, key: str, code: dict[str, Any], category: Code, **fields: Any
    ) -> dict[str, str]:
        """Add an Observation of this visit; `fields` are its other elements."""
        resource: dict[str, Any] = {
            "resourceType": "Observation",
            "status": self.builder.status,
            "category": [concept(category)],
            "code": code,
            "subject": self.patient,
            "encounter": self.encounter,
            "effectiveDateTime": self.builder.visit.date.isoformat(),
        }
        if self.clinician is not None:
            resource["performer"] = [self.clinician]
        resource.update(fields)
        return self.builder.add(resource, self.builder.visit_uuid(key))


def component(code: Code, **value: Any) -> dict[str, Any]:
    return {"code": concept(code), **value}


def percent(probability: float) -> dict[str, Any]:
    """A probability as a UCUM percent, to one decimal."""
    return quantity(_in_percent(probability), "%", "%")


def _in_percent(probability: float) -> float:
    return round(probability * 100, 1)


def percent_value(probability: float | None) -> float | None:
    """A probability in percent, to one decimal (None stays None)."""
    return None if probability is None else _in_percent(probability)


def quantity_components(
    *rows: tuple[Code, float | None, str, str],
) -> list[dict[str, Any]]:
    """One component per (code, value, unit, UCUM code) row that has a value: a
    figure not known is left out, as FHIR has no empty component."""
    return [
        component(code, valueQuantity=quantity(value, unit, ucum))
        for code, value, unit, ucum in rows
        if value is not None
    ]


def _result_value(result: Result) -> dict[str, Any]:
    return concept(own(PROVOCATION_RESULT_SYSTEM, result.value, RESULT_LABELS[result]))


def add_provocation(context: Context) -> dict[str, list[dict[str, str]]]:
    """One Observation per test and side recorded; references by test id."""
    visit = context.builder.visit
    members: dict[str, list[dict[str, str]]] = {}
    for test in PROVOCATION_TESTS:
        finding = visit.finding(test.id)
        code = concept(own(PROVOCATION_TEST_SYSTEM, test.id, test.name))
        sides: list[tuple[str | None, Result]]
        if test.lateral:
            sides = [(side.value, finding.on_side(side)) for side in Side]
        else:
            pain_side = finding.pain_side.value if finding.pain_side else None
            sides = [(pain_side, finding.result)]
        for side, result in sides:
            if result is Result.NOT_TESTED:
                continue
            extra: dict[str, Any] = {}
            if finding.lying_side is not None:
                lying = LATERALITY[finding.lying_side.value]
                extra["component"] = [
                    component(
                        obs_code("lying-side", "Side the patient lay on"),
                        valueCodeableConcept=concept(lying),
                    )
                ]
            if finding.note:
                extra["note"] = [{"text": finding.note}]
            where = side if test.lateral else "any"
            ref = context.observation(
                f"provocation|{test.id}|{where}",
                code,
                EXAM,
                bodySite=sij_body_site(side, observation=True),
                valueCodeableConcept=_result_value(result),
                **extra,
            )
            members.setdefault(test.id, []).append(ref)
    return members


def add_cluster(context: Context, members: dict[str, list[dict[str, str]]]) -> None:
    """The cluster result, its members, the rule and the post-test probability."""
    tally = cluster.evaluate(context.builder.visit)
    rule = tally.rule
    parts = [
        component(
            obs_code("cluster-rule", "Cluster rule"),
            valueCodeableConcept=concept(
                own(CLUSTER_RULE_SYSTEM, rule.id, rule.name), text=rule.citation
            ),
        ),
        component(
            obs_code("items-positive", "Items positive"), valueInteger=tally.positive
        ),
        component(
            obs_code("items-negative", "Items negative"), valueInteger=tally.negative
        ),
        component(
            obs_code("items-untested", "Items untested"), valueInteger=tally.untested
        ),
        component(
            obs_code("items-needed", "Positive items the rule needs"),
            valueInteger=rule.threshold,
        ),
        component(
            obs_code("pretest-probability", "Pretest probability (clinic setting)"),
            valueQuantity=percent(tally.pretest_probability),
        ),
    ]
    parts += quantity_components(
        (
            obs_code("likelihood-ratio", "Likelihood ratio applied"),
            tally.likelihood_ratio,
            "ratio",
            "1",
        ),
        (
            obs_code("post-test-probability", "Post-test probability"),
            percent_value(tally.post_test_probability),
            "%",
            "%",
        ),
    )
    band = tally.post_test_range
    if band is not None:
        note = "; " + INFERRED_TABLE_NOTE if band.inferred_table else ""
        parts.append(
            component(
                obs_code(
                    "post-test-range",
                    "Range of the post-test probability from the 95% CI of the "
                    "likelihood ratio",
                ),
                valueRange={"low": percent(band.lower), "high": percent(band.upper)},
            )
        )
        parts[-1]["code"]["text"] = f"{LR_INTERVAL_CITATION}{note}"
    has_member = [
        ref
        for test_id in dict.fromkeys(item.test_id for item in rule.items)
        for ref in members.get(test_id, [])
    ]
    # Centralised pain: the counts are sent, the cluster is not read (Laslett 2003).
    decision = (
        own(
            CLUSTER_DECISION_SYSTEM,
            tally.decision.value,
            DECISION_LABELS[tally.decision],
        )
        if tally.interpretable
        else own(CLUSTER_DECISION_SYSTEM, NOT_INTERPRETABLE, "Not interpretable")
    )
    fields: dict[str, Any] = {
        "valueCodeableConcept": concept(decision, text=tally.summary),
        "component": parts,
        "note": [{"text": line} for line in (tally.post_test_line, *tally.cautions)],
    }
    if has_member:
        fields["hasMember"] = has_member
    context.observation(
        "cluster",
        concept(obs_code("sij-cluster", "SIJ pain-provocation cluster result")),
        EXAM,
        **fields,
    )


def add_pain(context: Context) -> None:
    """Pain now (LOINC 72514-3), best and worst over 24 h, and the body chart."""
    pain = context.builder.visit.pain
    if pain.now is not None:
        context.observation(
            "pain-now", concept(PAIN_NRS), SURVEY, valueInteger=pain.now
        )
    for key, value, label in (
        ("pain-best-24h", pain.best_24h, "Pain NRS 0-10, least in the past 24 hours"),
        ("pain-worst-24h", pain.worst_24h, "Pain NRS 0-10, worst in the past 24 hours"),
    ):
        if value is not None:
            context.observation(
                key, concept(obs_code(key, label)), SURVEY, valueInteger=value
            )
    if pain.regions:
        region = obs_code("pain-region", "Painful region (body chart)")
        context.observation(
            "pain-regions",
            concept(obs_code("pain-regions", "Painful regions (body chart)")),
            SURVEY,
            component=[
                component(
                    region,
                    valueCodeableConcept=concept(
                        own(PAIN_REGION_SYSTEM, r, r.replace("_", " "))
                    ),
                )
                for r in pain.regions
            ],
        )


def add_odi(context: Context) -> None:
    """The ODI answers as a QuestionnaireResponse, and its score as an Observation."""
    odi = context.builder.visit.odi
    if odi.is_empty:
        return
    builder = context.builder
    response = builder.add(
        {
            "resourceType": "QuestionnaireResponse",
            "questionnaire": f"{ODI_QUESTIONNAIRE}|{odi.version}",
            "status": "completed",
            "subject": context.patient,
            "encounter": context.encounter,
            "authored": builder.visit.date.isoformat(),
            "item": [
                {
                    "linkId": f"section-{number}",
                    "answer": [{"valueInteger": answer}],
                }
                for number, answer in enumerate(odi.answers, start=1)
                if answer is not None
            ],
        },
        builder.visit_uuid("odi-response"),
    )
    score = odi_score(odi)
    if score.percent is None:
        return  # the answers are sent; there is no score to send
    context.observation(
        "odi-score",
        concept(
            obs_code("odi-score", "Oswestry Disability Index score (percent)"),
            text=f"{ODI_VERSIONS.get(odi.version, odi.version)}; {ODI_CITATION}",
        ),
        SURVEY,
        valueQuantity=quantity(score.percent, "%", "%"),
        interpretation=[
            concept(own(ODI_BAND_SYSTEM, score.band or "", score.band_label or ""))
        ],
        derivedFrom=[response],
    )


def add_aslr(context: Context) -> None:
    aslr = context.builder.visit.aslr
    if aslr.left is None and aslr.right is None:
        return
    parts = [
        component(
            obs_code(f"aslr-{side}", f"ASLR difficulty, {side} leg (0-5)"),
            valueInteger=value,
        )
        for side, value in (("left", aslr.left), ("right", aslr.right))
        if value is not None
    ]
    fields: dict[str, Any] = {"component": parts}
    if aslr.total is not None:
        fields["valueInteger"] = aslr.total
    context.observation(
        "aslr",
        concept(
            obs_code("aslr", "Active straight leg raise, total (0-10)"),
            text=ASLR_CITATION,
        ),
        EXAM,
        **fields,
    )


def add_red_flags(context: Context) -> None:
    """The red-flag screen: one component per question asked (yes = true)."""
    answers = context.builder.visit.red_flags
    if not answers:
        return
    screen = screen_red_flags(answers)
    notes = [CAUDA_EQUINA_EMERGENCY] if screen.emergency else []
    if screen.undocumented_text:
        notes.append(screen.undocumented_text)
    fields: dict[str, Any] = {
        "component": [
            component(
                own(RED_FLAG_SYSTEM, flag.id, flag.label),
                valueBoolean=answers[flag.id] is Answer.YES,
            )
            for flag in RED_FLAGS
            if flag.id in answers
        ]
    }
    if notes:
        fields["note"] = [{"text": line} for line in notes]
    context.observation(
        "red-flags",
        concept(obs_code("red-flag-screen", "Red-flag screen")),
        SURVEY,
        **fields,
    )


def add_findings(context: Context) -> None:
    """Every finding of the exam, in the order of the note."""
    members = add_provocation(context)
    add_cluster(context, members)
    add_pain(context)
    add_odi(context)
    add_aslr(context)
    add_red_flags(context)
