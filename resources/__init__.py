"""Runtime assets: fonts with their licences, icons, the visit schema."""
