# Copyright 2026 Kefu Order Flow Developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Chinese financial upper-case amount (人民币大写), without Odoo.

The conversion itself is ``cn2an.an2cn(value, "rmb")``; this module feeds it a
value already rounded to the cent and normalises its output to the People's
Bank of China rules (《正确填写票据和结算凭证的基本规定》):

- 整 after 元 when there is no 角 or 分; nothing after 角 (the PBOC's own
  example 壹仟肆佰零玖元伍角); nothing after 分.
- 壹拾 for 10-19 (壹拾陆元整), never bare 拾.
- one 零 for every run of zeros inside the number (陆仟零柒元), including a
  whole zero 万 or 亿 section (壹亿零柒仟元整); no 零 when only the lowest
  digits of a section are zero and the next section starts with its 仟
  (壹拾万柒仟元, the PBOC's first form).
- 零 after 元 when the 元 digit or the 角 digit is 0 and a 角 or 分 follows
  (壹仟陆佰捌拾元零叁角贰分, 叁佰贰拾伍元零肆分); nothing before 角 or 分 when
  there is no 元 (柒分, 伍角).
- negatives (refunds) start with 负; the result has no 人民币 prefix.

Input: int, float, Decimal or str; rounded to the cent with ROUND_HALF_UP
(floats by their shortest repr, so 1.005 gives 壹元零壹分). Anything else,
NaN, infinities, and amounts of 10^16 yuan or more raise ValueError.
"""

import decimal
from decimal import ROUND_HALF_UP, Decimal

import cn2an

CENT = Decimal("0.01")
LIMIT = Decimal(10) ** 16  # cn2an handles at most 16 integer digits


def _to_decimal(amount):
    if isinstance(amount, bool) or not isinstance(amount, int | float | Decimal | str):
        raise ValueError(f"Not an amount: {amount!r}")
    try:
        if isinstance(amount, float):
            value = Decimal(repr(amount))
        else:
            value = Decimal(amount.strip() if isinstance(amount, str) else amount)
    except decimal.InvalidOperation as exc:
        raise ValueError(f"Not an amount: {amount!r}") from exc
    if not value.is_finite():
        raise ValueError(f"Not a finite amount: {amount!r}")
    with decimal.localcontext() as ctx:
        ctx.prec = 40
        if abs(value) < LIMIT:
            value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if abs(value) >= LIMIT:
        raise ValueError(f"Amount out of range (< 10^16 yuan): {amount!r}")
    return value


def _restore_section_zero(text, yuan):
    """cn2an drops the 零 of a whole zero 万/亿 section before a 仟 digit
    (100007000 -> 壹亿柒仟元整): put it back (壹亿零柒仟元整)."""
    for zero in (1, 2):  # index of the zero section: 1 = 万, 2 = 亿
        below = 10 ** (4 * zero)
        section = yuan // below % 10**4
        higher = yuan // (below * 10**4)
        if section == 0 and higher and yuan % below >= below // 10:
            tail = cn2an.an2cn(str(yuan % below), "up")
            if text.endswith(tail) and not text[: -len(tail)].endswith("零"):
                text = text[: -len(tail)] + "零" + tail
    return text


def amount_to_cn_upper(amount):
    """Return the upper-case RMB amount of ``amount``, e.g. 壹万零伍元零柒分."""
    value = _to_decimal(amount)
    if not value:
        return "零元整"
    sign = "负" if value < 0 else ""
    value = abs(value)
    yuan = int(value)
    jiao = int(value * 10) % 10
    text = cn2an.an2cn(f"{value:f}", "rmb")
    if yuan:
        head, sep, tail = text.partition("元")
        head = _restore_section_zero(head, yuan)
        if yuan % 10 == 0 and jiao:  # cn2an: 壹仟陆佰捌拾元叁角贰分
            tail = "零" + tail
        text = head + sep + tail
    return sign + text
