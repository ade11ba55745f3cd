# Dates as Danish health sites write them: "24. november 2026".
DATE_FORMAT = "j. F Y"
# Date and time in the admin, in the same form: "24. november 2026 15:18".
DATETIME_FORMAT = "j. F Y H:i"
