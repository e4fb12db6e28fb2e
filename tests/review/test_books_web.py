"""Recording the books in the console: adoptions and endorsements on the item page; adjustments
and commissions (约稿) on the 加减分与约稿 page. Every entry goes through scoring.ledger."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from baosong.db import transaction
from baosong.models import Adjustment, Adoption, AuditEntry, Commission, Endorsement, Unit
from tests.review.conftest import token_of
from tests.review.samples import vague_item

OUTLET = "生态环境部政务信息刊物"
NEW_POSTS = ["/items/{item}/adoptions", "/items/{item}/endorsements", "/books/adjustments", "/books/commissions",
             "/books/commissions/1/deliver", "/health/outbox/1/release"]


def adopt(client, item_id, **fields):
    data = {"outlet": OUTLET, "adopted_on": "2026-03-19", "proof_received_on": "2026-03-20", **fields}
    return client.post(f"/items/{item_id}/adoptions", data={"csrf_token": token_of(client), **data},
                       follow_redirects=False)


def post(client, path, **fields):
    return client.post(path, data={"csrf_token": token_of(client), **fields}, follow_redirects=False)


def audit_rows(sessions, action):
    with sessions() as session:
        return [(e.actor, e.item_id, e.details) for e in session.scalars(select(AuditEntry).where(AuditEntry.action == action))]


@pytest.fixture
def commission_id(sessions, units) -> int:
    with transaction(sessions) as session:
        row = Commission(unit_id=units["昌吉市环境保护局"], topic="春季大气污染防治成效", due_on=date(2026, 3, 20))
        session.add(row)
        session.flush()
        return row.id


# ---------------------------------------------------------------- access and CSRF


@pytest.mark.parametrize("path", ["/books", "/report", "/report/download?month=2026-03&format=docx"])
def test_the_new_pages_need_a_login(anonymous, path):
    response = anonymous.get(path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("path", NEW_POSTS)
def test_a_books_post_without_the_csrf_token_is_refused(clerk, accepted_item, path):
    response = clerk.post(path.format(item=accepted_item), data={"outlet": OUTLET, "adopted_on": "2026-03-19"})
    assert response.status_code == 403 and "安全令牌" in response.text


def test_nothing_is_recorded_when_the_csrf_token_is_missing(clerk, sessions, accepted_item):
    clerk.post(f"/items/{accepted_item}/adoptions", data={"outlet": OUTLET, "adopted_on": "2026-03-19"})
    with sessions() as session:
        assert session.scalars(select(Adoption)).all() == []


def test_a_clerk_cannot_record_an_adoption_of_a_classified_item(clerk, settings, sessions, units):
    with transaction(sessions) as session:
        secret = vague_item(settings, session, unit_id=units["昌吉市环境保护局"], classified=True)
        secret.verdict = "accepted"
        secret_id = secret.id
    assert adopt(clerk, secret_id).status_code == 404


# ---------------------------------------------------------------- adoptions and endorsements


def test_an_accepted_item_offers_the_adoption_and_endorsement_forms(clerk, accepted_item):
    html = clerk.get(f"/items/{accepted_item}").text
    assert f'action="/items/{accepted_item}/adoptions"' in html and f'action="/items/{accepted_item}/endorsements"' in html
    assert "生态环境部政务信息刊物（30 分）" in html and "州领导批示（15 分）" in html


def test_an_item_not_accepted_has_no_adoption_form(clerk, item_id):
    assert "/adoptions" not in clerk.get(f"/items/{item_id}").text


def test_recording_an_adoption_answers_303_back_to_the_item(clerk, accepted_item):
    response = adopt(clerk, accepted_item)
    assert (response.status_code, response.headers["location"]) == (303, f"/items/{accepted_item}#books")


def test_a_recorded_adoption_is_on_the_books_and_audited(clerk, sessions, accepted_item):
    adopt(clerk, accepted_item, note="刊于第12期")
    with sessions() as session:
        row = session.scalars(select(Adoption)).one()
        assert (row.item_id, row.outlet, row.adopted_on, row.proof_received_on, row.recorded_by) == (
            accepted_item, OUTLET, date(2026, 3, 19), date(2026, 3, 20), "wang")
    [(actor, item, details)] = audit_rows(sessions, "adopt")
    assert (actor, item, details["outlet"]) == ("wang", accepted_item, OUTLET)


def test_the_item_page_lists_the_adoption_with_its_points(clerk, accepted_item):
    adopt(clerk, accepted_item)
    html = clerk.get(f"/items/{accepted_item}").text
    assert "已登记的采用（1）" in html and "政务信息 <strong>30</strong> 分" in html and "已登记：本条信息被" in html


def test_an_adoption_whose_proof_came_after_the_25th_is_listed_as_not_counting(clerk, accepted_item):
    adopt(clerk, accepted_item, adopted_on="2026-03-20", proof_received_on="2026-04-02")
    assert "证明逾期，不计分" in clerk.get(f"/items/{accepted_item}").text


def test_recording_an_adoption_with_late_proof_warns_that_it_will_not_score(clerk, accepted_item):
    adopt(clerk, accepted_item, adopted_on="2026-11-10", proof_received_on="2026-11-28")
    html = clerk.get(f"/items/{accepted_item}").text
    assert 'class="flash flash-warn"' in html
    assert "刊发证明 2026-11-28 才收到，晚于报送期限 2026-11-25" in html and "不计分" in html
    assert "2026年11月的通报将把它列入通报批评" in html


def test_recording_an_adoption_with_proof_in_time_gives_no_warning(clerk, accepted_item):
    adopt(clerk, accepted_item, adopted_on="2026-11-10", proof_received_on="2026-11-25")
    html = clerk.get(f"/items/{accepted_item}").text
    assert 'class="flash flash-ok"' in html and "晚于报送期限" not in html


def test_an_adoption_of_an_item_not_accepted_shows_the_ledger_refusal_as_422(clerk, sessions, item_id):
    response = clerk.post(f"/items/{item_id}/adoptions", data={
        "csrf_token": token_of(clerk), "outlet": OUTLET, "adopted_on": "2026-03-19", "proof_received_on": "2026-03-19"})
    assert response.status_code == 422 and "未被接收" in response.text
    with sessions() as session:
        assert session.scalars(select(Adoption)).all() == []


def test_the_same_outlet_twice_shows_the_ledger_message_as_422(clerk, accepted_item):
    adopt(clerk, accepted_item)
    response = adopt(clerk, accepted_item, adopted_on="2026-03-18", proof_received_on="2026-03-18")
    assert response.status_code == 422 and f"已登记过被「{OUTLET}」采用" in response.text


def test_proof_before_publication_shows_the_ledger_message_as_422(clerk, accepted_item):
    response = adopt(clerk, accepted_item, proof_received_on="2026-03-01")
    assert response.status_code == 422 and "早于采用日期" in response.text


def test_an_adoption_dated_before_the_item_arrived_shows_the_ledger_message_as_422(clerk, accepted_item):
    response = adopt(clerk, accepted_item, adopted_on="2026-03-16", proof_received_on="2026-03-16")  # item came on 18 March
    assert response.status_code == 422 and "采用日期（2026-03-16）早于信息" in response.text


def test_a_wrong_date_is_shown_beside_its_field_and_the_form_keeps_what_was_typed(clerk, accepted_item):
    response = adopt(clerk, accepted_item, adopted_on="2026-02-30", note="刊于第12期")
    assert response.status_code == 422
    assert '刊发日期“2026-02-30”不是有效日期' in response.text and ">刊于第12期</textarea>" in response.text


def test_an_outlet_not_in_the_rule_set_is_refused_beside_the_field(clerk, accepted_item):
    response = adopt(clerk, accepted_item, outlet="人民日报")
    assert response.status_code == 422 and "请从列表中选择采用的刊物或媒体" in response.text


def test_a_missing_proof_date_is_refused_when_the_rules_set_a_deadline(clerk, accepted_item):
    response = adopt(clerk, accepted_item, proof_received_on="")
    assert response.status_code == 422 and "请填写收到刊发证明的日期" in response.text


def test_a_recorded_endorsement_is_on_the_books_and_audited(clerk, sessions, accepted_item):
    response = post(clerk, f"/items/{accepted_item}/endorsements", level="州", leader="王副州长", endorsed_on="2026-03-19")
    assert response.status_code == 303
    with sessions() as session:
        row = session.scalars(select(Endorsement)).one()
        assert (row.level, row.leader, row.endorsed_on) == ("州", "王副州长", date(2026, 3, 19))
    assert audit_rows(sessions, "endorse")[0][:2] == ("wang", accepted_item)


def test_the_item_page_lists_the_endorsement_by_its_label(clerk, accepted_item):
    post(clerk, f"/items/{accepted_item}/endorsements", level="州", leader="王副州长", endorsed_on="2026-03-19")
    html = clerk.get(f"/items/{accepted_item}").text
    assert "已登记的批示（1）" in html and "<td>州领导批示</td><td>王副州长</td>" in html


def test_an_endorsement_without_a_level_is_refused_beside_the_field(clerk, accepted_item):
    response = post(clerk, f"/items/{accepted_item}/endorsements", level="", endorsed_on="2026-03-19")
    assert response.status_code == 422 and "请选择批示级别" in response.text


def test_script_in_a_note_and_a_leader_name_is_shown_as_text(clerk, accepted_item):
    adopt(clerk, accepted_item, note="<script>alert('note')</script>")
    post(clerk, f"/items/{accepted_item}/endorsements", level="州", leader='<img src=x onerror="alert(1)">',
         endorsed_on="2026-03-19")
    html = clerk.get(f"/items/{accepted_item}").text
    assert "<script>alert(" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;note&#39;)" in html and "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in html


def test_bidi_and_control_characters_are_stripped_from_a_note(clerk, sessions, accepted_item):
    adopt(clerk, accepted_item, note="刊于\u202e第12期\x00")
    with sessions() as session:
        assert session.scalars(select(Adoption.note)).one() == "刊于第12期"


# ---------------------------------------------------------------- adjustments


def test_the_books_page_offers_the_rule_sets_adjustment_kinds(clerk, units):
    html = clerk.get("/books").text
    assert "信息严重失实（-30 分）" in html and "昌吉市环境保护局" in html


def test_an_adjustment_in_points_is_on_the_books_and_audited(clerk, sessions, units):
    response = post(clerk, "/books/adjustments", unit=str(units["阜康市环境保护局"]), points="-10",
                    reason="3月8日信息迟报", dated_on="2026-03-10")
    assert (response.status_code, response.headers["location"]) == (303, "/books#adjustments")
    with sessions() as session:
        row = session.scalars(select(Adjustment)).one()
        assert (row.unit_id, row.points, row.percent, row.reason, row.recorded_by) == (
            units["阜康市环境保护局"], -10.0, None, "3月8日信息迟报", "wang")
    assert audit_rows(sessions, "adjust")[0][2]["unit"] == "阜康市环境保护局"


def test_an_adjustment_by_a_configured_kind_needs_no_points_or_reason(clerk, sessions, units):
    response = post(clerk, "/books/adjustments", unit=str(units["阜康市环境保护局"]), kind="信息严重失实",
                    dated_on="2026-03-10")
    assert response.status_code == 303
    with sessions() as session:
        row = session.scalars(select(Adjustment)).one()
        assert (row.points, row.kind, row.reason) == (-30.0, "信息严重失实", "信息严重失实")


def test_the_books_page_lists_this_years_adjustments(clerk, units):
    post(clerk, "/books/adjustments", unit=str(units["阜康市环境保护局"]), percent="-20", reason="未按规定报送",
         dated_on="2026-03-10")
    html = clerk.get("/books").text
    assert "全年总分 -20%" in html and "未按规定报送" in html and "已登记阜康市环境保护局的加减分" in html


def test_an_adjustment_with_both_points_and_percent_is_refused(clerk, sessions, units):
    response = post(clerk, "/books/adjustments", unit=str(units["阜康市环境保护局"]), points="-10", percent="-20",
                    reason="x", dated_on="2026-03-10")
    assert response.status_code == 422 and "分值和百分比只填一项" in response.text


def test_an_adjustment_without_points_percent_or_kind_is_refused(clerk, units):
    response = post(clerk, "/books/adjustments", unit=str(units["阜康市环境保护局"]), reason="x", dated_on="2026-03-10")
    assert response.status_code == 422 and "请填写分值（扣分写负数）" in response.text


@pytest.mark.parametrize("value", ["nan", "inf", "-1e309", "1e6", "三十"])
def test_an_adjustment_that_is_not_a_sensible_number_is_refused(clerk, sessions, units, value):
    response = post(clerk, "/books/adjustments", unit=str(units["阜康市环境保护局"]), points=value, reason="x",
                    dated_on="2026-03-10")
    assert response.status_code == 422 and "分值应是 -10000 到 10000 之间的数字" in response.text
    with sessions() as session:
        assert session.scalars(select(Adjustment)).all() == []


def test_full_width_digits_and_a_typographic_minus_are_read_as_a_number(clerk, sessions, units):
    post(clerk, "/books/adjustments", unit=str(units["阜康市环境保护局"]), points="−３０", reason="迟报",
         dated_on="2026-03-10")
    with sessions() as session:
        assert session.scalars(select(Adjustment.points)).one() == -30.0


def test_an_adjustment_for_an_unknown_unit_is_refused_beside_the_field(clerk, units):
    response = post(clerk, "/books/adjustments", unit="999", points="-10", reason="x", dated_on="2026-03-10")
    assert response.status_code == 422 and "请从列表中选择单位" in response.text


def test_a_unit_name_with_markup_is_shown_as_text_on_the_books_page(clerk, sessions):
    with transaction(sessions) as session:
        session.add(Unit(name="<script>alert('unit')</script>局", category="县市环保局", aliases=[], emails=[]))
    html = clerk.get("/books").text
    assert "<script>alert(" not in html and "&lt;script&gt;alert(&#39;unit&#39;)&lt;/script&gt;局" in html


# ---------------------------------------------------------------- commissions (约稿)


def test_a_commission_is_on_the_books_audited_and_listed(clerk, sessions, units):
    response = post(clerk, "/books/commissions", unit=str(units["昌吉市环境保护局"]), topic="夏季水污染防治",
                    due_on="2026-04-10")
    assert (response.status_code, response.headers["location"]) == (303, "/books#commissions")
    with sessions() as session:
        row = session.scalars(select(Commission)).one()
        assert (row.topic, row.due_on, row.recorded_by) == ("夏季水污染防治", date(2026, 4, 10), "wang")
    assert audit_rows(sessions, "commission")[0][2]["topic"] == "夏季水污染防治"
    assert "夏季水污染防治" in clerk.get("/books").text


def test_a_commission_without_a_topic_is_refused_beside_the_field(clerk, units):
    response = post(clerk, "/books/commissions", unit=str(units["昌吉市环境保护局"]), topic=" ", due_on="2026-04-10")
    assert response.status_code == 422 and "请填写约稿题目" in response.text


def test_delivering_a_commission_with_the_units_item_marks_it_on_time(clerk, sessions, accepted_item, commission_id):
    response = post(clerk, f"/books/commissions/{commission_id}/deliver", item=str(accepted_item),
                    delivered_on="2026-03-18")
    assert response.status_code == 303
    with sessions() as session:
        row = session.get(Commission, commission_id)
        assert (row.item_id, row.delivered_on) == (accepted_item, date(2026, 3, 18))
    assert audit_rows(sessions, "commission_delivered")[0][:2] == ("wang", accepted_item)
    assert "按时交稿" in clerk.get("/books").text


def test_a_commission_past_its_due_date_is_shown_as_overdue(clerk, commission_id, sessions):
    with transaction(sessions) as session:
        session.get(Commission, commission_id).due_on = date(2026, 3, 1)
    assert "已过期限，未交稿" in clerk.get("/books").text


def test_delivering_with_another_units_item_shows_the_ledger_message_as_422(clerk, sessions, accepted_item, units,
                                                                            commission_id):
    with transaction(sessions) as session:
        session.get(Commission, commission_id).unit_id = units["阜康市环境保护局"]
    response = post(clerk, f"/books/commissions/{commission_id}/deliver", item=str(accepted_item),
                    delivered_on="2026-03-18")
    assert response.status_code == 422 and "不是约稿单位报送的" in response.text


def test_delivering_with_an_unknown_item_shows_the_ledger_message_as_422(clerk, commission_id):
    response = post(clerk, f"/books/commissions/{commission_id}/deliver", item="CJHB-2026-99999",
                    delivered_on="2026-03-18")
    assert response.status_code == 422 and "找不到信息「CJHB-2026-99999」" in response.text


def test_a_clerk_cannot_deliver_with_a_classified_item(clerk, settings, sessions, units, commission_id):
    with transaction(sessions) as session:
        secret = vague_item(settings, session, unit_id=units["昌吉市环境保护局"], classified=True)
        secret.verdict = "accepted"
        secret_id = secret.id
    response = post(clerk, f"/books/commissions/{commission_id}/deliver", item=str(secret_id), delivered_on="2026-03-18")
    assert response.status_code == 422 and "找不到信息" in response.text
    with sessions() as session:
        assert session.get(Commission, commission_id).item_id is None


def test_a_commission_topic_with_markup_is_shown_as_text(clerk, units):
    post(clerk, "/books/commissions", unit=str(units["昌吉市环境保护局"]), topic="<b>加急</b>", due_on="2026-04-10")
    html = clerk.get("/books").text
    assert "<b>加急" not in html and "&lt;b&gt;加急&lt;/b&gt;" in html


def test_the_audit_page_says_what_an_adjustment_recorded(clerk, units):
    post(clerk, "/books/adjustments", unit=str(units["阜康市环境保护局"]), points="-10", reason="迟报",
         dated_on="2026-03-10")
    html = clerk.get("/audit").text
    assert "<td>加减分</td>" in html and "阜康市环境保护局：-10 分（2026-03-10）；迟报" in html


def test_the_item_audit_trail_names_the_outlet_of_an_adoption(clerk, accepted_item):
    adopt(clerk, accepted_item)
    assert f"被「{OUTLET}」采用（2026-03-19）" in clerk.get(f"/items/{accepted_item}").text
