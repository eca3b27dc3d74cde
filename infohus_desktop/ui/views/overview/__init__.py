"""The *Overblik* start page."""
