"""The fraud rules a fresh installation starts with (see "Fraud signals" in the domain notes).

Patterns are written lowercase and without diacritics: the scanner folds "mở khoá" to
"mo khoa" before matching, and keeps every offset so the evidence can be highlighted in the
original text. Solicitations weigh 3 and flag on their own; a push to another messenger or a
price weighs 1; a phone number weighs 0 (highlighted, never enough).
"""

# Reused below: "1:1", "1-1", "1 : 1", "one-on-one", "1대1", "일대일".
_ONE_ON_ONE = r"(?:1\s*[:\-/대]\s*1|one[\s-]*(?:on|to)[\s-]*one|일대일)"

DEFAULT_RULES = [
    # --- offers to unlock / open / restore 1:1 chat ---------------------------------------
    {
        "name": "Unlock 1:1 chat (English)",
        "category": "unlock_chat",
        "language": "en",
        "weight": 3,
        "pattern": r"\b(?:unlock|unblock|re-?open|open|restore|reactivate|enable)\w*\W+(?:\w+\W+){0,4}?"
        + _ONE_ON_ONE
        + r"\W*(?:chat|messag)",
    },
    {
        "name": "Chat unlock service (English)",
        "category": "unlock_chat",
        "language": "en",
        "weight": 3,
        "pattern": r"\b(?:chat|" + _ONE_ON_ONE + r"\W*chat)\s+(?:unlock|unblock|restor)\w*",
    },
    {
        "name": "Unlock 1:1 chat (Vietnamese)",
        "category": "unlock_chat",
        "language": "vi",
        "weight": 3,
        "pattern": r"\b(?:mo\s*khoa|khoi\s*phuc|go\s*chan|kich\s*hoat(?:\s*lai)?|mo\s*lai)\W+(?:\w+\W+){0,3}?"
        r"(?:tro\s*chuyen|chat|nhan\s*tin)",
    },
    {
        "name": "Open 1:1 chat (Vietnamese)",
        "category": "unlock_chat",
        "language": "vi",
        "weight": 3,
        "pattern": r"\bmo\W+(?:\w+\W+){0,2}?(?:tro\s*chuyen|chat|nhan\s*tin)\s*" + _ONE_ON_ONE,
    },
    {
        "name": "Unlock 1:1 chat (Korean)",
        "category": "unlock_chat",
        "language": "ko",
        "weight": 3,
        "pattern": _ONE_ON_ONE
        + r"\s*(?:채팅|챗|대화)\S*\s*(?:\S+\s+){0,2}?(?:잠금\s*)?(?:해제|풀어|풀기|풀려|복구|복원|열어|오픈|활성화)",
    },
    {
        "name": "Chat restriction lifted for you (Korean)",
        "category": "unlock_chat",
        "language": "ko",
        "weight": 3,
        "pattern": r"(?:채팅|챗)\s*(?:제한|잠금|정지)\s*(?:을|를)?\s*(?:해제|풀어|풀기|복구)",
    },
    # --- offers to skip identity verification ---------------------------------------------
    {
        "name": "Skip identity verification (English)",
        "category": "skip_verification",
        "language": "en",
        "weight": 3,
        "pattern": r"\b(?:skip|bypass|avoid|get\s+around|no\s+need\s+(?:for|to)|without)\W+(?:\w+\W+){0,3}?"
        r"(?:identity\s+|id\s+|kyc\s+)?verif\w*",
    },
    {
        "name": "Skip identity verification (Vietnamese)",
        "category": "skip_verification",
        "language": "vi",
        "weight": 3,
        "pattern": r"\b(?:bo\s*qua|khong\s*can|khoi\s*can|vuot(?:\s*qua)?)\W+(?:\w+\W+){0,2}?(?:xac\s*minh|xac\s*thuc|ekyc)",
    },
    {
        "name": "Skip identity verification (Korean)",
        "category": "skip_verification",
        "language": "ko",
        "weight": 3,
        "pattern": r"(?:본인\s*)?(?:인증|확인)\s*(?:없이|생략|우회|대행|안\s*해도|필요\s*없)",
    },
    # --- claims to be the platform's staff or an official partner -------------------------
    {
        "name": "Platform staff or partner (English)",
        "category": "staff_impersonation",
        "language": "en",
        "weight": 3,
        "pattern": r"\b(?:official|authori[sz]ed)\s+(?:kakao\w*|platform|admin\s+center)\s+(?:partner|agent|staff|team|support)"
        r"|\b(?:kakao\w*|platform)\s+(?:staff|employee|support\s+team|admin(?:istrator)?)\b",
    },
    {
        "name": "Platform staff or partner (Vietnamese)",
        "category": "staff_impersonation",
        "language": "vi",
        "weight": 3,
        "pattern": r"\b(?:nhan\s*vien|doi\s*tac(?:\s*chinh\s*thuc)?|dai\s*ly\s*chinh\s*thuc|bo\s*phan\s*ho\s*tro)\s+(?:cua\s+)?(?:kakao\w*|nen\s*tang)",
    },
    {
        "name": "Platform staff or partner (Korean)",
        "category": "staff_impersonation",
        "language": "ko",
        "weight": 3,
        "pattern": r"(?:카카오|플랫폼)\s*(?:공식\s*)?(?:직원|상담원|파트너|관리자|운영자|고객센터)|공식\s*(?:파트너|대리점|협력사)",
    },
    # --- requests for login codes or documents --------------------------------------------
    {
        "name": "Asks for codes or ID documents (English)",
        "category": "credentials",
        "language": "en",
        "weight": 3,
        "pattern": r"\b(?:send|share|give|tell|forward)\W+(?:\w+\W+){0,3}?"
        r"(?:(?:login|verification|otp|security|sms|auth\w*)\s+(?:code|number|pin)|otp\b|password|id\s+card|passport)",
    },
    {
        "name": "Asks for codes or ID documents (Vietnamese)",
        "category": "credentials",
        "language": "vi",
        "weight": 3,
        "pattern": r"\b(?:gui|cung\s*cap|chup)\W+(?:\w+\W+){0,3}?(?:ma\s*(?:otp|xac\s*(?:nhan|minh|thuc))|otp|cmnd|cccd|can\s*cuoc|mat\s*khau)",
    },
    {
        "name": "Asks for codes or ID documents (Korean)",
        "category": "credentials",
        "language": "ko",
        "weight": 3,
        "pattern": r"(?:인증\s*번호|인증\s*코드|otp|비밀번호|신분증)\s*(?:을|를)?\s*(?:보내|알려|전송|제출|사진|찍어)",
    },
    # --- supporting signals ---------------------------------------------------------------
    {
        "name": "Another messenger",
        "category": "messenger_push",
        "language": "",
        "weight": 1,
        "pattern": r"\b(?:zalo|telegram|tele|whats\s*app|wechat|viber|signal|line\s+id|(?:kakao(?:talk)?\s+)?open\s*chat)\b"
        r"|오픈\s*(?:채팅|챗)|텔레그램|텔레|왓츠앱|라인\s*아이디|카톡\s*(?:아이디|id)",
    },
    {
        "name": "Free or for a fee",
        "category": "price",
        "language": "",
        "weight": 1,
        "pattern": r"\b(?:free(?:\s+of\s+charge)?|for\s+a\s+(?:small\s+)?fee|mien\s*phi|khong\s*mat\s*phi|phi\s*dich\s*vu)\b"
        r"|무료|공짜|수수료|\d[\d,.]*\s*(?:usd|krw|won|vnd|dong|k)\b|\d[\d,.]*\s*원",
    },
    {
        "name": "Phone number",
        "category": "phone",
        "language": "",
        "weight": 0,
        "pattern": r"(?<![\d:])\+?\d(?:[\s.\-]?\d){7,13}(?![\d:])",
    },
]
