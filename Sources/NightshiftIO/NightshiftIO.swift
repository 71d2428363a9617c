// NightshiftIO
