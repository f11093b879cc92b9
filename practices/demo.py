"""Demo data of the bank: the bank page, its moderation workflow and the practices of
practices/demo_content.py with their authors and adoptions. Idempotent, like load_demo."""

from allauth.account.models import EmailAddress
from anyascii import anyascii
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page

from portal import roles
from portal.demo.builder import stream_data
from portal.models import MembershipState, School, Subject, User

from . import services
from .demo_content import PRACTICES
from .models import Adoption, GradeLevel, PracticeIndexPage, PracticePage, Problem

INTRO = (
    "Проверенные решения педагогов и руководителей школ округа: как готовить к ГИА, работать с "
    "группами риска, мотивировать учеников и выстраивать наставничество. Ищите по словам в любой "
    "форме, фильтруйте по проблеме, предмету и уровню доказанности, отмечайте, что применили у себя."
)
DEMO_PASSWORD = "Author-2026!"


def _author(last, first, middle, position, school) -> User:
    email = f"{slugify(anyascii(last))}.{slugify(anyascii(first))[:1]}{slugify(anyascii(middle))[:1]}@{school.code}.demo.example.ru"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, last_name=last, first_name=first, patronymic=middle)
        user.set_password(DEMO_PASSWORD)
    user.position = position
    user.school = school
    user.membership = MembershipState.CONFIRMED
    user.save()
    user.groups.add(Group.objects.get(name=roles.TEACHER))
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


@transaction.atomic
def build(stdout=None) -> None:
    from portal.models import HomePage

    home = HomePage.objects.first()
    index = PracticeIndexPage.objects.first()
    if index is None:
        index = PracticeIndexPage(title="Банк лучших практик", slug="practices", intro=INTRO)
        home.add_child(instance=index)
        index.save_revision().publish()
    services.ensure_moderation_workflow(index)

    schools = {school.code: school for school in School.objects.all()}
    problems = {p.slug: p for p in Problem.objects.all()}
    subjects = {s.slug: s for s in Subject.objects.all()}
    levels = {g.slug: g for g in GradeLevel.objects.all()}
    methodologist = User.objects.filter(groups__name=roles.METHODOLOGIST).first()

    for item in PRACTICES:
        school = schools[item["school_code"]]
        authors = [_author(*author, school) for author in item["authors"]]
        slug = slugify(anyascii(item["title"]))[:80]
        practice = PracticePage.objects.child_of(index).filter(slug=slug).first()
        if practice is None:
            practice = PracticePage(
                slug=slug, title=item["title"], live=False, owner=authors[0], body=[]
            )
            fields_new = True
        else:
            fields_new = False
        practice.title = item["title"]
        practice.summary = item["summary"]
        practice.format = item["format"]
        practice.evidence_level = item["evidence_level"]
        practice.published_on = item["published_on"]
        practice.coauthors = item.get("coauthors", "")
        practice.school = school
        practice.body = stream_data(item["body"])
        practice.problems = [problems[slug] for slug in item["problems"]]
        practice.subjects = [subjects[slug] for slug in item["subjects"]]
        practice.grade_levels = [levels[slug] for slug in item["grade_levels"]]
        practice.authors = authors
        practice.tags.set(item["tags"])
        if fields_new:
            index.add_child(instance=practice)
        if item["status"] == "published":
            practice.save_revision(user=methodologist).publish(user=methodologist)
        else:
            # Left in moderation: a new revision each run, the workflow started once.
            practice.save_revision(user=authors[0])
            if practice.current_workflow_state is None:
                practice.get_workflow().start(practice, authors[0])
        for code, applied_on, context, outcome in item.get("adoptions", []):
            Adoption.objects.update_or_create(
                practice=practice,
                school=schools[code],
                defaults={"applied_on": applied_on, "context": context, "outcome": outcome},
            )
        services.recount_adoptions(practice.pk)
    # The bank links from the main menu, right after the pages about the model.
    _ensure_menu_item(index)


def _ensure_menu_item(index: Page) -> None:
    from wagtail.models import Site

    from portal.models import MenuItem, NavigationSettings

    nav = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    if not nav.menu_items.filter(link_page=index).exists():
        items = list(nav.menu_items.all())
        MenuItem.objects.create(setting=nav, sort_order=2, title="Банк практик", link_page=index)
        for order, item in enumerate(items):
            if order >= 2:
                item.sort_order = order + 1
                item.save(update_fields=["sort_order"])
