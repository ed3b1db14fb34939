"""The words of the fraud families, shared by the rules as ``{name}`` in their patterns.

A rule's pattern may name a word class in braces (``{unlock_en}``); the scanner replaces it
with the class below before compiling. Classes are written lowercase and without diacritics,
like the patterns: the scanner matches the folded text (see ``staff.fraud.scan_form``). Korean
is written without spaces: the compiler lets any spacing sit between two Hangul letters.

Add a word to its class, not a new phrase to a rule: one new verb then reaches every rule and
every object it combines with (docs/fraud.md).
"""

# Within one clause: a run of separators that does not end a sentence.
GAP = r"[^\w.!?\n]+"

LEXICON = {
    "gap": GAP,
    # up to N words between two parts of an offer, inside one sentence
    "w2": rf"(?:\w+{GAP}){{0,2}}?",
    "w3": rf"(?:\w+{GAP}){{0,3}}?",
    "w4": rf"(?:\w+{GAP}){{0,4}}?",
    "w5": rf"(?:\w+{GAP}){{0,5}}?",
    "near": r"[^.!?\n]{0,16}?",  # a few characters, in one sentence (Korean has few spaces)
    "near_q": r"[^.!\n]{0,30}?",  # a little further, past a question ("막히셨나요? 풀어 드립니다")
    "one_on_one": r"(?:1\s*[:\-/대]\s*1|one[\s-]*(?:on|to)[\s-]*one|일대일)",
    # --- English ------------------------------------------------------------------------
    # lifting verbs: strong ones name the lifting of a lock whatever follows; weak ones ("remove",
    # "restore", "fix") only when the restriction itself is named
    "unlock_en": r"(?:un-?(?:lock|block|ban|restrict|suspend|freez)\w*)",
    "lift_en": (
        r"(?:{unlock_en}|lift(?:s|ed|ing)?|remov\w*|restor\w*|re-?open\w*|re-?activat\w*|re-?enabl\w*|reinstat\w*"
        r"|recover\w*|fix(?:es|ed|ing)?|get\w*\s+rid\s+of|bring\w*\s+(?:\w+\s+)?back|tak\w*\s+off)"
    ),
    "unlocked_en": r"(?:un(?:lock|block|ban|restrict)\w*|re-?open\w*|reinstat\w*|back\s+to\s+normal|comes?\s+back)",
    "lifted_en": r"(?:{unlocked_en}|lift\w*|remov\w*|restor\w*|re-?activat\w*|re-?enabl\w*|recover\w*|fixed|gone|taken\s+off)",
    "restriction_en": (
        r"\bcan'?t\s+(?:reply|chat|message|use\s+(?:{one_on_one}|chat))|\b(?:restrict\w*|bans?\b|banned|block(?:s|ed)?\b|lock(?:s|ed)?\b|suspen\w*|disabled|sanction\w*"
        r"|verification_pending)"
    ),
    "chat_en": r"(?:(?:your|ur|the|my)\s+(?:{one_on_one}\s*)?chat(?:s|ting)?\b(?!\s+(?:history|log|backup)))",
    "object_en": r"(?:1\s*[:\-/]\s*1|chat\w*|messag\w*|channel\w*|acc(?:oun)?ts?\b|acc\b|acct\b)",
    "platform_en": r"(?:kakao\w*|k@kao|admin\s*center|the\s+platform'?s?|platform'?s?)",
    "staff_en": (
        r"(?:staff|support|team|agent|partner|employee|moderator|department|customer\s+service|security|safety"
        r"|admin\w*|service)"
    ),
    "secret_en": (
        r"(?:(?:login|verification|otp|security|sms|auth\w*|2fa|6[\s-]*digit|one[\s-]*time)\s*(?:code|number|pin)"
        r"|otp\b|password|passcode|2fa|pin\s+code|id\s*card|passport|card\s+number|\d\s*digits?|the\s+(?:code|number)"
        r"\s+(?:you|we|in|from|on)\b)"
    ),
    "verify_en": r"(?:verif\w*|kyc|identity\s+check|id\s+check|identity)",
    "document_en": r"(?:documents?|docs|id\b|id\s+card|passport|selfie|kyc)",
    # --- Korean -------------------------------------------------------------------------
    "object_ko": r"(?:채팅|챗|상담톡|채널|계정|{one_on_one}\s*대화|{one_on_one}|chat)",
    # the chat stated as not working: "답장 안 되시죠", "채팅을 못"
    "chat_state_ko": r"(?:(?:답장|채팅|챗)\s*(?:이|을)?\s*(?:안\s*되|못))",
    "restriction_ko": r"(?:{chat_state_ko}|제한|잠금|잠긴|잠겼|정지|차단|제재|(?<!어)락(?![가-힣])|막혔|막힌|막히|인증대기)",
    # a sanction of the platform whatever it blocks (unlike "잠금", any lock, or "정지", any pause)
    "sanction_ko": r"(?:이용제한|채팅제한|제재|인증대기|영구정지|영정|임시정지|계정정지|채널정지)",
    "lift_ko": r"(?:해제|풀어|풀기|풀고|풀림|풀려|풀\s*수\s*있|푸는\s*(?:법|방법)|뚫어|unlock|다시쓰게|다시열어|다시오픈|재오픈)",
    # only with a restriction named: one restores chat histories and opens chat rooms too
    "lift_weak_ko": r"(?:{lift_ko}|복구|복원|살려|살리기|살리고|열어|오픈|활성화|해결|처리)",
    # an offer: "해 드립니다", "해드림", "가능", "대행", "전문" ...
    "offer_ko": r"(?:해\s*)?(?:을|를)?\s*(?:드|보장|원하시|필요하신|원하는|싶으|줌|줄게|줍|줘|대행|서비스|가능|ㄱㄴ|전문|도와|진행|처리|완료|확실|합니다|해요|함)",
    # identity verification; a bare "인증" is also a proof photo or a product certificate
    "verify_ko": r"(?:verif\w*|본인인증|실명인증|휴대폰인증|본인확인|신원인증|신분인증|ㅂㅇㅇㅈ)",
    "platform_ko": r"(?:카카오톡|카카오|kakao|플랫폼|관리자센터|본사)",
    "staff_ko": (
        r"(?:직원|상담원|상담사|파트너|관리자|운영자|운영팀|고객센터|보안팀|안전팀|담당자|협력사|대리점|본사)"
    ),
    "secret_ko": (
        r"(?:인증번호|인증코드|인증문자|로그인코드|보안코드|otp|비밀번호|비번|신분증|\d자리|(?:받은|온)(?:번호|코드|숫자))"
    ),
    "ask_ko": r"(?:캡처|캡쳐|보내|알려|불러|말씀|회신|전송|제출|찍어|확인해주|전달)",
    # --- Vietnamese ---------------------------------------------------------------------
    "lift_vi": (
        r"(?:mo\s*kho\w*|go\s*(?:chan|han\s*che|khoa|lenh|bo)|bo\s*han\s*che|bo\s*chan|khoi\s*phuc|kich\s*hoat\s*lai"
        r"|unban|unlock)"
    ),
    # only with a restriction named: "mở lại", "xử lý", "giải quyết" are said of many things
    "lift_weak_vi": r"(?:{lift_vi}|mo\s*lai|go|xu\s*ly|giai\s*quyet|cuu|lay\s*lai|kich\s*hoat|mo)",
    "restricted_vi": r"(?:khong\s*(?:tra\s*loi|nhan\s*tin|chat)\s*(?:\S+\s*){0,2}?duoc|bi\s*(?:khoa|chan|cam|ban|han\s*che|dinh\s*chi)|han\s*che|dinh\s*chi|khoa\s*(?:vinh\s*vien|vv))",
    "object_vi": (
        r"(?:chat|tro\s*chuyen|nhan\s*tin|tin\s*nhan|kenh|tai\s*khoan|tk|acc|{one_on_one}|han\s*che|dinh\s*chi"
        r"|bi\s*(?:khoa|chan|cam|ban))"
    ),
    # a lifting verb that names the restriction itself ("gỡ hạn chế")
    "lift_restriction_vi": r"(?:go\s*(?:lenh\s*)?han\s*che|bo\s*han\s*che|go\s*chan\s*(?:kenh|tai\s*khoan|tk|chat))",
    "verify_vi": r"(?:xac\s*minh|xac\s*thuc|xm|ekyc|kyc)",
    "document_vi": r"(?:giay\s*to|cccd|cmnd|can\s*cuoc|ho\s*chieu|selfie)",
    "not_vi": r"(?:khong|ko|k|hong|hok|khg|chang)",
    "platform_vi": r"(?:kakao|nen\s*tang|admin\s*center)",
    "staff_vi": (
        r"(?:nhan\s*vien(?:\s*ho\s*tro)?|nv|cskh|doi\s*ngu|doi\s*an\s*toan|bo\s*phan(?:\s*\w+){0,2}|ban\s*quan\s*tri"
        r"|dai\s*ly|doi\s*tac)"
    ),
    "secret_vi": (
        r"(?:ma\s*(?:otp|xac\s*(?:nhan|minh|thuc)|dang\s*nhap)|otp|cccd|cmnd|can\s*cuoc|mat\s*khau|mk\b|\d\s*so"
        r"|ma\s*trong\s*tin\s*nhan)"
    ),
    "ask_vi": r"(?:gui|cung\s*cap|chup|doc|nhan|cho\s*xin|xin)",
    # a link to log in through: phishing for the password
    "login_link": (
        r"(?:\blog\s*-?in\s+(?:\w+\s+){0,2}?(?:through|via|at|on|with)\s+(?:this|the|our|that)\s+(?:link|page|site)"
        r"|(?:링크|사이트|페이지)(?:에서|로|에)\s*로그인|\bdang\s*nhap\s*(?:qua|vao|tai|theo)\s*(?:link|duong\s*dan|trang))"
    ),
    # --- any language -------------------------------------------------------------------
    "messenger": (
        r"(?:\b(?:zalo|zl|telegram|tele|whats\s*app|wechat|viber|signal|line\s*id|t\.me|open\.kakao\.com)\b"
        r"|\b(?:kakao(?:talk)?\s+)?open\s*chat\b|오픈\s*(?:채팅|챗|톡)|텔레그램|텔레|ㅌㄹ|왓츠앱|라인\s*아이디"
        r"|카톡\s*(?:아이디|id)|ㅋㅌ\s*(?:아이디|id)|위챗)"
    ),
    "crypto": r"(?:usdt|btc|eth\b|bitcoin|crypto\w*|tether|코인|비트코인|테더)",
}
