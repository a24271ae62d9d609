"""An export's readable text for the PDF (`core.pdf.render_pdf`): a heading per part, each
field on its own line, lists item by item, in the language the person asked in. Part names
come from the catalogs; field names are shown as words; values as recorded."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from hrcore.core.i18n import N_, Moment, _, translate

PART_TITLES = {
    "profile": N_("Profile"),
    "basics": N_("Basic information"),
    "current_post": N_("Current post"),
    "employment_history": N_("Employment history"),
    "management_experience": N_("Management experience"),
    "performance_trend": N_("Performance trend"),
    "growth_profile": N_("Growth profile"),
    "trainings": N_("Trainings"),
    "points": N_("Training points"),
    "program_participation": N_("Development programs"),
    "contracts": N_("Contracts"),
    "development_plan": N_("Development plan"),
    "consents": N_("Consents"),
    "privacy_requests": N_("Privacy requests"),
    "tasks": N_("Tasks assigned to me"),
    "review_results": N_("Review results about me"),
    "goals": N_("Goals"),
    "check_ins": N_("Check-ins"),
    "competency_profile": N_("Competency profile"),
    "mentoring": N_("Mentoring"),
    "mentorships": N_("Mentoring pairings and sessions"),
    "feedback_received": N_("Feedback received"),
    "training_enrolments": N_("Course enrolments"),
    "action_plans": N_("Action plans after training"),
    "points_ledger": N_("Training points ledger"),
    "contract_amendments": N_("Contract amendments"),
}
INDENT = "    "
ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
NOTHING = N_("(none)")
YES, NO = N_("yes"), N_("no")


def _title(name: str) -> str:
    known = PART_TITLES.get(name)
    return translate(known) if known is not None else name.replace("_", " ")


def _field(name: str) -> str:
    known = PART_TITLES.get(name)
    return translate(known) if known is not None else name.replace("_", " ")


def _shown(key: str) -> bool:
    """Ids are for machines: the JSON keeps them, the PDF reads without."""
    return key != "id" and not key.endswith("_id")


def _scalar(value: Any) -> str:
    if isinstance(value, str) and ISO_MOMENT.match(value):
        return value[:16].replace("T", " ")
    if value is None:
        return "—"
    if isinstance(value, bool):
        return translate(YES) if value else translate(NO)
    if isinstance(value, dict) and set(value) == {"id", "name"}:
        return str(value["name"])
    return str(value)


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list) or (
        isinstance(value, dict) and set(value) == {"id", "name"}
    )


def _lines(value: Any, depth: int) -> list[str]:
    pad = INDENT * depth
    if isinstance(value, list):
        if not value:
            return [pad + translate(NOTHING)]
        lines: list[str] = []
        for number, item in enumerate(value, start=1):
            if _is_scalar(item):
                lines.append(f"{pad}{number}. {_scalar(item)}")
            elif isinstance(item, dict) and all(_is_scalar(v) for v in item.values()):
                # a flat record on one wrapped line: a long history stays a short document
                fields = "; ".join(
                    f"{_field(k)}: {_scalar(v)}" for k, v in item.items() if _shown(k)
                )
                lines.append(f"{pad}{number}. {fields}")
            else:
                lines.append(f"{pad}{number}.")
                lines.extend(_lines(item, depth + 1))
        return lines
    if isinstance(value, dict) and not _is_scalar(value):
        lines = []
        for key, item in value.items():
            if not _shown(key):
                continue
            if _is_scalar(item):
                lines.append(f"{pad}{_field(key)}: {_scalar(item)}")
            else:
                lines.append(f"{pad}{_field(key)}:")
                lines.extend(_lines(item, depth + 1))
        return lines
    return [pad + _scalar(value)]


def document(content: dict[str, Any], timezone: str) -> tuple[str, str]:
    """The export's text and title, in the current locale; moments in `timezone`."""
    basics = content["profile"]["basics"]
    title = str(_("My data: {employee}", employee=basics["full_name"]))
    lines = [
        f"# {title}",
        str(
            _(
                "Everything hrcore holds about you, as of {moment}.",
                moment=Moment(datetime.fromisoformat(content["generated_at"]), timezone),
            )
        ),
        "",
    ]
    for name, part in content["profile"].items():
        lines += [f"# {_title(name)}", *_lines(part, 0), ""]
    for name, part in content["sections"].items():
        lines += [f"# {_title(name)}", *_lines(part, 0), ""]
    return "\n".join(lines), title
