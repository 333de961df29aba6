"""The local catalogue: places, trades, offers of every kind, bus stops, services, alerts."""
