"""What other apps contribute to the indicators, through Wagtail hooks.

- `monitoring_agreement_parties(year)` → ids of schools that are a party to an agreement
  signed by all its parties whose term overlaps the year (IND-1, IND-7);
- `monitoring_agreements_concluded(year)` → how many agreements came into force in the
  year: their last signature is dated in it (IND-8);
- `monitoring_supported_teachers(year, teacher_ids)` → ids of those teachers with support
  in the year recorded by the app itself rather than imported (a mentee of a pair active
  in the year), for IND-2 and IND-7.

An app that is not installed contributes nothing.
"""

from wagtail import hooks


def agreement_parties(year: int) -> set[int]:
    found: set[int] = set()
    for fn in hooks.get_hooks("monitoring_agreement_parties"):
        found |= set(fn(year))
    return found


def agreements_concluded(year: int) -> int:
    return sum(fn(year) for fn in hooks.get_hooks("monitoring_agreements_concluded"))


def supported_teachers(year: int, teacher_ids: set[int]) -> set[int]:
    found: set[int] = set()
    for fn in hooks.get_hooks("monitoring_supported_teachers"):
        found |= set(fn(year, teacher_ids))
    return found & teacher_ids
