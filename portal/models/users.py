from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    """Users log in with their e-mail; there is no separate username."""

    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class MembershipState(models.TextChoices):
    """Whether the user's tie to a school has been confirmed by its head or a methodologist."""

    NONE = "none", _("Не указана")
    PENDING = "pending", _("Ожидает подтверждения")
    CONFIRMED = "confirmed", _("Подтверждена")
    REJECTED = "rejected", _("Отклонена")


class User(AbstractUser):
    username = None
    email = models.EmailField(_("электронная почта"), unique=True)
    patronymic = models.CharField(_("отчество"), max_length=150, blank=True)
    position = models.CharField(_("должность"), max_length=200, blank=True)
    phone = models.CharField(_("телефон"), max_length=40, blank=True)
    school = models.ForeignKey(
        "portal.School",
        verbose_name=_("образовательная организация"),
        null=True,
        blank=True,
        # A school with people on the portal is not deleted by accident: move or remove
        # its members first (SET_NULL would break the membership constraint below).
        on_delete=models.PROTECT,
        related_name="members",
    )
    membership = models.CharField(
        _("членство в ОО"),
        max_length=16,
        choices=MembershipState.choices,
        default=MembershipState.NONE,
    )
    membership_decided_by = models.ForeignKey(
        "self",
        verbose_name=_("кем решено"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    membership_decided_at = models.DateTimeField(_("когда решено"), null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["last_name", "first_name"]

    objects = UserManager()

    class Meta:
        verbose_name = _("пользователь")
        verbose_name_plural = _("пользователи")
        ordering = ["last_name", "first_name", "patronymic"]
        permissions = [
            ("confirm_membership", _("Может подтверждать членство педагогов любой ОО")),
        ]
        constraints = [
            # A membership can only be pending, confirmed or rejected for a chosen school.
            models.CheckConstraint(
                condition=models.Q(membership="none") | models.Q(school__isnull=False),
                name="user_membership_needs_school",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return " ".join(part for part in (self.last_name, self.first_name, self.patronymic) if part)

    def get_short_name(self) -> str:
        initials = "".join(f"{part[0]}." for part in (self.first_name, self.patronymic) if part)
        return f"{self.last_name} {initials}".strip() or self.email

    @property
    def confirmed_school(self):
        """The school the user speaks for, once the membership is confirmed."""
        if self.membership == MembershipState.CONFIRMED:
            return self.school
        return None
