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
EXIT_WRITE_FAILED = 3  # the outputs could not be written; the previous set is unchanged
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, the shell's convention); the previous set is unchanged


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
                        help=f"documents per nlp.pipe batch (default: {defaults.batch_size})")
    parser.add_argument("--gazetteer", type=_gazetteer_file, default=defaults.gazetteer, metavar="FILE",
                        help="your own places and organisations, JSON lines (see README); they win over the built-in ones")


def _gazetteer_file(value: str) -> str:
    """A readable, well-formed gazetteer file, or a usage error naming the bad line."""
    if not value:  # argparse passes the default through here too
        return ""
    # Imported only when a gazetteer is given: pipeline.components imports spaCy (~1 s), which
    # a rerun that finds every document in the cache never needs.
    from pipeline.components.entity_lexicon import read_user_gazetteer

    try:
        read_user_gazetteer(Path(value))
    except OSError as exc:
        raise argparse.ArgumentTypeError(f"cannot read the gazetteer file '{value}': {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc
    return str(Path(value).resolve())


def settings_from_args(args: argparse.Namespace) -> Settings:
    return Settings(
        model=args.model,
        day_first=args.day_first,
        fiscal_year_start_month=args.fiscal_year_start,
        workers=args.workers,
        batch_size=args.batch_size,
        gazetteer=args.gazetteer,
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
    extract.add_argument("--quiet", action="store_true",
                         help="no progress bar and no closing summary (errors are still printed)")
    extract.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                         help="folder of the per-document cache (default: .cache/pipeline beside --out)")
    extract.add_argument("--no-cache", action="store_true",
                         help="process every file and neither read nor write the cache")
    _add_settings_options(extract)

    bench = commands.add_parser("bench", help="measure speed and memory on a synthetic corpus",
                                description="Generate N synthetic press releases in a temporary folder, run the pipeline on them "
                                            "as a user does and print one name=value line per figure.")
    bench.add_argument("--n", type=int, default=1000, metavar="N", help="number of synthetic documents (default: 1000)")
    bench.add_argument("--words", type=int, default=600, metavar="N", help="approximate words per document (default: 600)")
    bench.add_argument("--seed", type=int, default=0, help="seed of the corpus generator (default: 0)")
    bench.add_argument("--model", default=DEFAULT_MODEL, help=f"installed spaCy pipeline to use (default: {DEFAULT_MODEL})")

    evaluate = commands.add_parser("eval", help="score the tables against the hand-checked expectations in tests/gold",
                                   description="Run the pipeline on the documents tests/gold names and print precision, "
                                               "recall and F1 per table, micro-averaged over documents.")
    evaluate.add_argument("--raw", type=Path, default=Path("raw"), help="folder of the seed documents gold files name (default: raw)")
    evaluate.add_argument("--gold", type=Path, default=Path("tests/gold"), help="folder of gold YAML files (default: tests/gold)")
    evaluate.add_argument("--verbose", action="store_true", help="also list each document's missed and extra values")
    _add_settings_options(evaluate)

    schema = commands.add_parser("schema", help="print the data dictionary of every table")
    schema.add_argument("--markdown", action="store_true", help="as the Markdown tables the README holds (the default)")
    return parser


def _extract(args: argparse.Namespace) -> int:
    from pipeline.progress import progress_wanted, summary_lines
    from pipeline.run import run_extract

    if not args.raw.is_dir():
        print(f"error: the raw folder '{args.raw}' does not exist; create it and put press releases in it", file=sys.stderr)
        return EXIT_USAGE
    settings = settings_from_args(args)
    try:
        summary = run_extract(args.raw, args.out, settings, progress=progress_wanted(args.quiet),
                              cache_dir=args.cache_dir, use_cache=not args.no_cache)
    except KeyboardInterrupt:
        print(f"interrupted: the outputs in {args.out}/ are the complete set of the last run that finished writing; "
              "documents finished so far are cached, so a rerun continues from there", file=sys.stderr)
        return EXIT_INTERRUPTED
    except OSError as exc:
        print(f"error: the outputs could not be written to {args.out}/ ({exc.strerror or exc}); "
              "the previous outputs are unchanged; check the folder's permissions and free space", file=sys.stderr)
        return EXIT_WRITE_FAILED
    except Exception as exc:
        # Imported only here: pipeline.annotate imports spaCy, which a cached rerun never needs.
        from pipeline.annotate import ModelNotFound

        if not isinstance(exc, ModelNotFound):
            raise
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if not args.quiet:
        print("\n".join(summary_lines(summary, args.out)))
    if summary.n_failed and args.strict:
        return EXIT_FILE_ERRORS
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "extract":
        return _extract(args)
    if args.command == "bench":
        from pipeline.bench import run_bench

        return run_bench(n_docs=args.n, words=args.words, seed=args.seed, model=args.model)
    if args.command == "eval":
        from pipeline.evaluate import run_eval

        if not args.gold.is_dir():
            print(f"error: the gold folder '{args.gold}' does not exist", file=sys.stderr)
            return EXIT_USAGE
        run_eval(args.raw, args.gold, settings_from_args(args), verbose=args.verbose)
        return EXIT_OK
    if args.command == "schema":
        from pipeline.schema import data_dictionary_markdown

        print(data_dictionary_markdown())
        return EXIT_OK
    return EXIT_USAGE
