"""outputs/ is committed and must equal what `make extract` makes from raw/ now."""

from conftest import OUTPUTS


def output_files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")}


def test_committed_outputs_are_current(raw_extraction):
    made = output_files(raw_extraction)
    committed = output_files(OUTPUTS)
    assert sorted(committed) == sorted(made), "outputs/ does not hold the files `make extract` writes"
    stale = [name for name in made if committed[name] != made[name]]
    assert not stale, f"outputs/ is stale for {stale}: run `make extract`, read the diff, commit it"
