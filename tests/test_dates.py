import pytest

from generator.dates import PartialDate


@pytest.mark.parametrize(
    ("text", "iso", "precision", "label"),
    [
        ("2019", "2019", "year", "2019"),
        (2019, "2019", "year", "2019"),
        ("2019-08", "2019-08", "month", "August 2019"),
        ("2019-08-13", "2019-08-13", "day", "13 August 2019"),
    ],
)
def test_parse_keeps_precision(text, iso, precision, label):
    d = PartialDate.parse(text)
    assert (d.iso, d.precision, d.label) == (iso, precision, label)


@pytest.mark.parametrize("bad", ["2019-13", "2019-02-30", "Feb 2019", "19-08", "", None, 3.5])
def test_parse_rejects(bad):
    with pytest.raises(ValueError):
        PartialDate.parse(bad)


def test_order_puts_coarser_first():
    assert sorted(PartialDate.parse(x) for x in ["2019-08-13", "2019", "2019-08", "2018-12"]) == [
        PartialDate(2018, 12),
        PartialDate(2019),
        PartialDate(2019, 8),
        PartialDate(2019, 8, 13),
    ]
