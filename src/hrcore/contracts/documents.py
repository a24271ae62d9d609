"""Amendment documents: the organization's template rendered to text, then laid out as PDF.

Templates are Jinja2 in a sandboxed environment (an organization's HR edits them, so they
must not reach Python internals) with `StrictUndefined`, so a missing value fails the
generation loudly instead of printing an empty clause. The names a template may use are
checked when it is saved; what fails only with real data (`changes[3]` on a one-change
amendment) fails at generation and is reported on the amendment version.

The built-in template ends with the signature, seal and date block of both parties (甲方, the
employer, seals; 乙方, the employee, signs) and names kinds and statuses by their labels,
amounts with their unit. The text is laid out by `core.pdf` (an embedded CJK font subset, so
Chinese renders and extracts); its creation date is the version's, so generating the same
version again produces the same bytes and the same SHA-256.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, meta
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from hrcore.core.errors import FieldError, Unprocessable
from hrcore.core.i18n import N_, _, format_currency

ALLOWED_VARIABLES = frozenset({"organization", "employee", "contract", "amendment", "changes"})
MAX_TEMPLATE_CHARS = 20_000
MAX_DOCUMENT_CHARS = 100_000
MAX_EXPONENT = 64

CONTRACT_KINDS = {
    "fixed_term": N_("Fixed term"),
    "open_ended": N_("Open-ended"),
    "internship": N_("Internship"),
    "part_time": N_("Part-time"),
    "project_based": N_("Project-based"),
}
"""Contract kinds as the amendment names them, in both languages (`contract.kind_label`)."""
AMOUNT_FIELDS = frozenset({"allowance"})
"""Changed terms that are monthly amounts in yuan, shown as `¥1,200.00 元/月`."""

DEFAULT_TEMPLATE = """\
# 劳动合同变更协议书 / Labor Contract Amendment
甲方（用人单位）/ Employer: {{ organization.name }}
乙方（劳动者）/ Employee: {{ employee.name }}（{{ employee.number }}）
原合同 / Contract: {{ contract.kind_label }}（{{ contract.status_label }}），{{
    contract.start_date }} 至 {{ contract.end_date or "—" }}
工作地点 / Work location: {{ contract.work_location }}

经双方协商一致，自 {{ amendment.effective_date }} 起对劳动合同作如下变更：
The parties agree to amend the contract as follows, effective {{ amendment.effective_date }}:
{% for change in changes %}
{{ loop.index }}. {{ change.label }}：{{ change.before or "—" }} → {{ change.after or "—" }}
{%- endfor %}
{% if amendment.end_date %}
上述变更至 {{ amendment.end_date }} 止，届时恢复原约定。
The changes end on {{ amendment.end_date }}; the previous terms then apply again.
{% endif %}
原合同其他条款不变。All other terms remain unchanged.
{% if amendment.note %}备注 / Note: {{ amendment.note }}{% endif %}

变更协议版本 / Version {{ amendment.version }}

甲方（用人单位，盖章）/ Party A (Employer, company seal): {{ organization.name }}
法定代表人或委托代理人（签字）/ Legal or authorized representative (signature): ______________
日期 / Date: ________年____月____日

乙方（劳动者，签字）/ Party B (Employee, signature): {{ employee.name }} ______________
日期 / Date: ________年____月____日
"""


def monthly_amount(value: str | None) -> str | None:
    """`1200.00` as the agreement states it, `¥1,200.00 元/月` (both parties read it)."""
    if value is None:
        return None
    return f"{format_currency(Decimal(value), locale='zh-CN')} 元/月"


def displayed_change(change: dict[str, Any]) -> dict[str, Any]:
    """A stored change as the document shows it: amounts with their unit."""
    if change.get("field") not in AMOUNT_FIELDS:
        return change
    return change | {
        "before": monthly_amount(change.get("before")),
        "after": monthly_amount(change.get("after")),
    }


class GenerationFailed(Exception):
    """The template cannot be rendered with this amendment's data; the reason is shown."""


class _Sandbox(SandboxedEnvironment):
    """The sandbox already refuses internals and caps `range`; this also caps the operators
    that allocate without bound (`"x" * 10**9`), so a template cannot exhaust the worker."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"exponent above {MAX_EXPONENT}")
        if operator == "*":
            size = _repeated_size(left, right) or _repeated_size(right, left)
            if size > MAX_DOCUMENT_CHARS:
                raise SecurityError(f"a repetition above {MAX_DOCUMENT_CHARS} items")
        return super().call_binop(context, operator, left, right)


def _repeated_size(sequence: Any, times: Any) -> int:
    if isinstance(sequence, str | list | tuple) and isinstance(times, int):
        return len(sequence) * times
    return 0


def _environment() -> SandboxedEnvironment:
    return _Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


def validate_template(body: str) -> None:
    """422 unless `body` parses and uses only the documented variables."""
    if not body.strip() or len(body) > MAX_TEMPLATE_CHARS:
        raise Unprocessable(
            _("Invalid template"),
            errors=[
                FieldError(
                    field="body",
                    message=_(
                        "1–{MAX_TEMPLATE_CHARS} characters", MAX_TEMPLATE_CHARS=MAX_TEMPLATE_CHARS
                    ),
                )
            ],
        )
    try:
        parsed = _environment().parse(body)
    except TemplateSyntaxError as exc:
        raise Unprocessable(
            _("The template does not parse"),
            errors=[
                FieldError(
                    field="body",
                    message=_("line {lineno}: {message}", lineno=exc.lineno, message=exc.message),
                )
            ],
        ) from None
    unknown = sorted(meta.find_undeclared_variables(parsed) - ALLOWED_VARIABLES)
    if unknown:
        allowed = ", ".join(sorted(ALLOWED_VARIABLES))
        raise Unprocessable(
            _("The template uses unknown placeholders"),
            errors=[
                FieldError(
                    field="body",
                    message=_(
                        "unknown placeholder '{name}'; use {allowed}", name=name, allowed=allowed
                    ),
                )
                for name in unknown
            ],
        )


def render_text(body: str, context: dict[str, Any]) -> str:
    """The template filled in; `GenerationFailed` with a readable reason otherwise."""
    try:
        text = _environment().from_string(body).render(**context)
    except Exception as exc:  # any template error is the template's or the data's fault
        raise GenerationFailed(f"{type(exc).__name__}: {exc}") from exc
    if len(text) > MAX_DOCUMENT_CHARS:
        raise GenerationFailed(f"The document exceeds {MAX_DOCUMENT_CHARS} characters")
    return text
