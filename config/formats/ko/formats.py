# Korean as CLDR writes it: the date first, then 오전/오후 before the time. The short forms
# join their parts with no-break spaces, so a table cell never splits "2026. 12. 6.".
DATE_FORMAT = "Y년 n월 j일"
TIME_FORMAT = "A g:i"
DATETIME_FORMAT = "Y년 n월 j일 A g:i"
YEAR_MONTH_FORMAT = "Y년 n월"
MONTH_DAY_FORMAT = "n월 j일"
SHORT_DATE_FORMAT = "Y.\u00a0n.\u00a0j."
SHORT_DATETIME_FORMAT = "Y.\u00a0n.\u00a0j.\u00a0H:i"
