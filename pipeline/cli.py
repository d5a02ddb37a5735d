"""Command-line interface: `python -m pipeline extract|eval|bench|schema`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline import __version__
from pipeline.settings import DEFAULT_MODEL, Settings

EXIT_OK = 0
EXIT_FILE_ERRORS = 1  # some input files could not be processed (only with --strict)
EXIT_USAGE = 2  # bad command line, missing folder or model


def _add_settings_options(parser: argparse.ArgumentParser) -> None:
    """Options shared by every command that runs the pipeline, declared once."""
    defaults = Settings()
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"installed spaCy pipeline to use (default: {DEFAULT_MODEL})")
    order = parser.add_mutually_exclusive_group()
    order.add_argument("--day-first", dest="day_first", action="store_true", default=defaults.day_first,
                       help="read numeric dates such as 05/03/2024 as day/month (the default)")
    order.add_argument("--month-first", dest="day_first", action="store_false",
                       help="read numeric dates such as 05/03/2024 as month/day")
    parser.add_argument("--fiscal-year-start", type=int, default=defaults.fiscal_year_start_month, metavar="MONTH",
                        help="month (1-12) in which a fiscal year starts (default: 1, the calendar year)")
    parser.add_argument("--workers", type=int, default=defaults.workers, metavar="N",
                        help="processes that run the model (default: 1)")
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size, metavar="N",
                        help="documents per nlp.pipe batch (default: 32)")


def settings_from_args(args: argparse.Namespace) -> Settings:
    return Settings(
        model=args.model,
        day_first=args.day_first,
        fiscal_year_start_month=args.fiscal_year_start,
        workers=args.workers,
        batch_size=args.batch_size,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="Extract people, organisations, places, dates, money and agreement periods from press releases.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    extract = commands.add_parser("extract", help="turn a folder of press releases into CSV tables",
                                  description="Read every .txt, .md, .html and .htm file in --raw and write the tables to --out.")
    extract.add_argument("--raw", type=Path, default=Path("raw"), help="folder of press releases (default: raw)")
    extract.add_argument("--out", type=Path, default=Path("outputs"), help="folder for the tables (default: outputs)")
    extract.add_argument("--strict", action="store_true",
                         help="exit with code 1 when any file could not be processed (default: exit 0 and report it)")
    _add_settings_options(extract)

    schema = commands.add_parser("schema", help="print the data dictionary of every table")
    schema.add_argument("--markdown", action="store_true", help="as the Markdown tables the README holds (the default)")
    return parser


def _extract(args: argparse.Namespace) -> int:
    from pipeline.annotate import ModelNotFound
    from pipeline.run import run_extract

    if not args.raw.is_dir():
        print(f"error: the raw folder '{args.raw}' does not exist; create it and put press releases in it", file=sys.stderr)
        return EXIT_USAGE
    settings = settings_from_args(args)
    try:
        summary = run_extract(args.raw, args.out, settings)
    except ModelNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    rows = ", ".join(f"{name} {n}" for name, n in summary.rows.items())
    print(f"{summary.n_documents} documents, {summary.n_failed} failed; rows: {rows}; tables in {args.out}/")
    if summary.n_failed and args.strict:
        return EXIT_FILE_ERRORS
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "extract":
        return _extract(args)
    if args.command == "schema":
        from pipeline.schema import data_dictionary_markdown

        print(data_dictionary_markdown())
        return EXIT_OK
    return EXIT_USAGE
