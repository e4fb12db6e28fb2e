"""Correcting and deleting entries on the books in the console: one page per entry, a reason for
every change, 303 when done, 422 with the error beside the field; a repeated adjustment is confirmed."""

from __future__ import annotations

from sqlalchemy import select

from baosong.models import Adjustment, Adoption, AuditEntry
from tests.review.test_books_web import OUTLET, adopt, post


def _adoption(sessions) -> int:  # noqa: ANN001
    with sessions() as session:
        return session.scalars(select(Adoption.id)).one()


def test_the_entry_page_shows_the_adoption_as_recorded(clerk, sessions, accepted_item):
    adopt(clerk, accepted_item)
    page = clerk.get(f"/books/adoption/{_adoption(sessions)}").text
    assert "更正或删除采用记录" in page and f'value="{OUTLET}" selected' in page and "2026-03-19" in page


def test_the_item_page_links_each_adoption_to_its_correction_page(clerk, sessions, accepted_item):
    adopt(clerk, accepted_item)
    assert f'href="/books/adoption/{_adoption(sessions)}"' in clerk.get(f"/items/{accepted_item}").text


def test_a_correction_with_a_reason_changes_the_adoption_and_returns_to_the_item(clerk, sessions, accepted_item):
    adopt(clerk, accepted_item)
    adoption = _adoption(sessions)
    response = post(clerk, f"/books/adoption/{adoption}/correct", outlet=OUTLET, adopted_on="2026-03-25",
                    proof_received_on="2026-03-26", note="", reason="刊发日期录错")
    assert response.status_code == 303 and response.headers["location"] == f"/items/{accepted_item}#books"
    with sessions() as session:
        assert session.get(Adoption, adoption).adopted_on.isoformat() == "2026-03-25"


def test_correcting_an_adoption_to_a_late_proof_date_warns_that_it_will_not_score(clerk, sessions, accepted_item):
    adopt(clerk, accepted_item, adopted_on="2026-11-10", proof_received_on="2026-11-20")
    post(clerk, f"/books/adoption/{_adoption(sessions)}/correct", outlet=OUTLET, adopted_on="2026-11-10",
         proof_received_on="2026-11-28", note="", reason="证明日期录错")
    html = clerk.get(f"/items/{accepted_item}").text
    assert 'class="flash flash-warn"' in html and "已更正这条采用记录" in html
    assert "刊发证明 2026-11-28 才收到，晚于报送期限 2026-11-25" in html and "不计分" in html


def test_a_correction_without_a_reason_is_shown_again_with_the_error(clerk, sessions, accepted_item):
    adopt(clerk, accepted_item)
    adoption = _adoption(sessions)
    response = post(clerk, f"/books/adoption/{adoption}/correct", outlet=OUTLET, adopted_on="2026-03-25", reason="")
    assert response.status_code == 422 and "请填写更正的理由" in response.text and 'value="2026-03-25"' in response.text
    with sessions() as session:
        assert session.get(Adoption, adoption).adopted_on.isoformat() == "2026-03-19"


def test_deleting_an_adoption_needs_a_reason_and_is_audited(clerk, sessions, accepted_item):
    adopt(clerk, accepted_item)
    adoption = _adoption(sessions)
    refused = post(clerk, f"/books/adoption/{adoption}/delete", reason="")
    done = post(clerk, f"/books/adoption/{adoption}/delete", reason="登记错了条目")
    assert refused.status_code == 422 and "请填写删除的理由" in refused.text and done.status_code == 303
    with sessions() as session:
        assert session.get(Adoption, adoption) is None
        assert session.scalars(select(AuditEntry.reason).where(AuditEntry.action == "delete_adoption")).one() == "登记错了条目"


def test_an_unknown_kind_of_entry_is_not_found(clerk):
    assert clerk.get("/books/payment/1").status_code == 404


def _adjust(client, units, **extra):  # noqa: ANN001
    return post(client, "/books/adjustments", unit=str(units["昌吉市环境保护局"]), points="-30", reason="重要信息迟报",
                dated_on="2026-03-18", **extra)


def test_the_same_adjustment_again_today_asks_for_confirmation(clerk, sessions, units):
    first, second = _adjust(clerk, units), _adjust(clerk, units)
    assert first.status_code == 303 and second.status_code == 422
    assert "已给昌吉市环境保护局登记过一笔相同的加减分" in second.text and 'name="confirm"' in second.text
    with sessions() as session:
        assert len(session.scalars(select(Adjustment)).all()) == 1


def test_a_confirmed_repeat_adjustment_is_recorded(clerk, sessions, units):
    _adjust(clerk, units)
    assert _adjust(clerk, units, confirm="1").status_code == 303
    with sessions() as session:
        assert len(session.scalars(select(Adjustment)).all()) == 2


def test_an_adjustment_is_corrected_from_the_books_page(clerk, sessions, units):
    _adjust(clerk, units)
    with sessions() as session:
        adjustment = session.scalars(select(Adjustment.id)).one()
    assert f'href="/books/adjustment/{adjustment}"' in clerk.get("/books").text
    response = post(clerk, f"/books/adjustment/{adjustment}/correct", points="-10", percent="", dated_on="2026-03-18",
                    text="重要信息迟报", kind="", group="", reason="按新规定改为 -10")
    assert response.status_code == 303 and response.headers["location"] == "/books#adjustments"
    with sessions() as session:
        assert session.get(Adjustment, adjustment).points == -10


def test_the_audit_log_shows_what_a_correction_changed_in_chinese(clerk, sessions, accepted_item):
    adopt(clerk, accepted_item)
    post(clerk, f"/books/adoption/{_adoption(sessions)}/correct", outlet=OUTLET, adopted_on="2026-03-25",
         proof_received_on="2026-03-26", note="", reason="刊发日期录错")
    page = clerk.get("/audit", params={"action": "correct_adoption"}).text
    assert "更正采用" in page and "刊发日期 2026-03-19 → 2026-03-25" in page and "刊发日期录错" in page
