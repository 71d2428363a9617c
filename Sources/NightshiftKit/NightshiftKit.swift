// NightshiftKit
