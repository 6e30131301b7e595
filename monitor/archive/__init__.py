"""History from web archives: the Wayback Machine's CDX index and its original-mode playback
(`cdx` reads the index, `client` fetches politely, `backfill` decides and `store.backfill`
writes)."""
