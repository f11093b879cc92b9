"""E-mails to the participants of a discussion topic when someone replies: everyone who has
written in the topic, except the one replying. Sent after the commit, as the bank does."""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Post


def notify_topic_participants(post: Post) -> None:
    topic = post.topic
    emails = sorted(
        set(
            Post.objects.filter(topic=topic)
            .exclude(author=post.author)
            .exclude(author__email="")
            .values_list("author__email", flat=True)
        )
    )
    if not emails:
        return
    context = {
        "post": post,
        "topic": topic,
        "community": topic.community,
        "topic_url": f"{settings.WAGTAILADMIN_BASE_URL}{reverse('communities:topic_detail', args=[topic.pk])}",
    }
    subject = f"Новое сообщение в обсуждении «{topic.title}»"
    message = render_to_string("communities/email/reply.txt", context)
    transaction.on_commit(
        lambda: send_mass_mail([(subject, message, None, [email]) for email in emails])
    )
