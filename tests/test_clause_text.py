"""The clause files quote the signed MoU verbatim, in order, and cover all of it."""

from __future__ import annotations

from mou.tools.lint import not_text
from mou.tools.signed_text import check_paragraphs, uncovered


def _paragraphs(ruleset):
    return [(p.id, p.text) for p in ruleset.paragraphs.values()]


def test_every_paragraph_is_verbatim_and_in_order(ruleset):
    assert check_paragraphs(ruleset.signed_text, _paragraphs(ruleset)) == []


def test_the_paragraphs_cover_the_whole_signed_text(ruleset):
    assert uncovered(ruleset.signed_text, _paragraphs(ruleset), not_text(ruleset)) == []


def test_every_article_and_area_has_its_paragraphs(ruleset):
    expected = {"I.1", "I.2", "I.3", "II.1", "II.2", "III.1", "III.2", "IV.1", "IV.2", "V.1", "V.2", "V.3",
                "VI", "VII", "VIII", "IX.1", "IX.2", "IX.3"}
    expected |= {f"V.1.{n}" for n in ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")}
    assert expected <= set(ruleset.paragraphs)


def test_a_changed_word_is_reported(ruleset):
    paragraphs = [(pid, text.replace("six months", "three months")) for pid, text in _paragraphs(ruleset)]
    found = check_paragraphs(ruleset.signed_text, paragraphs)
    assert [m.paragraph for m in found] == ["IX.3"]
    assert "six months" in found[0].message


def test_paragraphs_out_of_order_are_reported(ruleset):
    paragraphs = _paragraphs(ruleset)
    index = [pid for pid, _ in paragraphs].index("I.2")
    paragraphs[index], paragraphs[index + 1] = paragraphs[index + 1], paragraphs[index]
    assert any("out of order" in m.message for m in check_paragraphs(ruleset.signed_text, paragraphs))
