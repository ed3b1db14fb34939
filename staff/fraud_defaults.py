"""The fraud rules a fresh installation starts with (see "Fraud signals" in the domain notes).

One rule per family of meaning and language, built from the word classes of
``staff.fraud_lexicon`` (``{lift_en}`` ...). Patterns are lowercase and without diacritics: the
scanner folds "mở khoá" to "mo khoa", undoes leetspeak and lets Korean spacing vary, and keeps
every offset so the evidence can be highlighted in the original text. A rule's name is a code;
staff read it translated (``RULE_LABELS``). Solicitations weigh 3 and flag on their own; payment
first, another messenger or a price weighs 1; a phone number weighs 0 (highlighted, never enough).
A match inside a warning or a denial ("we never ask for your code") does not count
(``staff.fraud_contexts``).
"""

from django.utils.translation import gettext_lazy as _

_LIFT = [
    # "unlock your 1:1 chat", "lift the restriction", "reopen your blocked channel", "reactivate your 1:1 chat"
    r"\b{unlock_en}{gap}{w4}(?:{restriction_en}|{object_en})|\b{lift_en}{gap}{w4}(?:{restriction_en}|{one_on_one}|{chat_en})",
    # "chat restriction removed", "get your restricted account back to normal", "chat unbanned"
    r"{restriction_en}{gap}{w3}{lifted_en}|\b{object_en}{gap}{w3}{unlocked_en}",
    # the restriction named first, then "we unblock it", "my team gets it lifted", "we can make that go away"
    r"{restriction_en}[^\n]{0,60}?\b(?:we|i|let\s+(?:us|me)|(?:our|my)\s+(?:team|agents?))\b{gap}{w3}"
    r"(?:(?:{lift_en}|get|sort|handle|make)\w*{gap}(?:it|them|that|this)\b|bring\w*{gap}(?:it|them|that|this){gap}back)",
    r"\b(?:we|i|let\s+(?:us|me))\b{gap}{w3}(?:open|get)\w*{gap}(?:it|them|that|this){gap}(?:back\s+up|unlocked|lifted|removed|restored)",
    # the fee or the service of lifting: "unlock fee", "unban service"
    r"\b(?:un(?:lock|ban|block)|restriction\s+removal|reopening)\s+(?:fee|price|cost)|\bunban\s+service",
    r"\b(?:open|unlock)\w*{gap}(?:\w+{gap}){0,2}?{one_on_one}",
]

