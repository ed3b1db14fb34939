"""Date formats per language, over Django's own (``FORMAT_MODULE_PATH``). Shown through one
template filter, ``{{ value|when }}`` (``core.dates``), so every page, email and notice writes a
date the way the reader's language does: "2026년 12월 6일 오후 1:30", "13:30, 6 tháng 12, 2026",
"Dec. 6, 2026, 1:30 p.m."."""
