"""Russian word forms for search.

SQLite's full-text search has no Russian stemming, so the bank indexes and queries lemmas
(«учителей» → «учитель», «дробей» → «дробь») produced by pymorphy3. The same normalisation
runs on PostgreSQL, where the «russian» configuration then stems the lemmas: one behaviour
on both databases.
"""

import re
from functools import lru_cache

WORD_RE = re.compile(r"[0-9a-zа-яё]+", re.IGNORECASE)


@lru_cache(maxsize=1)
def _analyzer():
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")


@lru_cache(maxsize=100_000)
def lemma(word: str) -> str:
    word = word.lower().replace("ё", "е")
    if not re.search("[а-я]", word):
        return word
    return _analyzer().parse(word)[0].normal_form.replace("ё", "е")


def tokens(text: str) -> list[str]:
    return WORD_RE.findall(text or "")


def lemmatize(text: str) -> str:
    """Space-separated lemmas of every word of the text, in order."""
    return " ".join(lemma(word) for word in tokens(text))
