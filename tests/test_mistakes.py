"""The demo's entry slips: a few first versions are wrong, half of those corrected later."""

from pipelines.assessments import Filled
from pipelines.mistakes import with_slips


def submission(member: str, *, sites: bool = True) -> Filled:
    rows = [{"site_id": f"{member}-{i}", "country": "BD", "workers": 100, "workers_over_60h": 5}
            for i in range(3)] if sites else []
    return Filled("textiel", 2018, member, f"Company {member}", {"msi_member": True}, rows,
                  [{"material": "cotton", "purchased_volume": 10, "certified_volume": 4}])


def test_slips_touch_one_row_of_a_share_and_corrections_are_the_originals():
    originals = [submission(f"M{i:03}") for i in range(400)]
    first, corrections = with_slips(originals, seed=7, share=0.05)
    changed = [(a, b) for a, b in zip(originals, first, strict=True) if a != b]
    assert 8 <= len(changed) <= 35
    for original, slipped in changed:
        diffs = [(o, s) for o, s in zip(original.sites, slipped.sites, strict=True) if o != s]
        assert len(diffs) == 1
        _, row = diffs[0]
        slips = [isinstance(row["workers"], int) and row["workers_over_60h"] > row["workers"],
                 str(row["workers"]).endswith(",5"), row["country"] == "Bangla Desh"]
        assert sum(slips) == 1
    assert set(c.member_id for c in corrections) <= {a.member_id for a, _ in changed}
    assert all(c in originals for c in corrections)
    assert 0 < len(corrections) < len(changed)


def test_without_sites_the_slip_is_an_excel_error_in_a_material():
    first, _ = with_slips([submission("X", sites=False)], seed=1, share=1.0)
    assert first[0].materials[0]["certified_volume"] == "#DIV/0!"


def test_same_seed_same_slips():
    originals = [submission(f"M{i:03}") for i in range(100)]
    assert with_slips(originals, seed=3) == with_slips(originals, seed=3)
