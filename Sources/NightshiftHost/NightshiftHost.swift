// NightshiftHost
