"""Personal data under PIPL: the classes every personal field belongs to.

The class decides who may read a field (minimum necessary, Art. 6), whether a read is
logged (sensitive and evaluation data), how long it is kept (retention rules name a class)
and whether processing needs a separate consent (sensitive, Art. 28–29)."""

from __future__ import annotations

from enum import StrEnum


class DataClass(StrEnum):
    """What kind of personal information a field holds."""

    BASIC = "basic"
    """Name, department, position, hire date: what a colleague may know."""
    CONTACT = "contact"
    """Work and personal phone, e-mail, address."""
    SENSITIVE = "sensitive"
    """PIPL Art. 28: ID number, health, family, religion, biometrics, finances, salary."""
    EVALUATION = "evaluation"
    """Ratings, 360 answers, competency gaps, screening and ranking results, points."""
