"""What other apps contribute to the indicators, through Wagtail hooks.

- `monitoring_agreement_parties(years)` → {year: ids of schools that are a party to an
  agreement signed by all its parties whose term overlaps the year} (IND-1, IND-7);
- `monitoring_agreements_concluded(years)` → {year: how many agreements came into force in
  the year, their last signature dated in it} (IND-8);

Each is asked once for all the years an indicator run needs, so the number of queries does
not grow with the years or the schools. Support that apps record themselves (attendance of a
community event, an active mentoring pair) is not a hook: they write support records through
`monitoring.services.support_record_set`, which the engine reads with the imported ones.

An app that is not installed contributes nothing.
"""

from wagtail import hooks


def agreement_parties(years: list[int]) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {year: set() for year in years}
    for fn in hooks.get_hooks("monitoring_agreement_parties"):
        for year, schools in fn(years).items():
            found.setdefault(year, set()).update(schools)
    return found


def agreements_concluded(years: list[int]) -> dict[int, int]:
    found = dict.fromkeys(years, 0)
    for fn in hooks.get_hooks("monitoring_agreements_concluded"):
        for year, count in fn(years).items():
            found[year] = found.get(year, 0) + count
    return found
