"""Freshly generated forms the code has never seen: other offices, amounts, names."""

from __future__ import annotations

from pathlib import Path

import pytest

from extract.bench.scoring import pair_forms, read_gold, score_form
from samples.generate import unseen_documents
from samples.gold import UNSEEN_NAMES

UNSEEN = {name for names in UNSEEN_NAMES.values() for name in names}


@pytest.mark.slow
def test_unseen_text_forms_are_right_and_unseen_names_kept_as_printed(extractor, tmp_path: Path):
    pdfs = unseen_documents(tmp_path, n_forms=24, seed=20261123)
    total = wrong = unseen_names = 0
    for pdf in pdfs:
        gold = read_gold(pdf.with_suffix("").with_suffix(".gold.jsonl"))
        result = extractor.extract_file(pdf)
        assert result.status == "done", result.error
        pairs, invented = pair_forms(result.records, gold)
        assert not invented
        for got, want in pairs:
            assert got is not None, f"missed a form in {pdf.name}"
            score = score_form(got, want)
            total += len(score.fields)
            wrong += len(score.wrong)
            flagged = {item.field for item in got.review}
            assert len(flagged) <= 2, f"review noise on a form read right: {sorted(flagged)}"
            for i, row in enumerate(want.indicators):
                if row.name_raw in UNSEEN:
                    unseen_names += 1
                    assert got.indicators[i].name == got.indicators[i].name_raw == row.name_raw
                    assert f"indicators[{i}].name" not in flagged
    assert total > 2000
    assert unseen_names >= 20
    assert 1 - wrong / total >= 0.999, f"{wrong} of {total} fields wrong"
