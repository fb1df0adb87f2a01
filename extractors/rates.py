"""Per-recipient rules stated in running text: which amounts of a sentence make one rule.

"Medlen fördelas med 1 000 000 kronor per län, förutom de tre storstadslänen som tilldelas
2 000 000 kronor vardera" is one rule: every län gets the first amount, the group of
storstadslänen the second. "Storstadslänen får 2 000 000 kronor, övriga län 1 000 000 kronor"
is the same rule in other words, and "5 000 000 kronor per län och resten fördelat efter
befolkningsmängd" a rule whose amount is a fixed part of each recipient's money, the rest
shared by a key. The checks (expectations/stated_rates.py) compare such rules with the keys
found in the tables' numbers.

A rule is a stretch of one sentence between list marks ("- ", "•", ";") holding a rate ("per
län", "vardera", "varje region"), or an amount for the others ("övriga län") beside one for a
named group. An amount whose own clause (the text since the amount before it) names a group is
that group's rate; the rest of the rule's rates are every other recipient's. An amount with a
total word in its clause ("de tre storstadslänen får totalt 6 000 000 kronor") is no rate.
Group names, "others", "rest" and total words are data (vocabulary/words.toml, [rate_words]).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from extractors.claims import MoneyStatement
from extractors.vocabulary import level_words, rate_words

# Where one rule of a sentence ends: a list mark or a semicolon.
_RULE_END = re.compile(r"(?:^|\s)[-–•]\s|;")


def _positions(group: list[MoneyStatement]) -> list[int]:
    """Where each amount of one sentence stands in its context (the sentence's text)."""
    context = group[0].context
    first = context.find(group[0].text)
    origin = group[0].start - max(first, 0)
    out, last = [], 0
    for s in group:
        pos = s.start - origin
        if context[pos:pos + len(s.text)] != s.text:  # the context was cut: find it instead
            pos = max(context.find(s.text, last), 0)
        out.append(pos)
        last = pos + len(s.text)
    return out


def _level_near(lead: str, trail: str) -> str | None:
    """The level a rate is per ("… kronor per län", "varje region tilldelas …", "övriga
    kommuner …"): named within three words after it, else within four before it; None for
    "per invånare", whatever names a level before it ("Regionerna får 50 kronor per
    invånare")."""
    after = trail.replace(",", " ").split()
    if after[:1] == ["per"] and not level_words().named(" ".join(after[1:2])):
        return None
    for near in (" ".join(after[:3]), " ".join(lead.split()[-4:])):
        if levels := level_words().named(near):
            return levels[0]
    return None


def _rule(members: list[tuple[MoneyStatement, int]], context: str
          ) -> list[MoneyStatement] | None:
    """The rule one stretch of a sentence states, its rates marked; None when it states none:
    it needs a rate per recipient of a level ("per län", "övriga län"), or a rate of a named
    group ("… storstadslänen som tilldelas 2 000 000 kronor vardera")."""
    words = rate_words()
    parts: list[tuple[MoneyStatement, str | None, str | None, bool] | None] = []
    previous = 0
    for k, (s, pos) in enumerate(members):
        lead, after = context[previous:pos], pos + len(s.text)
        trail = context[after:members[k + 1][1] if k + 1 < len(members) else len(context)]
        previous = after
        group = words.group_named(lead)
        level = _level_near(lead, trail)
        if s.total_cue or words.says(words.totals, lead):
            parts.append(None)  # what a group gets together, no rate
        elif group:
            parts.append((s, group, level, False))
        elif level and (s.role == "rate" or words.says(words.others, lead)):
            parts.append((s, None, level, words.says(words.rest, context[after:])))
        else:
            parts.append(None)
    if not any(p and (p[1] is None or p[0].role == "rate") for p in parts):
        return None
    first = members[0][0]
    rule_id = f"{first.source_file}#{first.block}:{first.start}"
    return [s if part is None else replace(
        s, role="rate", rate_rule=rule_id, rate_group=part[1] or "", rate_share=part[3],
        scope=part[2] or s.scope) for (s, _), part in zip(members, parts, strict=True)]


def mark_rates(statements: Sequence[MoneyStatement]) -> list[MoneyStatement]:
    """The statements with every per-recipient rule marked (``rate_rule``, ``rate_group``,
    ``rate_share``; role "rate" for each of its amounts); the others unchanged, in order."""
    out = list(statements)
    sentences: dict[tuple, list[int]] = {}
    for i, s in enumerate(out):
        if s.table_id is None:
            sentences.setdefault((s.source_file, s.block, s.context), []).append(i)
    for (_, _, context), indices in sentences.items():
        group = [out[i] for i in indices]
        positions = _positions(group)
        cuts = [m.start() for m in _RULE_END.finditer(context)] + [len(context)]
        for start, end in zip([0, *cuts], cuts, strict=False):
            members = [(s, p, i) for s, p, i in zip(group, positions, indices, strict=True)
                       if start <= p < end]
            if not members:
                continue
            made = _rule([(s, p - start) for s, p, _ in members], context[start:end])
            for (_, _, i), s in zip(members, made or (), strict=False):
                out[i] = s
    return out
