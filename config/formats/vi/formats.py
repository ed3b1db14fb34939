# Vietnamese as CLDR writes it: a 24-hour time before the date, the month as "tháng 12", never
# Django's capitalised "Ngày 06 tháng 12 năm 2026" in the middle of a sentence.
DATE_FORMAT = r"j \t\h\á\n\g n, Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"H:i, j \t\h\á\n\g n, Y"
YEAR_MONTH_FORMAT = r"\t\h\á\n\g n, Y"
MONTH_DAY_FORMAT = "j/n"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i\u00a0d/m/Y"