DEFAULT_RULES = [
    # --- offers to lift, remove, unlock, restore or reopen a restriction --------------------
    {"name": "lift_restriction_en", "category": "unlock_chat", "language": "en", "weight": 3, "pattern": "|".join(_LIFT)},
    {
        "name": "lift_restriction_ko",
        "category": "unlock_chat",
        "language": "ko",
        "weight": 3,
        "pattern": r"{object_ko}{near_q}{lift_ko}\s*{offer_ko}"
        r"|(?:{object_ko}\s*(?:이|가|을|를)?\s*{restriction_ko}|{restriction_ko}{near}{object_ko}|{sanction_ko}|{chat_state_ko})"
        r"{near_q}{lift_weak_ko}\s*{offer_ko}|{sanction_ko}{near}{lift_ko}|{one_on_one}\s*(?:채팅|챗|대화){near}{lift_weak_ko}\s*{offer_ko}"
        r"|{restriction_ko}\s*{lift_ko}\s*방법\s*(?:알려|공유)\s*드|(?:해제|복구)\s*(?:비용|수수료|가격)",
    },
    {
        "name": "lift_restriction_vi",
        "category": "unlock_chat",
        "language": "vi",
        "weight": 3,
        "pattern": r"\b{lift_vi}{gap}{w3}{object_vi}|\b{lift_weak_vi}{gap}{w3}{restricted_vi}|\b{lift_restriction_vi}"
        r"|\b{restricted_vi}[^.!\n]{0,30}?\b{lift_weak_vi}\b"
        r"|(?<=phi\s)(?:mo\s*khoa|go\s*(?:chan|han\s*che)|khoi\s*phuc)|\b(?:go|mo(?:\s*lai)?)\s+(?:cho|ho|giup)\s+(?:ban|b|nhe|nha|lien|ngay)\b|\bmo\s*lai{gap}{w2}(?:chat|tro\s*chuyen)",
    },
    # --- verification on someone's behalf or without documents ---------------------------
    {
        "name": "proxy_verification_en",
        "category": "skip_verification",
        "language": "en",
        "weight": 3,
        "pattern": r"\b{verify_en}{gap}{w4}(?:for\s+you|on\s+your\s+behalf|(?:done|handled)\s+(?:by\s+us|for\s+you))"
        r"|\b(?:we|i|let\s+(?:us|me))\b{gap}{w3}(?:verif\w*|pass|do|handle|finish|complete)\w*{gap}{w4}"
        r"(?:for\s+you|on\s+your\s+behalf|with\s+(?:my|our)\s+(?:own\s+)?(?:documents?|id|sim|phone))"
        r"|\b(?:my|our)\s+(?:own\s+)?(?:sim|phones?|phone\s+numbers?|documents?)\s+to\s+verify"
        r"|\b(?:skip|bypass|avoid|get\s+around|no\s+need\s+(?:for|to)|without|w/o|no)\b{gap}{w3}(?:{verify_en}|{document_en})"
        r"|\b(?:pre-?)?verified\s+(?:\w+\s+)?accounts?\s+(?:for\s+sale|to\s+sell)|\bbuy\b{gap}{w3}(?:pre-?)?verified\s+(?:\w+\s+)?account"
        r"|\b(?:verification|kyc)\s+service|\bproxy\s+verif",
    },
    {
        "name": "proxy_verification_ko",
        "category": "skip_verification",
        "language": "ko",
        "weight": 3,
        "pattern": r"{verify_ko}\s*(?:을|를)?\s*(?:대행|대신|우회|패스|없이|생략|안해도|안하셔도|하지않아도|안하고|필요없|필요\s*x|ㄴㄴ)"
        r"|인증\s*(?:없이|안\s*하고|안\s*해도|필요\s*(?:없|x)|ㄴㄴ)\S*{near_q}(?:채팅|챗|채널|관리자\s*계정)"
        r"|대리\s*인증|인증\s*대리|인증\s*(?:우회|패스)|(?:다른\s*사람|타인|남의|저희)\s*명의로|무인증|노인증|{verify_ko}{near_q}(?:처리|대신|해결|진행)\s*(?:해\s*)?드"
        r"|신분증\s*(?:없이|필요없|ㄴㄴ)|서류\s*필요\s*없|인증된\S*\s*계정\s*판매|{verify_ko}{near}(?:저희|제)\s*(?:명의|폰|유심)"
        r"|(?:저희|제)\s*(?:명의|폰|유심)\S*\s*{near}인증",
    },
    {
        "name": "proxy_verification_vi",
        "category": "skip_verification",
        "language": "vi",
        "weight": 3,
        "pattern": r"\b{verify_vi}(?:\s*danh\s*tinh)?(?:\s*(?:tai\s*khoan|tk))?(?:\s*\w+)?\s+(?:ho|thay|giup|gium|dum)\b"
        r"|\b{not_vi}\s*(?:can|co)\s*{w2}(?:{verify_vi}|{document_vi})"
        r"|\b(?:bo\s*qua|vuot(?:\s*qua)?|khoi\s*can)\s*{w2}{verify_vi}"
        r"|\blam\s*{w3}{verify_vi}\w*{gap}{w2}(?:ho|thay|giup)\b|\blam\s+thay\b"
        r"|\b(?:tai\s*khoan|tk)\s*(?:da\s*)?{verify_vi}\s*san|\bsim\s*(?:chinh\s*chu|sach)",
    },
    # --- posing as the platform, its support or its staff --------------------------------
    {
        "name": "impersonation_en",
        "category": "staff_impersonation",
        "language": "en",
        "weight": 3,
        "pattern": r"\b(?:i\s*am|i'?m|this\s+is|we\s+are|we'?re|here\s+is)\s+(?:the\s+|a\s+|an\s+|your\s+)?(?:official\s+|authori[sz]ed\s+)?"
        r"{platform_en}\s+{w2}{staff_en}"
        r"|\b(?:i\s*am|i'?m|we\s*are|we'?re|i\s+work)\s+(?:from|with|for|at)\s+(?:the\s+)?{platform_en}"
        r"|\b{platform_en}\s+{w2}{staff_en}\s+here\b|\b(?:official|authori[sz]ed)\s+{platform_en}\s+(?:partner|agent|team|staff|notice)"
        r"|\b{platform_en}\s+official\s+(?:partner|agent|team)|(?:^|\[)\s*(?:official\s+notice\s*\]?\s*)?{platform_en}\s*{w2}(?:team|support|staff|security)\s*:"
        r"|^\s*from\s+{platform_en}\s*:|\bplatform\s+moderator\s+here",
    },
    {
        "name": "impersonation_ko",
        "category": "staff_impersonation",
        "language": "ko",
        "weight": 3,
        "pattern": r"{platform_ko}\s*(?:공식)?\s*{staff_ko}\s*(?:입니다|이에요|예요|임\b|인데|이고|\]|에서(?:도와|안내|연락))"
        r"|{platform_ko}[가-힣\s]{0,8}?(?:팀|센터|부서|직원)\s*(?:입니다|이에요|예요)|{platform_ko}에서\s*일하"
        r"|\[\s*{platform_ko}[^\]]{0,10}(?:고객|보안|안전|운영|정책|지원)[^\]]{0,6}\]|{platform_ko}\s*{staff_ko}\s*{staff_ko}입니다",
    },
    {
        "name": "impersonation_vi",
        "category": "staff_impersonation",
        "language": "vi",
        "weight": 3,
        "pattern": r"\b(?:toi|minh|em|chung\s*toi|day|ben\s*minh)\s+(?:la\s+)?{staff_vi}\s*{w2}(?:cua\s+)?{platform_vi}"
        r"|\b{staff_vi}\s*(?:cua\s+)?{platform_vi}\s*(?:day|:)|\[\s*thong\s*bao\s*chinh\s*thuc\s*\]"
        r"|\b(?:doi\s*tac|dai\s*ly)\s*chinh\s*thuc\s*(?:cua\s*)?{platform_vi}|\b{platform_vi}\s*(?:cskh|ho\s*tro)\s*:"
        r"|\b{staff_vi}\s*{platform_vi}\s*:|\bday\s+la\s+(?:doi\s*ngu\s+)?admin\s*center",
    },
    # --- asking for codes, passwords, documents ------------------------------------------
    {
        "name": "credentials_en",
        "category": "credentials",
        "language": "en",
        "weight": 3,
        "pattern": r"\b(?:send|share|give|tell|forward|read|upload|confirm|provide|need|reply\s+with|what'?s)\w*{gap}{w5}{secret_en}"
        r"|{login_link}",
    },
    {
        "name": "credentials_ko",
        "category": "credentials",
        "language": "ko",
        "weight": 3,
        "pattern": r"{secret_ko}\s*(?:을|를|랑|만|좀)?{near}{ask_ko}|{secret_ko}\s*(?:을|를|만|좀)?\s*(?:주시면|주세요|줘|주셈)|{login_link}",
    },
    {
        "name": "credentials_vi",
        "category": "credentials",
        "language": "vi",
        "weight": 3,
        "pattern": r"\b{ask_vi}\b{gap}{w4}{secret_vi}|{login_link}",
    },
    # --- supporting signals --------------------------------------------------------------
    {
        "name": "payment_first",
        "category": "price",
        "language": "",
        "weight": 1,
        "pattern": r"\b(?:pay\w*|deposit|transfer)\s+{w5}(?:first|upfront|in\s+advance|before)\b|\bpayment\s+upfront"
        r"|\b(?:chuyen(?:\s*khoan)?|ck|thanh\s*toan|dat\s*coc)\s*truoc|선입금|선결제|먼저\s*입금|입금\s*확인\s*후|{crypto}",
    },
    {
        "name": "another_messenger",
        "category": "messenger_push",
        "language": "",
        "weight": 1,
        "pattern": r"{messenger}",
    },
    {
        "name": "free_or_fee",
        "category": "price",
        "language": "",
        "weight": 1,
        "pattern": r"\b(?:free(?:\s+of\s+charge)?|for\s+a\s+(?:small\s+)?fee|mien\s*phi|khong\s*mat\s*phi|phi\s*dich\s*vu)\b"
        r"|무료|공짜|수수료|\d[\d,.]*\s*(?:usd|usdt|krw|won|vnd|dong|k)\b|\d[\d,.]*\s*만?\s*원|\$\s*\d+|\d+\s*\$",
    },
    {
        "name": "phone_number",
        "category": "phone",
        "language": "",
        "weight": 0,
        # "+84 900 000 000", "010-1234-5678": 8 to 14 digits. Written to start with a character
        # class, which the regular expression engine can skip to (the same as
        # r"(?<![\d:])\+?\d(?:[\s.\-]?\d){7,13}(?![\d:])", several times faster).
        "pattern": r"[+\d](?<![\d:][+\d])(?:(?<=\+)\d|(?<!\+))(?:[\s.\-]?\d){7,13}(?![\d:])",
    },
]

