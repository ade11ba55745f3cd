# Dates as Danish health sites write them: "24. november 2026".
DATE_FORMAT = "j. F Y"
