// NightshiftResilience