RULE_LABELS = {
    "lift_restriction_en": _("Offer to lift a restriction (English)"),
    "lift_restriction_ko": _("Offer to lift a restriction (Korean)"),
    "lift_restriction_vi": _("Offer to lift a restriction (Vietnamese)"),
    "proxy_verification_en": _("Verification on someone's behalf or without documents (English)"),
    "proxy_verification_ko": _("Verification on someone's behalf or without documents (Korean)"),
    "proxy_verification_vi": _("Verification on someone's behalf or without documents (Vietnamese)"),
    "impersonation_en": _("Poses as the platform or its staff (English)"),
    "impersonation_ko": _("Poses as the platform or its staff (Korean)"),
    "impersonation_vi": _("Poses as the platform or its staff (Vietnamese)"),
    "credentials_en": _("Asks for codes, passwords or documents (English)"),
    "credentials_ko": _("Asks for codes, passwords or documents (Korean)"),
    "credentials_vi": _("Asks for codes, passwords or documents (Vietnamese)"),
    "payment_first": _("Payment first or in crypto"),
    "another_messenger": _("Another messenger"),
    "free_or_fee": _("Free or for a fee"),
    "phone_number": _("Phone number"),
}

# The rules the scanner shipped with before the families above; a migration turns off those
# nobody edited.
RETIRED_RULE_NAMES = [
    "Unlock 1:1 chat (English)",
    "Chat unlock service (English)",
    "Unlock 1:1 chat (Vietnamese)",
    "Open 1:1 chat (Vietnamese)",
    "Unlock 1:1 chat (Korean)",
    "Chat restriction lifted for you (Korean)",
    "Skip identity verification (English)",
    "Skip identity verification (Vietnamese)",
    "Skip identity verification (Korean)",
    "Platform staff or partner (English)",
    "Platform staff or partner (Vietnamese)",
    "Platform staff or partner (Korean)",
    "Asks for codes or ID documents (English)",
    "Asks for codes or ID documents (Vietnamese)",
    "Asks for codes or ID documents (Korean)",
    "Another messenger",
    "Free or for a fee",
    "Phone number",
]


def rule_label(name: str) -> str:
    """What staff read for a rule: its translated label, or the name a moderator gave it."""
    label = RULE_LABELS.get(name)
    return str(label) if label is not None else name
