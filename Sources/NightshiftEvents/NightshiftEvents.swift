// NightshiftEvents
