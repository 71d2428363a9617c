// NightshiftKitTesting
