# English keeps Django's natural forms ("Dec. 6, 2026, 1:30 p.m."), with the short ones in
# an order nobody misreads across regions ("Dec. 6, 2026").
SHORT_DATE_FORMAT = "N\u00a0j,\u00a0Y"
SHORT_DATETIME_FORMAT = "N\u00a0j,\u00a0Y,\u00a0H:i"
MONTH_DAY_FORMAT = "N j"
YEAR_MONTH_FORMAT = "M Y"
# "3:24 PM", never "3:24 p.m." that ends a sentence in two full stops.
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "N j, Y, g:i A"
