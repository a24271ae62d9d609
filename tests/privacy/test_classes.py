"""Every personal column of every table has a data class (core.privacy): a new column fails
here, named, until it is classified."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, MetaData, String, Table, Uuid

from hrcore import domains
from hrcore.core import privacy
from hrcore.core.privacy import DataClass


def test_every_personal_column_has_a_class() -> None:
    assert privacy.unclassified_columns(domains.metadata) == []


def test_every_personal_table_is_in_the_registry_and_nothing_else() -> None:
    assert privacy.personal_tables(domains.metadata) == set(privacy.PERSONAL_COLUMNS)


def test_the_registry_names_only_columns_that_exist_once() -> None:
    for table, classes in privacy.PERSONAL_COLUMNS.items():
        columns = {column.name for column in domains.metadata.tables[table].columns}
        technical = privacy.NOT_PERSONAL.get(table, frozenset())
        assert set(classes) <= columns, (table, set(classes) - columns)
        assert technical <= columns, (table, technical - columns)
        assert not set(classes) & technical, (table, set(classes) & technical)
    assert set(privacy.NOT_PERSONAL) <= set(privacy.PERSONAL_COLUMNS)


def test_the_employee_record_is_classified_as_pipl_reads_it() -> None:
    employees = domains.metadata.tables["employees"].columns
    assert privacy.data_class(employees["id_number"]) is DataClass.SENSITIVE
    assert privacy.data_class(employees["personal_phone"]) is DataClass.CONTACT
    assert privacy.data_class(employees["full_name"]) is DataClass.BASIC
    assert privacy.data_class(employees["manager_id"]) is DataClass.BASIC  # by the bulk rule
    ratings = domains.metadata.tables["performance_ratings"].columns
    assert privacy.data_class(ratings["score"]) is DataClass.EVALUATION
    assert privacy.data_class(domains.metadata.tables["departments"].columns["name"]) is None


def test_a_new_unclassified_column_is_named() -> None:
    metadata = MetaData()
    Table("employees", metadata, Column("id", Uuid, primary_key=True), Column("id_number", String))
    Table(
        "work_results",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("employee_id", Uuid, ForeignKey("employees.id")),
        Column("title", String),
        Column("blood_type", String),
    )
    Table(
        "screening_notes",
        metadata,
        Column("id", Uuid, primary_key=True),
        Column("result_id", Uuid, ForeignKey("work_results.id")),
        Column("remark", String),
    )
    Table("departments", metadata, Column("id", Uuid, primary_key=True), Column("motto", String))
    assert privacy.unclassified_columns(metadata) == [
        "screening_notes.remark",
        "work_results.blood_type",
    ]
