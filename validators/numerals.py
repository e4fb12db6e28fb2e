"""Chinese numerals written as facts (二〇二六年, 十一月三日, 三十五人, 三万元) turned into Arabic ones.

Only a numeral followed by a date or measure word is a figure: 一是, 统一, 十分 and 千方百计 stay
as they are, as do 万 and 亿 after an Arabic number (17.4亿元 is already a figure).
"""

from __future__ import annotations

import re

DIGITS = {char: value for value, char in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
LARGE_UNITS = {"万": 10_000, "亿": 100_000_000}
# What may follow a figure: date parts, then the measure words of 政务信息 (people, places, cases…)
FOLLOWERS = "年月日号时岁人名位个家户处宗亩次场份元条项吨公米里天周所座台辆件起批期轮节篇套册张株棵头只余多倍%"
NUMERAL = re.compile(rf"[〇零一二两三四五六七八九十百千万亿]+(?=[{FOLLOWERS}])")


def value(numeral: str) -> int:
    """十一 → 11, 三十五 → 35, 二〇二六 → 2026, 三万五千 → 35000."""
    if not any(char in SMALL_UNITS or char in LARGE_UNITS for char in numeral):
        return int("".join(str(DIGITS[char]) for char in numeral))  # read digit by digit: 二〇二六
    total = section = digit = 0
    for char in numeral:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in SMALL_UNITS:
            section += (digit or 1) * SMALL_UNITS[char]
            digit = 0
        else:
            total = (total + section + digit) * LARGE_UNITS[char]
            section = digit = 0
    return total + section + digit


def arabic_numerals(text: str) -> str:
    """`text` with every Chinese-numeral figure written in Arabic numerals."""
    return NUMERAL.sub(_replace, text)


def _replace(match: re.Match[str]) -> str:
    numeral = match[0]
    if not any(char in DIGITS or char in SMALL_UNITS for char in numeral):
        return numeral  # 万 or 亿 alone: a magnitude after an Arabic number, or a word (万家)
    return str(value(numeral))
