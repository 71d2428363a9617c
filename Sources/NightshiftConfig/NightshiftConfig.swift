// NightshiftConfig
