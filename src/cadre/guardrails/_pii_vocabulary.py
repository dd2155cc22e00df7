"""Everyday English words, from the word frequencies `wordfreq` ships (a PyPI dependency; no download).

The tagger only proposes a name where the writer's capitals suggest one, and capitals also open sentences,
head receipts ("Paid", "Subtotal") and title products ("Espresso Machine"). A word people write often is
everyday language unless Faker lists it as someone's name, so a span made only of such words names nobody.
"""

from __future__ import annotations

from functools import cache

from wordfreq import get_frequency_dict

# Zipf frequency (log10 of uses per billion words) from which a word counts as everyday English: ten uses in a
# million words. Chosen on the development templates, the probes and the help centre: 3.5 also took brands the
# templates label ("Uber", "Bloomberg"), 4.0 keeps them and still halves the help centre's false firms.
EVERYDAY_ZIPF = 4.0


@cache
def english_words(min_zipf: float = EVERYDAY_ZIPF) -> frozenset[str]:
    """Lower-case English words at least `min_zipf` frequent (wordfreq's small list, read in a few ms)."""
    least = 10 ** (min_zipf - 9)  # Zipf is log10 of the frequency per billion words
    frequencies = get_frequency_dict("en", wordlist="small")
    return frozenset(word for word, frequency in frequencies.items() if frequency >= least and word.isalpha())
