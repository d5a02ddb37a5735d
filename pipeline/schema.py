"""Every output table's columns, declared once.

The writer orders and types columns from here, the README's data dictionary is generated
from here (`python -m pipeline schema --markdown`), and the tests check both against it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Frictionless Table Schema type: string, integer, number, date, year
    description: str
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    # Rows are written sorted by these columns, so reruns give the same bytes.
    sort_by: tuple[str, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())  # (column, table, column)

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _mention_columns() -> tuple[Column, ...]:
    return (
        Column("start_char", "integer", "Offset of the first character of `text` in the document's cleaned body.", True),
        Column("end_char", "integer", "Offset just past the last character of `text` in the cleaned body: body[start_char:end_char] == text.", True),
        Column("context", "string", "The sentence the mention stands in, from the cleaned body.", True),
    )


DOC_ID = Column("doc_id", "string", "The input file's name without its extension.", True)
TEXT = Column("text", "string", "The mention exactly as it stands in the cleaned body.", True)

DOCUMENTS = Table(
    name="documents",
    description="One row per input file, including files that could not be processed.",
    columns=(
        DOC_ID,
        Column("source_file", "string", "The input file's name inside the raw folder.", True),
        Column("sha256", "string", "SHA-256 of the file's bytes: the row is traceable to exactly one version of the file.", True),
        Column("title", "string", "Headline, from the text or else the manifest."),
        Column("published", "date", "Publication date, YYYY-MM-DD; empty when no full date is known."),
        Column("published_from", "string", "Where `published` came from: header, html_meta, manifest, dateline or none.", True),
        Column("dateline_place", "string", "The place named in the dateline (\"VIENTIANE —\"), as written."),
        Column("author", "string", "Byline (a person's name at the end or start of the story)."),
        Column("source", "string", "Agency credit (\"— VNS\", \"(VNA)\"), or the manifest's source_url host when the text has none."),
        Column("source_url", "string", "From the manifest or the HTML page's canonical link."),
        Column("n_words", "integer", "Number of words in the cleaned body (0 for a file in error).", True),
        Column("status", "string", "ok, or error when the file could not be processed.", True),
        Column("error", "string", "For status error: what is wrong and what to do about it."),
    ),
    sort_by=("doc_id",),
    primary_key=("doc_id",),
)

ENTITIES = Table(
    name="entities",
    description="Every mention of a person, organisation or place in a document's body.",
    columns=(
        DOC_ID,
        Column("label", "string", "PERSON, ORG, GPE (countries, cities, provinces) or LOC (other places): spaCy's scheme.", True),
        TEXT,
        Column("canonical", "string", "The entity's preferred full name, the same for every spelling and short reference.", True),
        Column("entity_id", "string", "The entity's id in entity_index.csv: from the label and the canonical name folded (no case, no diacritics), stable across runs and documents.", True),
        *_mention_columns(),
    ),
    sort_by=("doc_id", "start_char", "end_char", "label"),
    primary_key=("doc_id", "start_char", "end_char", "label"),
    foreign_keys=(("doc_id", "documents", "doc_id"), ("entity_id", "entity_index", "entity_id")),
)

DATES = Table(
    name="dates",
    description="Dates, partial dates, ranges and periods, normalised to ISO-8601 against the publication date.",
    columns=(
        DOC_ID,
        TEXT,
        Column("date_start", "string", "First day/month/year covered: YYYY, YYYY-MM or YYYY-MM-DD, at the precision the text gives; XXXX for a year that cannot be known (XXXX-03-11); XXXX-XX or XXXX-XX-XX for a relative date when the publication date is unknown.", True),
        Column("date_end", "string", "Last day/month/year covered, same format; equals date_start for a single date.", True),
        Column("granularity", "string", "day, week, month, quarter, half, fiscal_year or year (week only for last/this/next week).", True),
        Column("modifier", "string", "early, mid or late when the text narrows the period; else empty."),
        *_mention_columns(),
    ),
    sort_by=("doc_id", "start_char", "end_char"),
    primary_key=("doc_id", "start_char", "end_char"),
    foreign_keys=(("doc_id", "documents", "doc_id"),),
)

MONEY = Table(
    name="money",
    description="Amounts of money with their currency.",
    columns=(
        DOC_ID,
        TEXT,
        Column("amount", "number", "The amount in units of the currency (3 million USD -> 3000000); the low end of a range.", True),
        Column("amount_max", "number", "The high end of a range (US$2-3 million -> 3000000); empty for a single amount."),
        Column("currency", "string", "ISO-4217 code.", True),
        Column("qualifier", "string", "about, nearly, over, more than, up to, at least, ... when the text hedges the amount; else empty."),
        *_mention_columns(),
    ),
    sort_by=("doc_id", "start_char", "end_char"),
    primary_key=("doc_id", "start_char", "end_char"),
    foreign_keys=(("doc_id", "documents", "doc_id"),),
)

AGREEMENTS = Table(
    name="agreements",
    description="Agreements, plans and other instruments with the period they cover.",
    columns=(
        DOC_ID,
        TEXT,
        Column("agreement", "string", "The instrument as written (Cooperation Agreement, MoU, action plan, ...).", True),
        Column("start_year", "year", "First year of the period; empty when the text gives only an end."),
        Column("end_year", "year", "Last year of the period."),
        Column("parties", "string", "The parties named with the instrument (\"between Hanoi and Vientiane\"), separated by \" | \"; empty when none is named."),
        *_mention_columns(),
    ),
    sort_by=("doc_id", "start_char", "end_char"),
    primary_key=("doc_id", "start_char", "end_char"),
    foreign_keys=(("doc_id", "documents", "doc_id"),),
)

ENTITY_INDEX = Table(
    name="entity_index",
    description="One row per entity across all documents: every spelling of one person, organisation or place under one id.",
    columns=(
        Column("entity_id", "string", "Stable id: the label and a hash of the folded canonical name (person-3f9a0c21b7).", True),
        Column("label", "string", "PERSON, ORG, GPE or LOC.", True),
        Column("canonical", "string", "The preferred spelling: with diacritics where one is written, else the most frequent full name.", True),
        Column("aliases", "string", "Every spelling found in the bodies, separated by \" | \".", True),
        Column("n_documents", "integer", "Number of documents that name the entity.", True),
        Column("n_mentions", "integer", "Number of rows of entities.csv for the entity.", True),
    ),
    sort_by=("label", "canonical", "entity_id"),
    primary_key=("entity_id",),
)

ROLES = Table(
    name="roles",
    description="Titles people hold, read from the titles written before or after their names.",
    columns=(
        DOC_ID,
        Column("text", "string", "The title chain and the name as they stand in the cleaned body (\"Secretary of the Hà Nội Party Committee Đinh Tiến Dũng\"); one chain of several titles gives several rows.", True),
        Column("person", "string", "The person's canonical name (as in entities.csv).", True),
        Column("title", "string", "The title as written, first letter capitalised (Secretary, Prime Minister, Member).", True),
        Column("organisation", "string", "Canonical name of the body or country the title is of (Hà Nội Party Committee, Laos); empty when the text names none."),
        *_mention_columns(),
    ),
    sort_by=("doc_id", "start_char", "end_char", "title", "organisation"),
    primary_key=("doc_id", "start_char", "end_char", "title", "organisation"),
    foreign_keys=(("doc_id", "documents", "doc_id"),),
)

TABLES: tuple[Table, ...] = (DOCUMENTS, ENTITIES, DATES, MONEY, AGREEMENTS, ENTITY_INDEX, ROLES)
TABLES_BY_NAME = {t.name: t for t in TABLES}

# Tables whose rows come from a span group of the annotated Doc (group name = table name).
MENTION_TABLES = ("dates", "money", "agreements", "roles")


def data_dictionary_markdown() -> str:
    """The README's data dictionary, generated from the declarations above."""
    out = []
    for table in TABLES:
        out.append(f"### {table.file_name}\n\n{table.description}\n")
        out.append("| column | type | required | description |")
        out.append("| --- | --- | --- | --- |")
        for c in table.columns:
            out.append(f"| {c.name} | {c.type} | {'yes' if c.required else ''} | {c.description} |")
        out.append("")
    return "\n".join(out)
