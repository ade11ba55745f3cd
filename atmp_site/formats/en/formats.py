# Dates as British English and Danish health sites write them: "24 November 2026".
DATE_FORMAT = "j F Y"
