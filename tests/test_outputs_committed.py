"""outputs/ is committed and must equal what `make extract` makes from raw/ now."""

from pipeline.schema import TABLES

from conftest import OUTPUTS


def test_committed_outputs_are_current(raw_extraction):
    stale = [
        t.file_name
        for t in TABLES
        if not (OUTPUTS / t.file_name).exists()
        or (OUTPUTS / t.file_name).read_bytes() != (raw_extraction / t.file_name).read_bytes()
    ]
    assert not stale, f"outputs/ is stale for {stale}: run `make extract`, read the diff, commit it"
