"""The pages: who sees what (personal data to members and methodologists only), the actions
through the browser's forms, bounded queries on list pages, the iCalendar export."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from communities import services
from communities.models import EventRegistration, Material, MentoringPair, PairState, PlanStep
from monitoring.models import SupportRecord, Teacher
from tests.factories import (
    MethodologistFactory,
    SchoolHeadFactory,
    TeacherFactory,
    UserFactory,
)
from tests.factories.communities import (
    CommunityPageFactory,
    EventFactory,
    MembershipFactory,
    MentoringPairFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def populated(community):
    member = MembershipFactory(community=community).user
    MembershipFactory(community=community, user=community.coordinator, role="coordinator")
    services.topic_start(user=member, community=community, title="Тема для своих", body="Текст")
    services.material_add(
        user=member, community=community, title="Памятка", url="https://example.ru/p"
    )
    EventFactory(community=community, title="Семинар по ОГЭ")
    return member


def _as(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    "role", ["anonymous", "teacher", "head", "member", "methodologist", "coordinator"]
)
def test_community_page_shows_people_only_to_members_and_methodologists(
    client, community, populated, role
):
    users = {
        "anonymous": None,
        "teacher": TeacherFactory(),
        "head": SchoolHeadFactory(),
        "member": populated,
        "methodologist": MethodologistFactory(),
        "coordinator": community.coordinator,
    }
    response = _as(client, users[role]).get(community.url)
    html = response.content.decode()
    assert response.status_code == 200
    # Public: description, coordinator, upcoming events, member count.
    assert community.coordinator.get_full_name() in html
    assert "Семинар по ОГЭ" in html
    assert "Участников" in html
    insider = role in ("member", "methodologist", "coordinator")
    assert (populated.school.short_name in html) is insider
    assert ("Тема для своих" in html) is insider
    assert ("Памятка" in html) is insider


def test_join_and_leave_through_the_page(client, community):
    teacher = TeacherFactory()
    client.force_login(teacher)
    response = client.post(reverse("communities:join", args=[community.pk]), follow=True)
    assert "Вы вступили" in response.content.decode()
    response = client.post(reverse("communities:join", args=[community.pk]), follow=True)
    assert "уже участник" in response.content.decode()
    assert services.is_member(teacher, community)
    client.post(reverse("communities:leave", args=[community.pk]))
    assert not services.is_member(teacher, community)


def test_coordinator_approves_a_request_on_the_page(client, request_community):
    teacher = TeacherFactory()
    membership = services.community_join(user=teacher, community=request_community)
    client.force_login(request_community.coordinator)
    html = client.get(request_community.url).content.decode()
    assert "Заявки на вступление" in html and teacher.get_full_name() in html
    client.post(
        reverse("communities:membership_decide", args=[request_community.pk, membership.pk]),
        {"action": "approve"},
    )
    assert services.is_member(teacher, request_community)
    client.force_login(TeacherFactory())
    response = client.post(
        reverse("communities:membership_decide", args=[request_community.pk, membership.pk]),
        {"action": "remove"},
    )
    assert response.status_code == 403


def test_topic_is_for_members_and_reply_with_a_bad_attachment_is_refused(
    client, community, populated
):
    topic = community.topics.get()
    client.force_login(TeacherFactory())
    response = client.get(reverse("communities:topic_detail", args=[topic.pk]))
    assert response.status_code == 302
    client.force_login(populated)
    bad = SimpleUploadedFile("plan.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = client.post(
        reverse("communities:topic_detail", args=[topic.pk]), {"body": "Ответ", "attachment": bad}
    )
    assert response.status_code == 200
    assert "не принят" in response.content.decode()
    assert topic.posts.count() == 1
    good = SimpleUploadedFile("plan.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(
        reverse("communities:topic_detail", args=[topic.pk]), {"body": "Ответ", "attachment": good}
    )
    assert topic.posts.count() == 2


def test_non_member_cannot_open_the_new_topic_form(client, community):
    client.force_login(TeacherFactory())
    response = client.post(
        reverse("communities:topic_new", args=[community.pk]),
        {"title": "Т", "body": "Б"},
        follow=True,
    )
    assert "только участники" in response.content.decode()
    assert not community.topics.exists()


def test_material_search_by_word_and_tag(client, community, populated):
    services.material_add(
        user=populated,
        community=community,
        title="Разбор заданий",
        url="https://example.ru/r",
        tags=["ОГЭ"],
    )
    client.force_login(populated)
    html = client.get(community.url, {"q": "огэ"}).content.decode()
    assert "Разбор заданий" in html and "Памятка" not in html
    html = client.get(community.url, {"q": "памятка"}).content.decode()
    assert "Памятка" in html and "Разбор заданий" not in html


def test_material_form_needs_a_file_or_link(client, community, populated):
    client.force_login(populated)
    response = client.post(
        reverse("communities:material_add", args=[community.pk]), {"title": "Пусто"}
    )
    assert "Приложите документ" in response.content.decode()
    assert Material.objects.count() == 1


def test_event_link_only_for_registered(client, community, populated):
    event = EventFactory(community=community, format="online", link="https://meet.example.ru/room")
    url = reverse("communities:event_detail", args=[event.pk])
    assert "meet.example.ru" not in client.get(url).content.decode()
    client.force_login(populated)
    assert "meet.example.ru" not in client.get(url).content.decode()
    client.post(reverse("communities:event_register", args=[event.pk]))
    assert "meet.example.ru" in client.get(url).content.decode()


def test_register_and_mark_present_through_the_pages(client, community, populated):
    Teacher.objects.create(code="x1", full_name="—", user=populated)
    event = EventFactory(community=community)
    client.force_login(populated)
    client.post(reverse("communities:event_register", args=[event.pk]))
    assert EventRegistration.objects.filter(event=event, user=populated).exists()
    event.starts_at = timezone.now() - datetime.timedelta(hours=1)
    event.save()
    client.force_login(community.coordinator)
    client.post(
        reverse("communities:event_attendance", args=[event.pk]), {"present": [populated.pk]}
    )
    assert SupportRecord.objects.filter(source_ref=f"event:{event.pk}:user:{populated.pk}").exists()
    client.force_login(populated)
    response = client.post(
        reverse("communities:event_attendance", args=[event.pk]), {"present": []}
    )
    assert response.status_code == 403


def test_index_and_calendar_queries_do_not_grow(client, index, django_assert_max_num_queries):
    for number in range(6):
        community = CommunityPageFactory(parent=index, slug=f"c{number}")
        for _ in range(3):
            MembershipFactory(community=community)
        EventFactory(
            community=community, starts_at=timezone.now() + datetime.timedelta(hours=number + 1)
        )
    client.get(index.url)  # site and settings caches warm up
    with django_assert_max_num_queries(14):
        response = client.get(index.url)
    assert response.content.decode().count("community-card") >= 6
    with django_assert_max_num_queries(12):
        response = client.get(reverse("communities:event_calendar"))
    assert response.status_code == 200


def test_community_page_queries_do_not_grow_with_members(
    client, community, django_assert_max_num_queries
):
    for _ in range(12):
        MembershipFactory(community=community)
    for _ in range(5):
        services.material_add(
            user=community.coordinator,
            community=community,
            title="М",
            url="https://e.ru",
            tags=["а", "б"],
        )
    client.force_login(MethodologistFactory())
    client.get(community.url)
    with django_assert_max_num_queries(32):
        response = client.get(community.url)
    assert response.status_code == 200


def test_pair_list_queries_do_not_grow(client, django_assert_max_num_queries):
    for _ in range(8):
        MentoringPairFactory()
    client.force_login(MethodologistFactory())
    client.get(reverse("communities:pair_list"))  # site and settings caches warm up
    with django_assert_max_num_queries(14):
        response = client.get(reverse("communities:pair_list"))
    assert response.content.decode().count("pair-state--") >= 8


def test_calendar_ics_is_rfc5545(client, community):
    event = EventFactory(
        community=community,
        title="Семинар; часть 1, «дроби»",
        agenda="Строка 1\nСтрока 2 " + "очень длинная повестка " * 10,
        format="online",
        link="https://meet.example.ru/secret",
    )
    response = client.get(reverse("communities:calendar_ics"))
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:Семинар\\; часть 1\\, «дроби»" in unfolded
    assert "Строка 1\\nСтрока 2" in unfolded
    assert f"UID:community-event-{event.pk}@" in unfolded
    assert "secret" not in unfolded  # links are for registered members only
    single = client.get(reverse("communities:event_ics", args=[event.pk])).content.decode()
    assert single.count("BEGIN:VEVENT") == 1


def test_pair_pages_permissions(client):
    pair = MentoringPairFactory()
    url = reverse("communities:pair_detail", args=[pair.pk])
    assert client.get(url).status_code == 302  # to the login page
    for user, status in [
        (TeacherFactory(), 403),
        (SchoolHeadFactory(), 403),
        (SchoolHeadFactory(school=pair.mentee.school), 200),
        (pair.mentor, 200),
        (pair.mentee, 200),
        (MethodologistFactory(), 200),
    ]:
        client.force_login(user)
        assert client.get(url).status_code == status
    client.force_login(TeacherFactory())
    assert client.get(reverse("communities:pair_suggest")).status_code == 403
    assert client.get(reverse("communities:pair_new")).status_code == 403


def test_pair_form_refuses_the_same_person(client):
    teacher = TeacherFactory()
    client.force_login(MethodologistFactory())
    response = client.post(
        reverse("communities:pair_new"),
        {
            "mentor": teacher.pk,
            "mentee": teacher.pk,
            "goals": "Ц",
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
        },
    )
    assert "один и тот же человек" in response.content.decode()
    assert not MentoringPair.objects.exists()


def test_pair_flow_through_the_pages(client):
    methodologist = MethodologistFactory()
    mentor, mentee = TeacherFactory(), TeacherFactory()
    client.force_login(methodologist)
    today = timezone.localdate()
    response = client.post(
        reverse("communities:pair_new"),
        {
            "mentor": mentor.pk,
            "mentee": mentee.pk,
            "goals": "Подготовка к ОГЭ",
            "start_date": today.isoformat(),
            "end_date": (today + datetime.timedelta(days=180)).isoformat(),
        },
    )
    pair = MentoringPair.objects.get()
    assert response.url == pair.get_absolute_url()
    url = pair.get_absolute_url()
    for user in (mentor, mentee):
        client.force_login(user)
        assert "Принять участие в паре" in client.get(url).content.decode()
        client.post(url, {"action": "accept"})
    client.force_login(methodologist)
    client.post(url, {"action": "approve"})
    pair.refresh_from_db()
    assert pair.state == PairState.ACTIVE
    client.force_login(mentor)
    response = client.post(
        url,
        {
            "action": "step",
            "step-title": "Открытый урок",
            "step-due_date": (today + datetime.timedelta(days=400)).isoformat(),
        },
    )
    assert "в пределах работы пары" in response.content.decode()
    assert not PlanStep.objects.exists()
    client.post(
        url, {"action": "meeting", "meeting-date": today.isoformat(), "meeting-topic": "Знакомство"}
    )
    assert pair.meetings.count() == 1


def test_cabinet_lists_my_pairs_and_communities(client, community):
    pair = MentoringPairFactory()
    MembershipFactory(community=community, user=pair.mentee)
    client.force_login(pair.mentee)
    html = client.get(reverse("cabinet")).content.decode()
    assert community.title in html
    assert pair.mentor.get_full_name() in html
    assert "ждёт вашего согласия" in html


def test_school_page_shows_communities_and_pair_counts(client, community):
    pair = MentoringPairFactory()
    MembershipFactory(community=community, user=pair.mentee)
    school = pair.mentee.school
    url = reverse("school_detail", args=[school.code])
    html = client.get(url).content.decode()
    assert community.title in html
    assert "наставляемые: 1" in html
    assert pair.mentee.get_full_name() not in html
    client.force_login(SchoolHeadFactory(school=school))
    assert pair.mentee.get_full_name() in client.get(url).content.decode()
    client.force_login(UserFactory())
    assert pair.mentee.get_full_name() not in client.get(url).content.decode()


def test_calendar_month_view_lists_the_months_events(client, community):
    event = EventFactory(community=community, title="Заседание МО в марте")
    event.starts_at = event.starts_at.replace(year=2027, month=3, day=15, hour=12)
    event.save()
    html = client.get(reverse("communities:event_calendar"), {"month": "2027-03"}).content.decode()
    assert "Заседание МО в марте" in html and "март 2027" in html.lower()
    html = client.get(reverse("communities:event_calendar"), {"month": "2027-04"}).content.decode()
    assert "Заседание МО в марте" not in html
    # A month that is not a month falls back to the current one.
    assert (
        client.get(reverse("communities:event_calendar"), {"month": "2027-13"}).status_code == 200
    )


def test_reserved_slugs_are_refused(community):
    from django.core.exceptions import ValidationError

    community.slug = "events"
    with pytest.raises(ValidationError) as caught:
        community.full_clean()
    assert "slug" in caught.value.message_dict


def test_coordinator_hides_a_post_on_the_page(client, community, populated):
    post = community.topics.get().posts.get()
    client.force_login(populated)
    response = client.post(reverse("communities:post_hide", args=[post.pk]), {"hidden": "1"})
    assert response.status_code == 403
    client.force_login(community.coordinator)
    client.post(reverse("communities:post_hide", args=[post.pk]), {"hidden": "1"})
    post.refresh_from_db()
    assert post.hidden
    client.force_login(populated)
    html = client.get(reverse("communities:topic_detail", args=[post.topic_id])).content.decode()
    assert "Текст" not in html.split('class="post-list"')[1].split("</ol>")[0]


@pytest.mark.parametrize(
    "url",
    [
        "/admin/communities/members/",
        "/admin/communities/events/",
        "/admin/communities/pairs/",
        "/admin/communities/mentors/",
    ],
)
def test_admin_screens_for_methodologists(client, url):
    MentoringPairFactory()
    client.force_login(MethodologistFactory())
    assert client.get(url).status_code == 200
    client.force_login(TeacherFactory())
    assert client.get(url).status_code == 302  # teachers have no admin access


def test_admin_forms_open(client, community):
    pair = MentoringPairFactory()
    event = EventFactory(community=community)
    client.force_login(MethodologistFactory())
    for url in (
        "/admin/communities/events/new/",
        f"/admin/communities/events/edit/{event.pk}/",
        f"/admin/communities/pairs/edit/{pair.pk}/",
    ):
        assert client.get(url).status_code == 200, url


def test_head_proposes_for_own_school_only_with_a_message(client):
    head = SchoolHeadFactory()
    mentor, mentee, own = TeacherFactory(), TeacherFactory(), TeacherFactory(school=head.school)
    client.force_login(head)
    data = {"goals": "Ц", "start_date": "2026-01-01", "end_date": "2026-12-31"}
    response = client.post(
        reverse("communities:pair_new"), {**data, "mentor": mentor.pk, "mentee": mentee.pk}
    )
    assert "педагог его школы" in response.content.decode()
    assert not MentoringPair.objects.exists()
    # The suggestions offer the head's own teachers as mentees only.
    html = client.get(reverse("communities:pair_suggest")).content.decode()
    assert own.get_full_name() in html and mentee.get_full_name() not in html
    client.post(reverse("communities:pair_new"), {**data, "mentor": mentor.pk, "mentee": own.pk})
    assert MentoringPair.objects.get().proposed_by == head


def test_page_rules(home_page, index, community):
    from communities.models import CommunityIndexPage, CommunityPage

    assert CommunityPage.can_create_at(index)
    assert not CommunityPage.can_create_at(home_page)
    assert not CommunityPage.can_create_at(community)
    # One section of communities per site.
    assert not CommunityIndexPage.can_create_at(home_page)


def test_methodologist_opens_the_community_editor(client, index, community):
    client.force_login(MethodologistFactory())
    add = reverse("wagtailadmin_pages:add", args=("communities", "communitypage", index.pk))
    assert client.get(add).status_code == 200
    assert client.get(reverse("wagtailadmin_pages:edit", args=[community.pk])).status_code == 200


def test_discussion_attachments_are_private(client, community, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    member = MembershipFactory(community=community).user
    topic, post = services.topic_start(
        user=member,
        community=community,
        title="Разбор ОГЭ",
        body="Делюсь разбором",
        attachment=SimpleUploadedFile("razbor.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    url = reverse("communities:post_attachment", args=[post.pk])
    assert client.get(url).status_code == 404
    client.force_login(TeacherFactory())
    assert client.get(url).status_code == 404
    client.force_login(member)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    html = client.get(topic.get_absolute_url()).content.decode()
    assert url in html
